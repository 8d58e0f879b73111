/**
 * JMH micro-benchmarks: the Raft core in memory ({@link io.leifdb.bench.jmh.CoreBench}), the WAL's
 * append and fsync ({@link io.leifdb.bench.jmh.WalBench}) and the HTTP JSON codec
 * ({@link io.leifdb.bench.jmh.HttpCodecBench}).
 *
 * <p>Run them after {@code mvn -pl bench -am package -DskipTests} with
 * {@code java -cp 'bench/target/leifdb-bench.jar:bench/target/lib/*' io.leifdb.bench.jmh.JmhMain [regex...]}
 * ({@code -h} lists the options). The build only smoke-tests them (JmhSmokeTest): one short
 * in-process iteration each, to catch a benchmark that throws, never to judge a figure.
 */
package io.leifdb.bench.jmh;
