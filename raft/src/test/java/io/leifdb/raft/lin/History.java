package io.leifdb.raft.lin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records client operations as they happen; safe to use from many client threads. Every
 * operation starts with a call and ends with at most one outcome; one still open when
 * {@link #operations()} is taken counts as unknown.
 */
public final class History {
    private record Open(String key, Operation.Kind kind, String value, String expected, long call) {
    }

    private final Map<Long, Open> open = new LinkedHashMap<>();
    private final List<Operation> done = new ArrayList<>();
    private long nextId = 1;

    /** Starts a read; returns its id. */
    public synchronized long callRead(String key, long time) {
        return call(new Open(key, Operation.Kind.READ, null, null, time));
    }

    public synchronized long callWrite(String key, String value, long time) {
        return call(new Open(key, Operation.Kind.WRITE, value, null, time));
    }

    public synchronized long callDelete(String key, long time) {
        return call(new Open(key, Operation.Kind.DELETE, null, null, time));
    }

    public synchronized long callCas(String key, String expected, String value, long time) {
        return call(new Open(key, Operation.Kind.CAS, value, expected, time));
    }

    /** The operation succeeded; for a read, {@code readValue} is what it returned (null = absent). */
    public synchronized void ok(long id, long time, String readValue) {
        Open o = take(id);
        String value = o.kind() == Operation.Kind.READ ? readValue : o.value();
        done.add(new Operation(id, o.key(), o.kind(), value, o.expected(), o.call(), time, Outcome.OK));
    }

    /** The operation certainly had no effect. */
    public synchronized void failed(long id, long time) {
        Open o = take(id);
        done.add(new Operation(id, o.key(), o.kind(), o.value(), o.expected(), o.call(), time, Outcome.FAILED));
    }

    /** The operation may or may not have taken effect. */
    public synchronized void unknown(long id) {
        Open o = take(id);
        done.add(unknown(id, o));
    }

    public synchronized boolean isOpen(long id) {
        return open.containsKey(id);
    }

    /** Every operation so far; those still open count as unknown. */
    public synchronized List<Operation> operations() {
        List<Operation> all = new ArrayList<>(done);
        open.forEach((id, o) -> all.add(unknown(id, o)));
        return all;
    }

    private long call(Open o) {
        long id = nextId++;
        open.put(id, o);
        return id;
    }

    private Open take(long id) {
        Open o = open.remove(id);
        if (o == null) throw new IllegalStateException("operation " + id + " is not open");
        return o;
    }

    private static Operation unknown(long id, Open o) {
        return new Operation(id, o.key(), o.kind(), o.kind() == Operation.Kind.READ ? null : o.value(),
                o.expected(), o.call(), Operation.INFINITY, Outcome.UNKNOWN);
    }
}
