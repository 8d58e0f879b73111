package io.leifdb.server.kv;

import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Entry builders and state dumps shared by the KV tests. */
final class KvFixtures {
    static final long TERM = 3;

    private KvFixtures() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static Entry put(long index, String key, String value) {
        return Entry.normal(TERM, index, new Command.Put(key, utf8(value)).encode());
    }

    static Entry put(long index, String key, String value, Precondition pre) {
        return Entry.normal(TERM, index, new Command.Put(key, utf8(value), pre).encode());
    }

    static Entry delete(long index, String key) {
        return Entry.normal(TERM, index, new Command.Delete(key).encode());
    }

    static Entry delete(long index, String key, Precondition pre) {
        return Entry.normal(TERM, index, new Command.Delete(key, pre).encode());
    }

    static Entry config(long index, byte[] data) {
        return new Entry(TERM, index, EntryType.CONFIG, data);
    }

    /** {@code count} puts from {@code firstIndex}: key "k<i % keys>" = "v<index>". */
    static List<Entry> puts(long firstIndex, int count, int keys) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long index = firstIndex + i;
            out.add(put(index, "k" + (index % keys), "v" + index));
        }
        return out;
    }

    /** Every key and value of the store, in listing order, read page by page. */
    static Map<String, String> dump(KvStore store) {
        Map<String, String> all = new LinkedHashMap<>();
        String after = null;
        do {
            Page page = store.list("", after, 7);
            page.items().forEach(kv -> all.put(kv.key(), str(kv.value())));
            after = page.next().orElse(null);
        } while (after != null);
        return all;
    }

    static List<String> childNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
