package io.leifdb.raft.sim;

import io.leifdb.raft.Entry;
import io.leifdb.raft.Snapshot;
import io.leifdb.raft.driver.StateMachine;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver's state machine in the simulation: the in-memory {@link KvStateMachine}, checked as
 * it applies, snapshotting every {@link Env#snapshotEvery()} entries. A proposer learns the index
 * its command was applied at.
 */
final class SimMachine implements StateMachine<Long> {
    private final long id;
    private final Env env;
    private final KvStateMachine kv;
    private final SimLog log;
    private long lastSnapshotIndex;

    SimMachine(long id, Env env, KvStateMachine kv, SimLog log, long snapshotIndex) {
        this.id = id;
        this.env = env;
        this.kv = kv;
        this.log = log;
        this.lastSnapshotIndex = snapshotIndex;
    }

    @Override
    public long appliedIndex() {
        return kv.applied();
    }

    @Override
    public List<Long> apply(List<Entry> committed) {
        List<Long> out = new ArrayList<>(committed.size());
        for (Entry e : committed) {
            env.checker().applied(id, e);
            out.add(kv.apply(e) == null ? null : e.index());
        }
        return out;
    }

    @Override
    public void installSnapshot(Snapshot snap) {
        long index = snap.meta().index();
        env.trace().event(env.now(), "n" + id + " installs snapshot " + index + "@" + snap.meta().term());
        env.trace().count("snapshot installed");
        int kept = kv.install(snap.data(), index, env.ownFragment(id, snap.meta().conf()));
        if (kept > 0) {
            env.trace().event(env.now(), "n" + id + " keeps its own share of " + kept + " values the snapshot offers less of");
            for (int i = 0; i < kept; i++) env.trace().count("snapshot share kept");
        }
        lastSnapshotIndex = index;
    }

    /** Takes a snapshot of the state machine and drops the log it covers, as the server does. */
    @Override
    public void maybeSnapshot() {
        int every = env.snapshotEvery();
        if (every <= 0 || kv.applied() - lastSnapshotIndex < every) return;
        log.compact(kv.applied(), kv.snapshot());
        lastSnapshotIndex = kv.applied();
    }
}
