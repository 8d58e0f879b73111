package io.leifdb.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The Raft core's hot path with the disk and the network taken out: a proposal on the leader of
 * three in-memory nodes, through replication and the commit rule, until every node has applied it.
 * The score is proposals committed (and applied on all three nodes) per second.
 *
 * <p>{@link #single} drives one proposal per round trip, the worst case for a driver without
 * batching; {@link #batch64} proposes 64 before the cluster runs, which is what a driver's inbox
 * drain gives under load, so one AppendEntries and one commit round carry all of them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CoreBench {
    static final int PAYLOAD_BYTES = 256;
    static final int BATCH = 64;

    private InMemoryCluster cluster;
    private byte[] payload;

    @Setup(Level.Trial)
    public void setUp() {
        cluster = new InMemoryCluster(3, 42);
        cluster.elect(1);
        payload = Payloads.bytes(PAYLOAD_BYTES, 7);
    }

    @Benchmark
    public long single() {
        long index = cluster.propose(payload);
        cluster.drain();
        cluster.requireApplied(index);
        return index;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long batch64() {
        long last = 0;
        for (int i = 0; i < BATCH; i++) {
            last = cluster.propose(payload);
        }
        cluster.drain();
        cluster.requireApplied(last);
        return last;
    }
}
