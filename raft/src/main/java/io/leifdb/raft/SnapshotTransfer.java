package io.leifdb.raft;

import io.leifdb.raft.Message.AppendResponse;
import io.leifdb.raft.Message.InstallSnapshot;

/** §7 InstallSnapshot: catching up a peer whose next entry the leader has compacted away. */
final class SnapshotTransfer {
    private final Raft r;

    SnapshotTransfer(Raft r) {
        this.r = r;
    }

    /** Leader: send the storage's snapshot and pause the peer until it answers or the driver reports. */
    boolean send(long to, Progress pr) {
        if (!pr.recentActive) {
            return false; // don't ship a snapshot to a peer that may be down
        }
        Snapshot snap = r.log.storage.snapshot();
        if (snap.meta().index() == 0) {
            throw new IllegalStateException("peer " + to + " needs compacted entries but storage has no snapshot");
        }
        pr.becomeSnapshot(snap.meta().index());
        r.send(new InstallSnapshot(r.id, to, r.term, snap));
        return true;
    }

    /** Follower: accept a snapshot newer than our commit; the next Ready carries it for the driver. */
    void handleInstall(InstallSnapshot m) {
        SnapshotMeta meta = m.snapshot().meta();
        long index;
        if (meta.index() <= r.log.committed) {
            index = r.log.committed; // stale: we already have everything it covers
        } else if (r.log.matchTerm(meta.index(), meta.term())) {
            // Our log already holds the snapshot's last entry, so it holds all before it (§5.3).
            r.log.commitTo(meta.index());
            index = r.log.committed;
        } else {
            r.log.restore(m.snapshot());
            r.membership.onRestore(m.snapshot());
            index = r.log.lastIndex();
        }
        r.catchUp.onSnapshot(m);
        r.send(new AppendResponse(r.id, m.from(), r.term, false, index, 0, 0));
    }

    /** The driver's verdict on a snapshot it streamed to {@code peer}. */
    void report(long peer, boolean success) {
        Progress pr = r.role == Role.LEADER ? r.tracker.get(peer) : null;
        if (pr == null || pr.state != Progress.State.SNAPSHOT) {
            return;
        }
        if (!success) {
            pr.pendingSnapshot = 0;
        }
        pr.becomeProbe();
        // Wait for the peer's reply (or the next heartbeat) before probing again.
        pr.probeSent = true;
    }
}
