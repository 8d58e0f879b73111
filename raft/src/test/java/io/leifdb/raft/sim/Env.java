package io.leifdb.raft.sim;

import io.leifdb.raft.Message;
import java.util.SplittableRandom;

/** What a {@link SimNode} needs from the world around it. */
interface Env {
    /** The current simulation step. */
    long now();

    /** Runs {@code action} {@code steps} from now: a disk's work finishing, which healing does not cancel. */
    void afterIo(long steps, Runnable action);

    /** Hands a message to the simulated network. */
    void send(Message m);

    InvariantChecker checker();

    Trace trace();

    Clients clients();

    /** The run's only source of randomness. */
    SplittableRandom rnd();

    /** Whether node {@code id} crashes now, between writing a Ready and syncing it. */
    boolean tornCrash(long id);

    /**
     * Whether node {@code id} crashes now, after syncing a Ready but before sending its messages.
     * {@code firstLeaderCommit} marks the Ready in which a new leader first moves its commit index:
     * then only it knows what is committed.
     */
    boolean crashBeforeSend(long id, boolean firstLeaderCommit);

    /** Node {@code id} just observed itself leader of a new term. */
    void leaderElected(long id);

    /** Node {@code id}, leading, appended a membership change (the injector's or its own promotion). */
    default void configAppended(long id) {
    }

    /** Whether reads skip ReadIndex and return local state at once (not linearizable). */
    boolean localReads();

    /**
     * Whether a node restarting on a wiped disk starts as catching up ({@code RaftConfig.catchingUp});
     * false plays today's server, which does not know it lost anything.
     */
    boolean catchUpRule();

    /** Applied entries between local snapshots; 0 means never snapshot. */
    int snapshotEvery();

    /** CRaft: node {@code id}'s fragment id under the code for {@code conf}'s voters; negative when none. */
    default int ownFragment(long id, io.leifdb.raft.ConfState conf) {
        return -1;
    }

    /**
     * CRaft: the value written by the coded entry {@code c} refers to, rebuilt from fragments that
     * reachable nodes hold; null when fewer than k are at hand.
     */
    default String gatherCoded(long reader, KvStateMachine.CodedValue c) {
        throw new IllegalStateException("coded value in a run without erasure coding");
    }
}
