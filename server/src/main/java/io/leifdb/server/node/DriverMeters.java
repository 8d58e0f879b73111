package io.leifdb.server.node;

import io.leifdb.raft.SoftState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The meters the driver thread feeds as it works: leader changes, what became of this node's
 * proposals, and ReadIndex rounds with their latency. Called on the driver thread only.
 */
final class DriverMeters {
    private final Counter leaderChanges;
    private final Counter committed;
    private final Counter dropped;
    private final Counter lost;
    private final Counter readRounds;
    private final Timer readRoundLatency;
    private long leader;
    /** When the round now out was requested; the driver keeps at most one out (PendingReads). */
    private long readRoundStart;
    private boolean readRoundOut;

    DriverMeters(MeterRegistry registry) {
        leaderChanges = Counter.builder("leifdb.raft.leader.changes")
                .description("times this member saw the leader change to another known leader").register(registry);
        committed = proposals(registry, "committed", "applied here in the term it was proposed");
        dropped = proposals(registry, "dropped", "refused by the core (not leader, transfer or config change pending)");
        lost = proposals(registry, "lost", "overwritten by a new leader, or its outcome unknown");
        readRounds = Counter.builder("leifdb.raft.read.index.rounds")
                .description("ReadIndex rounds (§6.4) this member started; reads arriving meanwhile share the next")
                .register(registry);
        readRoundLatency = Timer.builder("leifdb.raft.read.index.latency")
                .description("from a ReadIndex round's request to the core's answer (a heartbeat round on the leader)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
    }

    private static Counter proposals(MeterRegistry registry, String outcome, String meaning) {
        return Counter.builder("leifdb.raft.proposals")
                .description("writes this member proposed as leader, by outcome; " + outcome + ": " + meaning)
                .tag("outcome", outcome).register(registry);
    }

    void roleChanged(SoftState s) {
        if (s.leader() != 0 && s.leader() != leader) leaderChanges.increment();
        if (s.leader() != 0) leader = s.leader();
    }

    /** {@code index} is what the driver's propose returned: 0 when the core refused it. */
    void proposed(long index, CompletableFuture<?> result) {
        if (index == 0) {
            dropped.increment();
            return;
        }
        result.whenComplete((outcome, failure) -> (failure == null ? committed : lost).increment());
    }

    void readIndexRequested() {
        readRounds.increment();
        readRoundStart = System.nanoTime();
        readRoundOut = true;
    }

    void readIndexAnswered() {
        if (!readRoundOut) return;
        readRoundOut = false;
        readRoundLatency.record(Duration.ofNanos(System.nanoTime() - readRoundStart));
    }
}
