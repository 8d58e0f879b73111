package io.leifdb.bench;

import io.leifdb.bench.http.Endpoint;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * One bench run's parameters, already validated by {@link BenchMain}.
 *
 * @param rate total operations per second across all connections; 0 means closed loop
 * @param tls  the TLS context for https:// URLs; null for the JDK's default
 * @param token a bearer token for every request (auth on), or null
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
    String token) {

  boolean openLoop() {
    return rate > 0;
  }

  KeyChooser keyChooser() {
    return workload.zipfian ? new ZipfianGenerator(keys, zipfTheta) : KeyChooser.uniform(keys);
  }
}
