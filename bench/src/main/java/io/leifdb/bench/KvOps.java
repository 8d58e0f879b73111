package io.leifdb.bench;

/**
 * What a load worker does to the cluster: {@link KvClient} (the bench's own HTTP/1.1 code, one
 * connection per worker) or {@link LibraryOps} (leifdb-client, the Java client applications use).
 * Not thread-safe: one per worker.
 */
interface KvOps extends AutoCloseable {
  /** PUT {@code target} (a {@code /db/KEY} path) with a JSON body. */
  KvClient.Outcome put(String target, byte[] body);

  /** GET {@code target} (a {@code /db/KEY} path, maybe with a query). */
  KvClient.Outcome get(String target);

  @Override
  void close();
}
