package io.leifdb.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Builders for logs and storages in a known state. */
final class Fixtures {
    private Fixtures() {
    }

    static final ConfState THREE = ConfState.of(Set.of(1L, 2L, 3L));

    static Entry e(long index, long term) {
        return Entry.normal(term, index, ("v" + index + "@" + term).getBytes());
    }

    /** Entries 1..terms.length with the given terms. */
    static List<Entry> logOfTerms(long... terms) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            out.add(e(i + 1, terms[i]));
        }
        return out;
    }

    static MemoryStorage storage(ConfState conf, HardState hs, List<Entry> entries) {
        MemoryStorage s = new MemoryStorage(conf);
        s.append(entries);
        s.setHardState(hs);
        return s;
    }

    static <T extends Message> List<T> ofType(List<Message> msgs, Class<T> type) {
        return msgs.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
