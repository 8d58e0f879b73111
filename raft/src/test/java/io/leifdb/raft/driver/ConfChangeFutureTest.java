package io.leifdb.raft.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.MemoryStorage;
import io.leifdb.raft.ProposalDroppedException;
import io.leifdb.raft.RaftConfig;
import io.leifdb.raft.Role;
import io.leifdb.raft.Snapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The driver answers a membership change when its CONFIG entry applies, or at once with the core's refusal. */
class ConfChangeFutureTest {
    private record Sync(SyncTicket ticket, long term) {
    }

    private final ArrayDeque<Sync> syncs = new ArrayDeque<>();
    private final MemoryLog log = new MemoryLog(new MemoryStorage(ConfState.of(Set.of(1L))));
    private final RaftDriver<Long> driver = new RaftDriver<>(RaftConfig.defaults(1), log, new Applied(),
            messages -> { }, (ticket, term) -> syncs.add(new Sync(ticket, term)), new DriverObserver() { },
            IllegalStateException::new, 1);

    private void drain() {
        for (int round = 0; round < 100; round++) {
            while (driver.hasReady()) driver.processReady();
            if (syncs.isEmpty()) return;
            for (Sync s; (s = syncs.poll()) != null; ) driver.synced(s.ticket(), s.term());
        }
    }

    @Test
    void completesWithTheIndexOnceTheChangeIsApplied() throws Exception {
        driver.campaign();
        drain();
        assertThat(driver.status().role()).isEqualTo(Role.LEADER);
        CompletableFuture<Long> done = new CompletableFuture<>();
        ConfState withLearner = ConfState.of(Set.of(1L), Set.of(2L));
        driver.proposeConfChange(withLearner, done);
        drain();
        assertThat(done.get()).isEqualTo(log.lastIndex());
        assertThat(driver.confState()).isEqualTo(withLearner);
        assertThat(log.confState()).isEqualTo(withLearner); // the applied membership, which snapshots record
    }

    @Test
    void aFollowerRefusesAtOnceWithTheCoresReason() {
        CompletableFuture<Long> done = new CompletableFuture<>();
        driver.proposeConfChange(ConfState.of(Set.of(1L), Set.of(2L)), done);
        assertThat(done).isCompletedExceptionally();
        assertThat(cause(done)).isInstanceOfSatisfying(ProposalDroppedException.class,
                e -> assertThat(e.reason()).isEqualTo(ProposalDroppedException.Reason.NOT_LEADER));
    }

    @Test
    void removingTheLastVoterIsRefusedWithoutStoppingTheDriver() {
        driver.campaign();
        drain();
        CompletableFuture<Long> done = new CompletableFuture<>();
        driver.proposeConfChange(ConfState.of(Set.of()), done);
        assertThat(cause(done)).isInstanceOf(IllegalArgumentException.class);
        assertThat(driver.status().role()).isEqualTo(Role.LEADER);
    }

    private static Throwable cause(CompletableFuture<Long> f) {
        try {
            f.get();
            throw new AssertionError("completed normally");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A state machine that only counts: the test is about the driver. */
    private static final class Applied implements StateMachine<Long> {
        private long applied;

        @Override
        public long appliedIndex() {
            return applied;
        }

        @Override
        public List<Long> apply(List<Entry> committed) {
            List<Long> out = new ArrayList<>();
            for (Entry e : committed) {
                applied = e.index();
                out.add(null);
            }
            return out;
        }

        @Override
        public void installSnapshot(Snapshot snapshot) {
            applied = snapshot.meta().index();
        }

        @Override
        public void maybeSnapshot() {
        }
    }
}
