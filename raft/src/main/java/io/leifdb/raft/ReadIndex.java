package io.leifdb.raft;

import io.leifdb.raft.Message.ReadIndexResponse;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Set;

/**
 * Linearizable reads without log writes (§6.4 of the thesis, §8 of the paper): the leader records
 * its commit index, confirms it is still leader with a heartbeat round, then answers; the reader
 * serves the read once it has applied that index. Each heartbeat round carries a round number the
 * leader assigns, so readers' contexts need not be unique across nodes.
 */
final class ReadIndex {
    private record Waiting(long from, long context) {
    }

    private static final class Pending {
        final long from;
        final long context;
        final long index;
        final Set<Long> acks = new HashSet<>();

        Pending(long from, long context, long index) {
            this.from = from;
            this.context = context;
            this.index = index;
        }
    }

    private final Raft r;
    /** Reads that arrived before the leader committed an entry of its own term. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** Reads awaiting a heartbeat quorum, in arrival order, by heartbeat round. */
    private final LinkedHashMap<Long, Pending> pending = new LinkedHashMap<>();
    private long nextRound = 1;

    ReadIndex(Raft r) {
        this.r = r;
    }

    /** Leader: a read from {@code from} (this node or a follower that forwarded it). */
    void request(long from, long context) {
        if (!committedInTerm()) {
            // §8: until its no-op commits, a new leader does not know the commit index.
            waiting.add(new Waiting(from, context));
            return;
        }
        serve(from, context);
    }

    private boolean committedInTerm() {
        return r.log.termOrZero(r.log.committed) == r.term || r.config.planted(PlantedBug.READ_BEFORE_TERM_COMMIT);
    }

    private void serve(long from, long context) {
        if (r.tracker.conf.voters().size() == 1 && r.tracker.isVoter(r.id)) {
            respond(from, context, r.log.committed); // a lone voter is its own quorum
            return;
        }
        Pending p = new Pending(from, context, r.log.committed);
        if (r.tracker.isVoter(r.id)) {
            p.acks.add(r.id);
        }
        long round = nextRound++;
        pending.put(round, p);
        r.replication.bcastHeartbeat(round);
    }

    /** The leader's commit moved: reads held back for the term's first commit may proceed. */
    void onCommit() {
        if (!committedInTerm()) {
            return;
        }
        while (!waiting.isEmpty()) {
            Waiting w = waiting.poll();
            serve(w.from(), w.context());
        }
    }

    /** A voter answered the heartbeat of {@code round}: we were still leader when it was sent. */
    void ack(long from, long round) {
        Pending p = pending.get(round);
        if (p == null || !r.tracker.isVoter(from)) {
            return;
        }
        p.acks.add(from);
        if (p.acks.size() < r.tracker.quorum()) {
            return;
        }
        // Confirming this read also confirms every read that was issued before it.
        Iterator<java.util.Map.Entry<Long, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            it.remove();
            respond(e.getValue().from, e.getValue().context, e.getValue().index);
            if (e.getKey() == round) {
                break;
            }
        }
    }

    private void respond(long from, long context, long index) {
        if (from == r.id) {
            r.readStates.add(new ReadState(context, index));
        } else {
            r.send(new ReadIndexResponse(r.id, from, r.term, context, index));
        }
    }

    /** A change of term or role drops pending reads; their callers time out and retry. */
    void reset() {
        waiting.clear();
        pending.clear();
    }
}
