package io.leifdb.raft.sim;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.HardState;
import io.leifdb.raft.MemoryStorage;
import io.leifdb.raft.Snapshot;
import io.leifdb.raft.driver.MemoryLog;
import java.util.List;

/**
 * The driver's log in the simulation: reads come from memory, every write also goes to the node's
 * {@link SimDisk}, and only {@link #sync()} makes it durable. A sync is where a crash may strike,
 * keeping any prefix of the unsynced writes (a torn write), as {@code WalRecovery} leaves a real log.
 */
final class SimLog extends MemoryLog {
    private final long id;
    private final MemoryStorage storage;
    private final SimDisk disk;
    private final Env env;
    private final KvStateMachine kv;

    SimLog(long id, MemoryStorage storage, SimDisk disk, Env env, KvStateMachine kv) {
        super(storage);
        this.kv = kv;
        this.id = id;
        this.storage = storage;
        this.disk = disk;
        this.env = env;
    }

    @Override
    public void append(List<Entry> entries) {
        disk.write(new SimDisk.Write.Append(entries));
        super.append(entries);
    }

    @Override
    public void setHardState(HardState hs) {
        disk.write(new SimDisk.Write.Hard(hs));
        super.setHardState(hs);
    }

    @Override
    public void setConfState(ConfState cs) {
        disk.write(new SimDisk.Write.Conf(cs));
        super.setConfState(cs);
    }

    @Override
    public void applySnapshot(Snapshot snapshot) {
        // The state machine installed it first and may have kept shares of its own: those are what the server's
        // merged generation makes durable, so the disk holds the installed state, not the bytes received.
        if (kv.applied() == snapshot.meta().index()) snapshot = new Snapshot(snapshot.meta(), kv.snapshot());
        disk.write(new SimDisk.Write.Install(snapshot));
        super.applySnapshot(snapshot);
    }

    /** A ticket's force (the leader's background fsync) is a sync too, and a crash may strike there. */
    @Override
    public void sync() {
        if (disk.unsyncedCount() > 0 && env.tornCrash(id)) {
            int keep = env.rnd().nextInt(disk.unsyncedCount() + 1);
            env.trace().event(env.now(), "n" + id + " CRASHES before fsync, keeping " + keep + " of "
                    + disk.unsyncedCount() + " unsynced writes");
            env.trace().count("crash before fsync");
            throw new SimCrash(keep);
        }
        disk.sync();
    }

    /** A snapshot of the state machine at {@code index} (applied, so durable here); the log before it goes. */
    @Override
    public void compact(long index, byte[] data) {
        super.compact(index, data);
        disk.write(new SimDisk.Write.Compact(storage.snapshot()));
        disk.sync();
    }
}
