package io.leifdb.bench;

import io.leifdb.client.LeifClient;
import io.leifdb.client.LeifException;
import io.leifdb.client.OutcomeUnknownException;
import java.nio.charset.StandardCharsets;

/**
 * A worker's operations through leifdb-client: the same requests as {@link KvClient}, sent with the
 * client's generic call, so the figure measures its transport (leader memory, redirects, JSON
 * answers) and not a different workload. Many workers share one client, as an application would.
 */
final class LibraryOps implements KvOps {
  private final LeifClient client;

  LibraryOps(LeifClient client) {
    this.client = client;
  }

  @Override
  public KvClient.Outcome put(String target, byte[] body) {
    return outcome(() -> client.call("PUT", target, new String(body, StandardCharsets.UTF_8)));
  }

  @Override
  public KvClient.Outcome get(String target) {
    return outcome(() -> client.call("GET", target, null));
  }

  private static KvClient.Outcome outcome(Runnable op) {
    try {
      op.run();
      return KvClient.Outcome.OK;
    } catch (OutcomeUnknownException e) {
      return KvClient.Outcome.failed("outcome_unknown");
    } catch (LeifException e) {
      if (e.status() == 503 || e.status() == 429) {
        return KvClient.Outcome.backOff("http_" + e.status());
      }
      return KvClient.Outcome.failed(e.status() == 0 ? e.code() : "http_" + e.status());
    }
  }

  /** The client is shared; whoever built it closes it. */
  @Override
  public void close() {}
}
