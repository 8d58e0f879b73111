package io.leifdb.server.kv;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The stores one test opens, closed together when it ends. */
final class OpenStores implements AutoCloseable {
    private final List<KvStore> open = new ArrayList<>();

    KvStore open(Path dir) throws IOException {
        KvStore s = KvStore.open(dir);
        open.add(s);
        return s;
    }

    @Override
    public void close() {
        open.forEach(KvStore::close);
        open.clear();
    }
}
