package io.leifdb.server.transport;

import io.leifdb.raft.Message;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class TransportShutdownTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    private static long transportThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("leifdb-transport-")).count();
    }

    private static java.util.List<String> transportThreadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("leifdb-transport-")).map(Thread::getName).toList();
    }

    @Test
    void closeReleasesThePortAndEveryThread() throws IOException {
        long before = transportThreads();
        // Closed mid-test on purpose, so not a try-with-resources; the finally covers a failed assertion.
        TransportFixture cluster = new TransportFixture(3);
        try {
            GrpcTransport a = cluster.start(1);
            cluster.start(2);
            cluster.start(3);
            await().atMost(BOUND).until(() -> a.isConnected(2) && a.isConnected(3));
            a.send(new Message.TimeoutNow(1, 2, 1));
            await().atMost(BOUND).until(() -> cluster.listener(2).messages.size() == 1);
            assertThat(transportThreads()).isGreaterThan(before);

            cluster.close();

            // Netty's loop threads finish exiting just after their termination future completes.
            await().atMost(BOUND).untilAsserted(() -> assertThat(transportThreadNames()).hasSize((int) before));
            for (long id = 1; id <= 3; id++) {
                try (ServerSocket s = new ServerSocket(cluster.port(id), 1, InetAddress.getLoopbackAddress())) {
                    assertThat(s.getLocalPort()).isEqualTo(cluster.port(id));
                }
            }
            long droppedBefore = a.stats().dropped();
            a.send(new Message.TimeoutNow(1, 2, 1));
            assertThat(a.stats().dropped()).isEqualTo(droppedBefore + 1);
            a.close(); // idempotent
        } finally {
            cluster.close();
        }
    }

    @Test
    void startFailsCleanlyWhenThePortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long before = transportThreads();
            GrpcTransport t = new GrpcTransport(TransportFixture.CLUSTER, 1, "127.0.0.1:" + taken.getLocalPort(), "127.0.0.1:8080",
                    Map.of(), new RecordingListener());
            try {
                assertThatThrownBy(t::start).isInstanceOf(IOException.class);
                // Netty's loop threads finish exiting just after their termination future completes.
                await().atMost(BOUND).untilAsserted(() -> assertThat(transportThreads()).isEqualTo(before));
            } finally {
                t.close();
            }
        }
    }

    @Test
    void portZeroBindsAFreePort() throws IOException {
        try (GrpcTransport t = new GrpcTransport(TransportFixture.CLUSTER, 1, "127.0.0.1:0", "127.0.0.1:8080", Map.of(), new RecordingListener())) {
            t.start();
            assertThat(t.boundPort()).isPositive();
            assertThatThrownBy(t::start).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void constructorRejectsBadIdsAndAddresses() {
        var l = new RecordingListener();
        assertThatThrownBy(() -> new GrpcTransport(TransportFixture.CLUSTER, 0, "127.0.0.1:1", "", Map.of(), l))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GrpcTransport(TransportFixture.CLUSTER, 1, "127.0.0.1", "", Map.of(), l))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GrpcTransport(TransportFixture.CLUSTER, 1, "127.0.0.1:1", "", Map.of(2L, "nowhere"), l))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
