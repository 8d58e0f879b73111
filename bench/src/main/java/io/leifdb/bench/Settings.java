package io.leifdb.bench;

import io.leifdb.bench.http.Endpoint;
import io.leifdb.client.LeifClient;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * One bench run's parameters, already validated by {@link BenchMain}.
 *
 * @param rate total operations per second across all connections; 0 means closed loop
 * @param tls  the TLS context for https:// URLs; null for the JDK's default
 * @param token a bearer token for every request (auth on), or null
 * @param rawReads reads ask for raw bytes (Accept: application/octet-stream), which a member may stream
 * @param library with --client java, one leifdb-client per URL (that URL first, the rest as fallback seeds),
 *     which the workers of that URL share; empty for the bench's own HTTP code
 */
record Settings(
    Workload workload,
    List<Endpoint> urls,
    int connections,
    Duration duration,
    Duration warmup,
    int keys,
    int keySize,
    int valueSize,
    double rate,
    boolean preload,
    int timeoutMillis,
    long seed,
    double zipfTheta,
    boolean progress,
    SSLContext tls,
    String token,
    boolean rawReads,
    List<LeifClient> library) {

  /** Worker {@code i}'s way to the cluster. */
  KvOps ops(int i, Routing routing) {
    return !library.isEmpty() ? new LibraryOps(library.get(i % library.size()))
        : new KvClient(urls.get(i % urls.size()), routing, timeoutMillis, tls, token, rawReads);
  }

  boolean openLoop() {
    return rate > 0;
  }

  KeyChooser keyChooser() {
    return workload.zipfian ? new ZipfianGenerator(keys, zipfTheta) : KeyChooser.uniform(keys);
  }
}
