package io.leifdb.bench;

import io.leifdb.bench.http.Endpoint;
import io.leifdb.bench.http.HttpConnection;
import io.leifdb.client.LeifClient;
import io.leifdb.client.LeifClientBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import io.leifdb.server.cli.TlsOptions;
import io.leifdb.server.tls.ClientSsl;
import io.leifdb.server.tls.TlsFileException;
import javax.net.ssl.SSLContext;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code leifdb bench}: an HTTP load generator for LeifDB clusters. */
@Command(
    name = "leifdb bench",
    mixinStandardHelpOptions = true,
    version = "leifdb bench 0.1",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Drives load against LeifDB nodes over HTTP/1.1 keep-alive and reports throughput and "
          + "latency percentiles. Closed loop by default (each connection sends as soon as the "
          + "last answer arrived); with --rate, open loop at a fixed total rate, with latency "
          + "measured from each request's intended send time. Requests follow 307/308 redirects "
          + "and remember the leader.",
      "Progress goes to stderr once a second; the report goes to stdout."
    })
public final class BenchMain implements Callable<Integer> {

  @Option(names = {"-u", "--url"}, paramLabel = "URL",
      description = "node URL, repeatable; connections are spread over them (default: ${DEFAULT-VALUE})",
      defaultValue = "http://127.0.0.1:8080")
  List<String> urls;

  @Option(names = {"-w", "--workload"}, paramLabel = "NAME", converter = Workload.Converter.class,
      completionCandidates = Workload.Names.class, defaultValue = "write",
      description = "one of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  Workload workload;

  @Option(names = {"-c", "--connections"}, paramLabel = "N", defaultValue = "64",
      description = "concurrent connections, one worker thread each (default: ${DEFAULT-VALUE})")
  int connections;

  @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
      description = "measured time, e.g. 30s, 2m, 500ms (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "1s",
      description = "load before measuring starts, not counted (default: ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(names = {"-r", "--rate"}, paramLabel = "OPS", defaultValue = "0",
      description = "total ops/s for open loop; 0 runs closed loop (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(names = {"-k", "--keys"}, paramLabel = "N", defaultValue = "10000",
      description = "size of the key space (default: ${DEFAULT-VALUE})")
  int keys;

  @Option(names = "--key-size", paramLabel = "BYTES", defaultValue = "16",
      description = "bytes per key (default: ${DEFAULT-VALUE})")
  int keySize;

  @Option(names = {"-s", "--value-size"}, paramLabel = "BYTES", defaultValue = "256",
      description = "bytes per value (default: ${DEFAULT-VALUE})")
  int valueSize;

