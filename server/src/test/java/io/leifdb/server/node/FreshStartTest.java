package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.HardState;
import io.leifdb.server.storage.SegmentedWal;
import io.leifdb.server.transport.Holdings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up procedure around {@link FreshStartRule}: marker, asking with back-off, term floor, restarts. */
class FreshStartTest {
    private static final Map<Long, String> PEERS = Map.of(2L, "127.0.0.1:16991", 3L, "127.0.0.1:16992");

    @TempDir
    Path dir;

    /** Time that passes only by sleeping, and remembers each pause. */
    private static final class FakeClock implements FreshStart.Clock {
        long now;
        final List<Long> pauses = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long millis) {
            pauses.add(millis);
            now += millis * 1_000_000;
        }
    }

    /** Peers whose answers a test sets; a peer with no answer fails the call, as a down peer does. */
    private static class Peers {
        final Map<Long, Holdings> answers = new ConcurrentHashMap<>();
        final AtomicInteger asked = new AtomicInteger();

        CompletableFuture<Holdings> ask(long id) {
            asked.incrementAndGet();
            Holdings h = answers.get(id);
            return h == null ? CompletableFuture.failedFuture(new IOException("peer " + id + " is down"))
                    : CompletableFuture.completedFuture(h);
        }
    }

    private SegmentedWal wal() {
        return SegmentedWal.open(dir.resolve("wal"));
    }

    private boolean resolve(SegmentedWal wal, Peers peers, FakeClock clock) throws Exception {
        return new FreshStart(new CatchUpMarker(dir), wal, PEERS, 1, peers::ask, clock).resolve();
    }

    @Test
    void aUsedDirectoryWithoutMarkerStartsAtOnce_askingNobody() throws Exception {
        Peers peers = new Peers();
        try (SegmentedWal wal = wal()) {
            assertThat(resolve(wal, peers, new FakeClock())).isFalse();
        }
        assertThat(peers.asked).hasValue(0);
    }

    @Test
    void wipedMember_catchesUpAtTheHighestTermOfTheOthers_writtenWithoutAVote() throws Exception {
        new CatchUpMarker(dir).write();
        Peers peers = new Peers();
        peers.answers.put(2L, new Holdings(6, 200));
        peers.answers.put(3L, new Holdings(8, 190));
        try (SegmentedWal wal = wal()) {
            assertThat(resolve(wal, peers, new FakeClock())).isTrue();
        }
        try (SegmentedWal wal = wal()) {
            assertThat(wal.hardState()).isEqualTo(new HardState(8, 0, 0));
        }
        assertThat(new CatchUpMarker(dir).present()).as("kept until a leader catches it up").isTrue();
    }

    @Test
    void freshCluster_removesTheMarkerAndKeepsTermZero() throws Exception {
        new CatchUpMarker(dir).write();
        Peers peers = new Peers();
        peers.answers.put(3L, Holdings.NONE); // member 2 is not up yet: us and 3 are enough
        try (SegmentedWal wal = wal()) {
            assertThat(resolve(wal, peers, new FakeClock())).isFalse();
            assertThat(wal.hardState()).isEqualTo(HardState.EMPTY);
        }
        assertThat(new CatchUpMarker(dir).present()).isFalse();
    }

    @Test
    void waitsWithBoundedBackOffUntilEnoughMembersAnswer() throws Exception {
        new CatchUpMarker(dir).write();
        FakeClock clock = new FakeClock();
        Peers peers = new Peers() {
            @Override
            CompletableFuture<Holdings> ask(long id) {
                // Member 2 holds data from the start; member 3 answers only after about 10 s.
                if (id == 3 && clock.now >= 10_000_000_000L) answers.put(3L, new Holdings(4, 30));
                return super.ask(id);
            }
        };
        peers.answers.put(2L, new Holdings(5, 31));
        try (SegmentedWal wal = wal()) {
            assertThat(resolve(wal, peers, clock)).isTrue();
            assertThat(wal.hardState().term()).isEqualTo(5);
        }
        assertThat(clock.pauses).startsWith(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L);
        assertThat(clock.pauses).allMatch(p -> p <= FreshStart.MAX_PAUSE_MILLIS);
        assertThat(clock.now).isGreaterThanOrEqualTo(10_000_000_000L);
    }

    @Test
    void restartWhileCatchingUp_catchesUpAgainAtItsStoredTerm_withoutAsking() throws Exception {
        new CatchUpMarker(dir).write();
        try (SegmentedWal wal = wal()) {
            wal.setHardState(new HardState(11, 0, 0)); // the floor it was given, or a term it adopted since
            wal.sync();
        }
        Peers peers = new Peers();
        try (SegmentedWal wal = wal()) {
            assertThat(resolve(wal, peers, new FakeClock())).isTrue();
            assertThat(wal.hardState().term()).isEqualTo(11);
        }
        assertThat(peers.asked).hasValue(0);
    }

    @Test
    void restartBeforeTheFloorWasWritten_asksAgainAsAtTheFirstStart() throws Exception {
        new CatchUpMarker(dir).write(); // crashed right after: the log holds nothing, the core never ran
        Peers peers = new Peers();
        peers.answers.put(2L, Holdings.NONE);
        peers.answers.put(3L, Holdings.NONE);
        try (SegmentedWal wal = wal()) {
            assertThat(resolve(wal, peers, new FakeClock())).isFalse();
        }
        assertThat(peers.asked.get()).isPositive();
        assertThat(new CatchUpMarker(dir).present()).isFalse();
    }
}
