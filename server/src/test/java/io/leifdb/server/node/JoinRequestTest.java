package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.leifdb.server.config.JoinSettings;
import io.leifdb.server.kv.AddressBook;
import io.leifdb.server.transport.ClusterIds;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a join sends and how it takes a refusal of its credentials, against a stand-in member. */
class JoinRequestTest {
    private static final AddressBook.Addresses SELF = new AddressBook.Addresses("127.0.0.1:17000", "127.0.0.1:18000");
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    /** A member that refuses the first {@code refusals} requests with 401, then adds the node. */
    private URI member(int refusals) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/cluster/members", ex -> {
            authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            if (requests.incrementAndGet() <= refusals) {
                answer(ex, 401, "{\"error\":\"wrong user name or password\",\"code\":\"unauthorized\"}");
            } else {
                answer(ex, 201, "{\"clusterId\":\"" + ClusterIds.format(77) + "\",\"members\":[{\"id\":\"5\","
                        + "\"raftAddress\":\"127.0.0.1:17001\",\"httpAddress\":\"127.0.0.1:18001\"}]}");
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Test
    void theJoinAuthenticatesAsItsUserAndRetriesARefusedPasswordUntilAccepted() throws IOException {
        JoinSettings settings = new JoinSettings(member(1), Optional.empty(), Optional.of("root"), Optional.of("s3cret-pass"));
        JoinRequest.Joined joined = new JoinRequest(settings, 42, SELF).run();
        assertThat(joined.clusterId()).isEqualTo(77);
        assertThat(joined.members().of(5)).hasValue(new AddressBook.Addresses("127.0.0.1:17001", "127.0.0.1:18001"));
        String basic = "Basic " + Base64.getEncoder().encodeToString("root:s3cret-pass".getBytes(StandardCharsets.UTF_8));
        assertThat(authorizations).containsExactly(basic, basic);
    }

    @Test
    void aJoinWithoutCredentialsThatTheClusterRequiresStopsWithOneLine() throws IOException {
        JoinSettings settings = new JoinSettings(member(Integer.MAX_VALUE), Optional.empty(), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> new JoinRequest(settings, 42, SELF).run())
                .isInstanceOf(JoinRequest.Refused.class)
                .hasMessageContaining("requires authentication (401: wrong user name or password)")
                .hasMessageContaining("LEIFDB_JOIN_PASSWORD_FILE")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(requests).hasValue(1);
        assertThat(authorizations).containsExactly("null");
    }
}
