package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Entry;
import io.leifdb.server.kv.KvStore;
import io.leifdb.server.kv.Lease;
import io.leifdb.server.kv.LeaseCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader's lease deadlines, in simulated time: the clock moves only when a test moves it. */
class LeaseKeeperTest {
    private static final long TERM = 2;
    @TempDir
    Path dir;
    private KvStore kv;
    private long now = 1_000_000_000L;
    private LeaseKeeper keeper;
    private long index;

    @BeforeEach
    void setUp() throws IOException {
        kv = KvStore.open(dir.resolve("kv"));
        keeper = new LeaseKeeper(() -> now, kv::leases);
    }

    @AfterEach
    void tearDown() {
        kv.close();
    }

    private long grant(long ttlMillis) throws IOException {
        return apply(new LeaseCommand.Grant(ttlMillis));
    }

    private long apply(LeaseCommand c) throws IOException {
        kv.apply(List.of(Entry.normal(TERM, ++index, c.encode())));
        return index;
    }

    private void advanceMillis(long ms) {
        now += TimeUnit.MILLISECONDS.toNanos(ms);
    }

    @Test
    void aLeaseIsDueOneTtlAfterTheLeaderFirstSeesItAndOnlyOnce() throws IOException {
        long id = grant(10_000);
        assertThat(keeper.due(TERM)).isEmpty();
        advanceMillis(9_999);
        assertThat(keeper.due(TERM)).isEmpty();
        advanceMillis(1);
        assertThat(keeper.due(TERM)).containsExactly(id);
        // Proposed once; while it is in flight, the tick proposes nothing more and keep-alives are refused.
        advanceMillis(50);
        assertThat(keeper.due(TERM)).isEmpty();
        assertThat(keeper.keepAlive(id)).isEmpty();
        assertThat(keeper.remainingMillis(kv.leases().get(id).orElseThrow())).isZero();
    }

    @Test
    void anExpiryLostToNoCommitIsProposedAgainAfterTheRetryInterval() throws IOException {
        long id = grant(1_000);
        keeper.due(TERM);
        advanceMillis(1_000);
        assertThat(keeper.due(TERM)).containsExactly(id);
        advanceMillis(TimeUnit.NANOSECONDS.toMillis(LeaseKeeper.RETRY_NANOS));
        assertThat(keeper.due(TERM)).containsExactly(id);
        apply(new LeaseCommand.Expire(id));
        advanceMillis(10_000);
        assertThat(keeper.due(TERM)).isEmpty();
    }

    @Test
    void aKeepAliveRestartsTheFullTtl() throws IOException {
        long id = grant(10_000);
        keeper.due(TERM);
        advanceMillis(8_000);
        Lease l = kv.leases().get(id).orElseThrow();
        assertThat(keeper.remainingMillis(l)).isEqualTo(2_000);
        assertThat(keeper.keepAlive(id)).contains(l);
        assertThat(keeper.remainingMillis(l)).isEqualTo(10_000);
        advanceMillis(9_999);
        assertThat(keeper.due(TERM)).isEmpty();
        advanceMillis(1);
        assertThat(keeper.due(TERM)).containsExactly(id);
    }

    @Test
    void leasesDueTogetherExpireInGrantOrder() throws IOException {
        long c = grant(3_000);
        long a = grant(1_000);
        long b = grant(2_000);
        keeper.due(TERM);
        advanceMillis(5_000);
        assertThat(keeper.due(TERM)).containsExactly(c, a, b);
    }

    @Test
    void aNewLeaderGivesEveryLeaseAFullTtlFromItsOwnStart() throws IOException {
        long id = grant(10_000);
        keeper.due(TERM);
        advanceMillis(9_000); // 1 s left on the old leader's clock
        assertThat(keeper.due(0)).isEmpty(); // this member stepped down: it forgets every deadline
        advanceMillis(5_000);
        assertThat(keeper.due(0)).isEmpty(); // a follower never expires anything, however late
        assertThat(keeper.due(TERM + 2)).isEmpty(); // leads again in a later term: a full TTL from now
        assertThat(keeper.remainingMillis(kv.leases().get(id).orElseThrow())).isEqualTo(10_000);
        advanceMillis(9_999);
        assertThat(keeper.due(TERM + 2)).isEmpty();
        advanceMillis(1);
        assertThat(keeper.due(TERM + 2)).containsExactly(id);
    }

    @Test
    void aTermChangeBetweenTwoTicksAlsoRestartsEveryTtl() throws IOException {
        long id = grant(10_000);
        keeper.due(TERM);
        advanceMillis(9_900);
        assertThat(keeper.due(TERM + 1)).isEmpty();
        advanceMillis(9_999);
        assertThat(keeper.due(TERM + 1)).isEmpty();
        advanceMillis(1);
        assertThat(keeper.due(TERM + 1)).containsExactly(id);
    }

    @Test
    void aLeaseGrantedWhileLeadingStartsWhenItIsApplied() throws IOException {
        keeper.due(TERM);
        advanceMillis(60_000);
        long id = grant(2_000);
        advanceMillis(500);
        assertThat(keeper.remainingMillis(kv.leases().get(id).orElseThrow())).isEqualTo(2_000);
        advanceMillis(1_999);
        assertThat(keeper.due(TERM)).isEmpty();
        advanceMillis(1);
        assertThat(keeper.due(TERM)).containsExactly(id);
    }

    @Test
    void revokedAndUnknownLeasesTakeNoKeepAlive() throws IOException {
        long id = grant(5_000);
        keeper.due(TERM);
        apply(new LeaseCommand.Revoke(id));
        assertThat(keeper.keepAlive(id)).isEmpty();
        assertThat(keeper.keepAlive(12345)).isEmpty();
        advanceMillis(60_000);
        assertThat(keeper.due(TERM)).isEmpty();
    }
}
