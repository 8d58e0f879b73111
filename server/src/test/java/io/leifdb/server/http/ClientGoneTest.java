package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Clients that go away mid-request cost one debug line each and never a stack trace (issue 11, part 7). */
class ClientGoneTest extends ApiTestBase {
    private static final int CLIENTS = 50;
    private static final int DECLARED = 1 << 20;

    @Test
    void fiftyClientsThatCloseMidBodyLeaveOneDebugLineEachAndTheServerServes() {
        try (ServerLog log = new ServerLog(Guard.class)) {
            List<RawHttp> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    RawHttp c = new RawHttp(api.port());
                    clients.add(c);
                    c.send(("PUT /db/gone" + i + " HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + DECLARED + "\r\n\r\n{\"value\":\"" + "p".repeat(4096))
                            .getBytes(StandardCharsets.US_ASCII));
                }
            } finally {
                clients.forEach(RawHttp::close);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> log.debugLines("client went away") >= CLIENTS);
            assertThat(client.get("/health").statusCode()).isEqualTo(200);
            assertThat(log.debugLines("client went away")).isEqualTo(CLIENTS);
            assertThat(log.complaints()).isEmpty();
            assertThat(backend.data).isEmpty();
        }
    }
}
