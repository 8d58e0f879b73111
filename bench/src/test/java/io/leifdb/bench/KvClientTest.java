package io.leifdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.leifdb.bench.http.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redirect following and error classification against real loopback HTTP servers. */
class KvClientTest {
  private final List<HttpServer> servers = new ArrayList<>();
  private final List<KvClient> clients = new ArrayList<>();

  @AfterEach
  void stopAll() {
    clients.forEach(KvClient::close);
    servers.forEach(s -> s.stop(0));
  }

  private interface Handler {
    void handle(HttpExchange exchange, Endpoint self) throws IOException;
  }

  private Endpoint serve(Handler handler, AtomicInteger hits) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    Endpoint self = new Endpoint("127.0.0.1", server.getAddress().getPort());
    server.createContext("/", ex -> {
      hits.incrementAndGet();
      ex.getRequestBody().readAllBytes();
      handler.handle(ex, self);
      ex.close();
    });
    server.start();
    servers.add(server);
    return self;
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
  }

  private KvClient client(Endpoint home, Routing routing) {
    KvClient c = new KvClient(home, routing, 5000);
    clients.add(c);
    return c;
  }

  private static final byte[] BODY = Payloads.jsonBody("v");

  @Test
  void followsRedirectToLeaderAndThenWritesThereDirectly() throws IOException {
    AtomicInteger leaderHits = new AtomicInteger();
    AtomicInteger followerHits = new AtomicInteger();
    Endpoint leader = serve((ex, self) -> reply(ex, 200, "{\"status\":\"OK\"}"), leaderHits);
    Endpoint follower =
        serve(
            (ex, self) -> {
              ex.getResponseHeaders().add("Location", leader + ex.getRequestURI().getRawPath());
              reply(ex, 307, "");
            },
            followerHits);
    Routing routing = new Routing();

    KvClient.Outcome first = client(follower, routing).put("/db/k1", BODY);
    KvClient.Outcome second = client(follower, routing).put("/db/k2", BODY);

    assertThat(first.ok()).isTrue();
    assertThat(second.ok()).isTrue();
    assertThat(routing.leader()).isEqualTo(leader);
    assertThat(followerHits).hasValue(1);
    assertThat(leaderHits).hasValue(2);
  }

  @Test
  void redirectCycleIsReportedAsRedirectLoop() throws IOException {
    AtomicInteger hits = new AtomicInteger();
    Endpoint self =
        serve(
            (ex, me) -> {
              ex.getResponseHeaders().add("Location", "/db/again");
              reply(ex, 307, "");
            },
            hits);

    KvClient.Outcome outcome = client(self, new Routing()).put("/db/k", BODY);

    assertThat(outcome.error()).isEqualTo("redirect_loop");
    assertThat(hits).hasValue(KvClient.MAX_REDIRECTS + 1);
  }

  @Test
  void classifiesStatusCodesAndBacksOffOnUnavailable() throws IOException {
    AtomicInteger hits = new AtomicInteger();
    Endpoint node =
        serve(
            (ex, me) -> {
              if (ex.getRequestURI().getPath().endsWith("missing")) {
                reply(ex, 404, "{\"error\":\"not found\",\"code\":\"NOT_FOUND\"}");
              } else {
                ex.getResponseHeaders().add("Retry-After", "1");
                reply(ex, 503, "{\"error\":\"no leader\",\"code\":\"NO_LEADER\"}");
              }
            },
            hits);
    KvClient client = client(node, new Routing());

    KvClient.Outcome missing = client.get("/db/missing");
    KvClient.Outcome unavailable = client.put("/db/k", BODY);

    assertThat(missing.error()).isEqualTo("http_404");
    assertThat(missing.backOff()).isFalse();
    assertThat(unavailable.error()).isEqualTo("http_503");
    assertThat(unavailable.backOff()).isTrue();
  }

  @Test
  void refusedConnectionForgetsTheCachedLeader() throws IOException {
    AtomicInteger hits = new AtomicInteger();
    Endpoint home = serve((ex, me) -> reply(ex, 200, "{}"), hits);
    Endpoint dead;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = new Endpoint("127.0.0.1", gone.getLocalPort());
    } // bound then released: nothing listens there any more
    Routing routing = new Routing();
    routing.learnedLeader(dead, false);
    KvClient client = client(home, routing);

    KvClient.Outcome refused = client.put("/db/k", BODY);
    KvClient.Outcome retried = client.put("/db/k", BODY);

    assertThat(refused.error()).isEqualTo("connection_refused");
    assertThat(routing.leader()).isNull();
    assertThat(retried.ok()).isTrue();
    assertThat(hits).hasValue(1);
  }

  @Test
  void aTokenTravelsWithEveryRequestAndFollowsRedirects() throws Exception {
    List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    Endpoint leader = serve((ex, self) -> {
      seen.add(ex.getRequestHeaders().getFirst("Authorization"));
      reply(ex, 200, "{}");
    }, new AtomicInteger());
    Endpoint follower = serve((ex, self) -> {
      seen.add(ex.getRequestHeaders().getFirst("Authorization"));
      ex.getResponseHeaders().add("Location", "http://" + leader.authority() + ex.getRequestURI());
      reply(ex, 307, "");
    }, new AtomicInteger());
    KvClient c = new KvClient(follower, new Routing(), 5000, null, "tok.en-1");
    clients.add(c);
    assertThat(c.put("/db/k", "{\"value\":\"v\"}".getBytes(StandardCharsets.UTF_8)).ok()).isTrue();
    assertThat(seen).containsExactly("Bearer tok.en-1", "Bearer tok.en-1");
  }
}
