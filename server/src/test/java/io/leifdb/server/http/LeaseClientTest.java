package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.leifdb.client.KeepAlive;
import io.leifdb.client.LeifClient;
import io.leifdb.client.LeifException;
import io.leifdb.client.Leases;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The Java client's leases on a running node: automatic keep-alive, expiry once it stops, revocation. */
class LeaseClientTest extends NodeTestBase {

    @Test
    void aKeptAliveLeaseOutlivesItsTtlAndItsKeyExpiresOnceRenewingStops() {
        try (LeifClient db = LeifClient.builder(node.client.base).build()) {
            Leases.Lease lease = db.leases().grant(Duration.ofSeconds(1));
            assertThat(lease.ttl()).isEqualTo(Duration.ofSeconds(1));
            db.leases().put("client-lease/kept", "v", lease.id());
            try (KeepAlive renewing = db.leases().keepAliveForever(lease.id(), e -> { })) {
                await("the key outlives three TTLs while renewed").during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(6)).until(() -> db.get("client-lease/kept").isPresent());
                assertThat(renewing.lost()).isNull();
            }
            await("the key expires once renewing stopped").atMost(Duration.ofSeconds(10))
                    .until(() -> db.get("client-lease/kept").isEmpty());
            assertThat(db.leases().get(lease.id())).isEmpty();
            assertThatThrownBy(() -> db.leases().keepAlive(lease.id())).isInstanceOfSatisfying(LeifException.class,
                    e -> assertThat(e.status()).isEqualTo(404));
        }
    }

    @Test
    void revokingDeletesTheKeysAndEndsTheKeepAliveWithTheReason() throws Exception {
        try (LeifClient db = LeifClient.builder(node.client.base).build()) {
            Leases.Lease lease = db.leases().grant(Duration.ofSeconds(3));
            db.leases().put("client-lease/a", "1", lease.id());
            db.leases().put("client-lease/b", "2", lease.id());
            assertThat(db.leases().get(lease.id())).hasValueSatisfying(l ->
                    assertThat(l.keys()).containsExactlyInAnyOrder("client-lease/a", "client-lease/b"));
            assertThat(db.leases().list()).extracting(Leases.Lease::id).contains(lease.id());
            CompletableFuture<LeifException> lost = new CompletableFuture<>();
            try (KeepAlive renewing = db.leases().keepAliveForever(lease.id(), lost::complete)) {
                assertThat(db.leases().revoke(lease.id())).containsExactlyInAnyOrder("client-lease/a", "client-lease/b");
                assertThat(lost.get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(404);
                assertThat(renewing.lost()).isNotNull();
            }
            assertThat(db.get("client-lease/a")).isEmpty();
            assertThat(db.get("client-lease/b")).isEmpty();
        }
    }
}