  @Option(names = "--preload",
      description = "write every key once before a workload that reads")
  boolean preload;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5s",
      description = "connect and response timeout per request (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--zipf-theta", paramLabel = "THETA", defaultValue = "0.99",
      description = "skew of the ycsb-* key choice, in (0, 1) (default: ${DEFAULT-VALUE})")
  double zipfTheta;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "seed for keys, values and the operation mix (default: ${DEFAULT-VALUE})")
  long seed;

  @Mixin
  TlsOptions tls;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:LEIFDB_TOKEN}",
      description = "bearer token sent with every request when auth is on (from POST /auth/token;"
          + " default: LEIFDB_TOKEN)")
  String token;

  @Option(names = "--client", paramLabel = "KIND", defaultValue = "raw",
      description = "raw: the bench's own HTTP/1.1 code, a connection per worker; java: leifdb-client,"
          + " one shared by every worker as an application would (default: ${DEFAULT-VALUE})")
  String client;

  @Option(names = "--raw-reads",
      description = "reads ask for the value's raw bytes (Accept: application/octet-stream), which a"
          + " member holding a coded value streams while it gathers; default: JSON. Only with --client raw")
  boolean rawReads;

  @Option(names = "--json", description = "print the report as one JSON object")
  boolean json;

  @Option(names = "--no-progress", description = "no progress line on stderr")
  boolean noProgress;

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new BenchMain());
    cli.setParameterExceptionHandler(
        (e, a) -> {
          PrintStream err = System.err;
          err.println("leifdb bench: " + e.getMessage() + " (see --help)");
          return 2;
        });
    cli.setExecutionExceptionHandler(
        (e, c, p) -> {
          System.err.println("leifdb bench: " + e);
          return 1;
        });
    System.exit(cli.execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    Settings settings;
    try {
      settings = settings();
      new Payloads(settings.keys(), settings.keySize(), 1, false, 0); // checks key size early
    } catch (IllegalArgumentException e) {
      System.err.println("leifdb bench: " + e.getMessage());
      return 2;
    }
    for (Endpoint endpoint : settings.urls()) {
      String problem = probe(endpoint, settings.timeoutMillis(), settings.tls(), settings.token());
      if (problem != null) {
        System.err.println("leifdb bench: cannot reach " + endpoint + ": " + problem);
        return 1;
      }
    }
    if (settings.workload().reads() && !settings.preload()) {
      System.err.println("leifdb bench: note: without --preload, reads of keys never written"
          + " answer 404 and count as errors");
    }
    LoadRunner.Result result;
    try {
      result = new LoadRunner(settings, System.err).run();
    } finally {
      settings.library().forEach(LeifClient::close);
    }
    System.out.print(json ? Report.json(result) + System.lineSeparator() : Report.text(result));
    System.out.flush();
    return result.stats().combined().getTotalCount() > 0 ? 0 : 1;
  }

  private Settings settings() {
    require(connections >= 1 && connections <= 10_000, "--connections", connections,
        "1..10000");
    require(!duration.isNegative() && !duration.isZero(), "--duration", duration,
        "a positive duration");
    require(!warmup.isNegative(), "--warmup", warmup, "zero or a positive duration");
    require(rate >= 0 && Double.isFinite(rate), "--rate", rate, "0 (closed loop) or more");
    require(keys >= 1, "--keys", keys, "1 or more");
    require(keySize >= 2 && keySize <= 4096, "--key-size", keySize, "2..4096");
    require(valueSize >= 0 && valueSize <= 16 * 1024 * 1024, "--value-size", valueSize,
        "0..16777216");
    require(zipfTheta > 0 && zipfTheta < 1, "--zipf-theta", zipfTheta, "a number in (0, 1)");
    long timeoutMillis = timeout.toMillis();
    require(timeoutMillis >= 1 && timeoutMillis <= Integer.MAX_VALUE, "--timeout", timeout,
        "1ms or more");
    require(token == null || token.isBlank() || token.strip().matches("[A-Za-z0-9._~+/=-]+"), "--token", "(hidden)",
        "a token as POST /auth/token returns it");
    require(client.equals("raw") || client.equals("java"), "--client", client, "raw or java");
    require(!rawReads || client.equals("raw"), "--raw-reads", "with --client " + client, "--client raw");
    List<Endpoint> endpoints = urls.stream().map(Endpoint::parse).toList();
    SSLContext ssl = sslContext();
    String bearer = token == null || token.isBlank() ? null : token.strip();
    return new Settings(workload, endpoints, connections, duration, warmup, keys, keySize,
        valueSize, rate, preload, (int) timeoutMillis, seed, zipfTheta, !noProgress, ssl, bearer, rawReads,
        client.equals("java") ? library(endpoints, timeout, ssl, bearer) : List.of());
  }

  /**
   * A client per URL, that URL first, so reads spread over the nodes as raw's home nodes do. One attempt
   * per operation: the workers count errors and back off themselves, as with raw.
   */
  private static List<LeifClient> library(List<Endpoint> endpoints, Duration timeout, SSLContext ssl, String bearer) {
    List<LeifClient> clients = new java.util.ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      String[] seeds = new String[endpoints.size()];
      for (int j = 0; j < seeds.length; j++) seeds[j] = endpoints.get((i + j) % seeds.length).toString();
      LeifClientBuilder b = LeifClient.builder(seeds).timeout(timeout).maxAttempts(1);
      if (ssl != null) b.sslContext(ssl).sslParameters(ClientSsl.parameters(ssl));
      if (bearer != null) b.bearerToken(bearer);
      clients.add(b.build());
    }
    return clients;
  }

  private SSLContext sslContext() {
    try {
      return tls.sslContext();
    } catch (TlsFileException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  private static void require(boolean ok, String option, Object value, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException(
          "invalid value for " + option + ": " + value + " (allowed: " + allowed + ")");
    }
  }

  /** Any HTTP answer means a server listens; only a failure to talk HTTP at all stops the run. */
  private static String probe(Endpoint endpoint, int timeoutMillis, SSLContext tls, String token) {
    try (HttpConnection c = new HttpConnection(endpoint, timeoutMillis, tls, token)) {
      c.send("GET", "/health", null);
      return null;
    } catch (IOException e) {
      return KvClient.kindOf(e).replace('_', ' ')
          + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }
  }

  /** Accepts 500ms, 20s, 2m, 1h, a bare number of seconds, or ISO-8601 such as PT20S. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (v.startsWith("pt")) {
          return Duration.parse(v.toUpperCase(Locale.ROOT));
        }
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
          return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
          return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
        }
        if (v.endsWith("h")) {
          return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
      } catch (NumberFormatException | DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a duration (allowed: e.g. 500ms, 20s, 2m, 1h)");
      }
    }
  }
}
