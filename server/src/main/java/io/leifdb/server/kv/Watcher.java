package io.leifdb.server.kv;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One watch on one member: first the changes its history holds after the start revision, read from
 * RocksDB as fast as the consumer takes them; then the changes applied since, from a bounded buffer.
 * Registration comes before the history read, and the live buffer skips every revision the read already
 * covered, so nothing is missed or repeated (see docs/architecture.md, "Watch").
 *
 * <p>Threads: one consumer calls {@link #next}, {@link #ended} and {@link #close}; the applying thread
 * only offers to the buffer. Every batch {@link #next} returns ends on a whole revision.
 */
public final class Watcher implements AutoCloseable {
    /** Why a watch ended. */
    public enum End {
        /** The consumer fell a whole buffer behind; resume from {@link #lastRevision()}. */
        OVERFLOW,
        /** This member installed a snapshot, which replaced its history; resume from {@link #lastRevision()}. */
        RESET,
        /** The history was compacted past this watch while it replayed it. */
        COMPACTED,
        /** The member is shutting down. */
        CLOSED
    }

    /** Records read per history chunk: enough to amortise the seek, small enough to stay responsive. */
    static final int CHUNK = 256;

    private final String key;
    private final String prefix;
    private final ArrayBlockingQueue<List<Change>> live;
    private final KvStore store;
    private final WatchHub hub;
    private volatile End end;
    private boolean replaying = true;
    /** The history read covers every change up to here; the live buffer skips revisions at or below it. */
    private long seenUpTo;
    private int seenSeq = Integer.MAX_VALUE;
    private long lastRevision;

    Watcher(String key, String prefix, int capacity, KvStore store, WatchHub hub) {
        this.key = key;
        this.prefix = prefix;
        this.live = new ArrayBlockingQueue<>(capacity);
        this.store = store;
        this.hub = hub;
    }

    /** Starts after {@code revision}: the first changes handed out are those of the next revision. */
    void startAfter(long revision) {
        seenUpTo = revision;
        lastRevision = revision;
    }

    boolean matches(String k) {
        return key != null ? key.equals(k) : k.startsWith(prefix);
    }

    /** From the applying thread: a whole revision's matching changes, or an overflow if they do not fit. */
    void offer(List<Change> group) {
        if (end == null && !live.offer(group)) {
            end = End.OVERFLOW;
        }
    }

    void end(End why) {
        if (end == null) end = why;
    }

    /**
     * The next changes, in revision order, waiting up to {@code wait} for some; empty when none came
     * in time (or the watch ended: see {@link #ended}).
     */
    public List<Change> next(Duration wait) throws InterruptedException {
        if (replaying) {
            return replay();
        }
        List<List<Change>> groups = new ArrayList<>();
        List<Change> first = live.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) return List.of();
        groups.add(first);
        live.drainTo(groups);
        List<Change> out = new ArrayList<>();
        for (List<Change> g : groups) {
            if (g.getFirst().revision() <= seenUpTo) continue; // the history read already handed these out
            out.addAll(g);
            lastRevision = g.getFirst().revision();
        }
        return out;
    }

    private List<Change> replay() {
        long floor = store.historyFloor();
        if (seenUpTo + 1 < floor) {
            end = End.COMPACTED;
            replaying = false;
            return List.of();
        }
        KvStore.HistoryChunk chunk = store.readHistory(seenUpTo, seenSeq, CHUNK, this::matches);
        if (store.historyFloor() > seenUpTo + 1) {
            // Compacted while we read: records between our cursor and the new floor may be gone.
            end = End.COMPACTED;
            replaying = false;
            return List.of();
        }
        seenUpTo = chunk.lastRevision();
        seenSeq = chunk.lastSeq();
        replaying = !chunk.atEnd();
        // Chunks end on a whole revision, so every change up to seenUpTo has now been handed out.
        lastRevision = Math.max(lastRevision, seenUpTo);
        return chunk.matching();
    }

    /** Why the watch ended, once everything buffered before the end was handed out; empty while it runs. */
    public Optional<End> ended() {
        End e = end;
        if (e == null) return Optional.empty();
        if (e == End.OVERFLOW && !replaying && !live.isEmpty()) return Optional.empty();
        return Optional.of(e);
    }

    /** The revision up to which this watch has handed out every change: where a new watch resumes. */
    public long lastRevision() {
        return lastRevision;
    }

    @Override
    public void close() {
        hub.remove(this);
    }
}
