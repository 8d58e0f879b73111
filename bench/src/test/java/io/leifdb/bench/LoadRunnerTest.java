package io.leifdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.leifdb.bench.http.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.leifdb.client.LeifClient;

/** End to end through workers, stats and report against an in-memory key-value server. */
class LoadRunnerTest {
  private final Map<String, byte[]> store = new ConcurrentHashMap<>();
  private HttpServer server;
  private Endpoint endpoint;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/db/", this::handle);
    server.createContext("/health", ex -> reply(ex, 200, "{\"status\":\"OK\"}"));
    server.start();
    endpoint = new Endpoint("127.0.0.1", server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    String key = ex.getRequestURI().getPath().substring("/db/".length());
    byte[] body = ex.getRequestBody().readAllBytes();
    if (ex.getRequestMethod().equals("PUT")) {
      store.put(key, body);
      reply(ex, 200, "{\"status\":\"OK\"}");
    } else if (store.containsKey(key)) {
      reply(ex, 200, new String(store.get(key), StandardCharsets.UTF_8));
    } else {
      reply(ex, 404, "{\"error\":\"no such key\",\"code\":\"NOT_FOUND\"}");
    }
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private Settings settings(Workload workload, double rate, boolean preload) {
    return new Settings(workload, List.of(endpoint), 4, Duration.ofMillis(500), Duration.ZERO,
        200, 16, 32, rate, preload, 5000, 1, ZipfianGenerator.DEFAULT_THETA, false, null, null, false, List.of());
  }

  @Test
  void preloadedMixedRunReadsAndWritesWithoutErrors() throws Exception {
    LoadRunner.Result result =
        new LoadRunner(settings(Workload.MIXED, 0, true), new PrintStream(new ByteArrayOutputStream()))
            .run();

    assertThat(store).hasSize(200);
    assertThat(result.preload().failedKeys()).isZero();
    assertThat(result.stats().errorCount()).isZero();
    assertThat(result.stats().total(Stats.Op.READ).getTotalCount()).isPositive();
    assertThat(result.stats().total(Stats.Op.WRITE).getTotalCount()).isPositive();

    JsonNode json = new ObjectMapper().readTree(Report.json(result));
    assertThat(json.get("workload").asText()).isEqualTo("mixed");
    assertThat(json.get("ops").asLong()).isEqualTo(result.stats().combined().getTotalCount());
    assertThat(json.at("/latencyMs/read/p99").asDouble()).isPositive();
    assertThat(json.at("/errors/total").asLong()).isZero();
    assertThat(Report.text(result)).contains("closed loop").contains("p99.9 ms");
  }

  @Test
  void theJavaClientRunsTheSameWorkloadAndReportsTheSameErrorKinds() throws Exception {
    try (LeifClient library = LeifClient.builder(endpoint.toString()).maxAttempts(1).build()) {
      Settings s = settings(Workload.MIXED, 0, true);
      s = new Settings(s.workload(), s.urls(), s.connections(), s.duration(), s.warmup(), s.keys(), s.keySize(),
          s.valueSize(), s.rate(), s.preload(), s.timeoutMillis(), s.seed(), s.zipfTheta(), false, null, null, false, List.of(library));
      LoadRunner.Result result = new LoadRunner(s, new PrintStream(new ByteArrayOutputStream())).run();
      assertThat(store).hasSize(200);
      assertThat(result.stats().errorCount()).isZero();
      assertThat(result.stats().total(Stats.Op.READ).getTotalCount()).isPositive();
      assertThat(result.stats().total(Stats.Op.WRITE).getTotalCount()).isPositive();
      store.clear();
      Settings reads = new Settings(Workload.READ, s.urls(), s.connections(), s.duration(), s.warmup(), s.keys(),
          s.keySize(), s.valueSize(), 0, false, s.timeoutMillis(), s.seed(), s.zipfTheta(), false, null, null, false, List.of(library));
      assertThat(new LoadRunner(reads, new PrintStream(new ByteArrayOutputStream())).run().stats().errorsByKind())
          .containsOnlyKeys("http_404");
    }
  }

  @Test
  void readsWithoutPreloadCountNotFoundAsErrors() throws Exception {
    LoadRunner.Result result =
        new LoadRunner(settings(Workload.READ, 0, false), new PrintStream(new ByteArrayOutputStream()))
            .run();

    assertThat(result.stats().combined().getTotalCount()).isZero();
    assertThat(result.stats().errorsByKind()).containsOnlyKeys("http_404");
  }

  @Test
  void openLoopNeverSendsAheadOfItsSchedule() throws Exception {
    // 200 ops/s for 0.5 s: the schedule holds 100 sends, however fast the server is.
    LoadRunner.Result result =
        new LoadRunner(settings(Workload.WRITE, 200, false), new PrintStream(new ByteArrayOutputStream()))
            .run();

    assertThat(result.stats().combined().getTotalCount()).isBetween(1L, 101L);
    assertThat(Report.json(result)).contains("\"mode\":\"open-loop\"");
  }
}
