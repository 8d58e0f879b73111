package io.leifdb.raft.sim;

import io.leifdb.raft.Message;
import java.util.SplittableRandom;

/** What a {@link SimNode} needs from the world around it. */
interface Env {
    /** The current simulation step. */
    long now();

    /** Hands a message to the simulated network. */
    void send(Message m);

    InvariantChecker checker();

    Trace trace();

    Clients clients();

    /** The run's only source of randomness. */
    SplittableRandom rnd();

    /** Whether node {@code id} crashes now, between writing a Ready and syncing it. */
    boolean tornCrash(long id);

    /** Applied entries between local snapshots; 0 means never snapshot. */
    int snapshotEvery();
}
