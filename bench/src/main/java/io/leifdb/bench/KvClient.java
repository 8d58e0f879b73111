package io.leifdb.bench;

import io.leifdb.bench.http.Endpoint;
import io.leifdb.bench.http.HttpConnection;
import io.leifdb.bench.http.HttpResponse;
import io.leifdb.bench.http.MalformedResponseException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * One worker's view of the cluster: a keep-alive connection per node it has talked to, and the
 * redirect following that takes writes to the leader. Not thread-safe: one per worker.
 */
final class KvClient implements KvOps {
  /** More hops than nodes in any sane cluster means the nodes disagree about the leader. */
  static final int MAX_REDIRECTS = 5;

  private final Endpoint home;
  private final Routing routing;
  private final int timeoutMillis;
  private final SSLContext tls;
  private final String token;
  /** Accept header of reads: null (JSON), or application/octet-stream for raw bytes. */
  private final String readAccept;
  private final Map<Endpoint, HttpConnection> connections = new HashMap<>();

  KvClient(Endpoint home, Routing routing, int timeoutMillis) {
    this(home, routing, timeoutMillis, null);
  }

  /** {@code tls}: the context for https endpoints, null for the JDK's default. */
  KvClient(Endpoint home, Routing routing, int timeoutMillis, SSLContext tls) {
    this(home, routing, timeoutMillis, tls, null);
  }

  /** {@code token}: a bearer token every request carries (auth on), or null. */
  KvClient(Endpoint home, Routing routing, int timeoutMillis, SSLContext tls, String token) {
    this(home, routing, timeoutMillis, tls, token, false);
  }

  /** {@code rawReads}: GETs ask for the value's raw bytes (Accept: application/octet-stream) instead of JSON. */
  KvClient(Endpoint home, Routing routing, int timeoutMillis, SSLContext tls, String token, boolean rawReads) {
    this.token = token;
    this.readAccept = rawReads ? "application/octet-stream" : null;
    this.home = home;
    this.routing = routing;
    this.timeoutMillis = timeoutMillis;
    this.tls = tls;
  }

  @Override
  public Outcome put(String target, byte[] body) {
    Endpoint leader = routing.leader();
    return execute("PUT", target, body, leader != null ? leader : home, false);
  }

  @Override
  public Outcome get(String target) {
    Endpoint leader = routing.readsGoToLeader() ? routing.leader() : null;
    return execute("GET", target, null, leader != null ? leader : home, true);
  }

  private Outcome execute(String method, String target, byte[] body, Endpoint first, boolean read) {
    Endpoint endpoint = first;
    String path = target;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpResponse response;
      try {
        response = connection(endpoint).send(method, path, body, read ? readAccept : null);
      } catch (IOException e) {
        connections.remove(endpoint);
        routing.forget(endpoint);
        return Outcome.failed(kindOf(e));
      }
      if (!response.isRedirect()) {
        if (hop > 0) {
          routing.learnedLeader(endpoint, read);
        }
        return switch (response.status()) {
          case 200, 201, 204 -> Outcome.OK;
          case 503, 429 -> Outcome.backOff("http_" + response.status());
          default -> Outcome.failed("http_" + response.status());
        };
      }
      URI location;
      try {
        location = new URI(response.location());
      } catch (URISyntaxException e) {
        return Outcome.failed("bad_redirect");
      }
      if (location.getHost() != null) {
        try {
          endpoint = Endpoint.parse(location.getScheme() + "://" + location.getRawAuthority());
        } catch (IllegalArgumentException e) {
          return Outcome.failed("bad_redirect");
        }
      }
      String rawPath = location.getRawPath();
      if (rawPath == null || rawPath.isEmpty()) {
        return Outcome.failed("bad_redirect");
      }
      path = location.getRawQuery() == null ? rawPath : rawPath + "?" + location.getRawQuery();
    }
    return Outcome.failed("redirect_loop");
  }

  private HttpConnection connection(Endpoint endpoint) throws IOException {
    HttpConnection c = connections.get(endpoint);
    if (c == null || !c.isOpen()) {
      c = new HttpConnection(endpoint, timeoutMillis, tls, token);
      connections.put(endpoint, c);
    }
    return c;
  }

  static String kindOf(IOException e) {
    if (e instanceof ConnectException) {
      return "connection_refused";
    }
    if (e instanceof SocketTimeoutException) {
      return "timeout";
    }
    if (e instanceof javax.net.ssl.SSLException) {
      return "tls";
    }
    if (e instanceof MalformedResponseException) {
      return "bad_response";
    }
    if (e instanceof EOFException || e instanceof SocketException) {
      return "connection_closed";
    }
    return "io_error";
  }

  @Override
  public void close() {
    connections.values().forEach(HttpConnection::close);
    connections.clear();
  }

  /** The result of one operation: success, or the kind of error it ended with. */
  record Outcome(String error, boolean backOff) {
    static final Outcome OK = new Outcome(null, false);

    static Outcome failed(String kind) {
      // A refused connection repeats instantly; pause like for 503 so the loop does not spin.
      return new Outcome(kind, kind.equals("connection_refused"));
    }

    static Outcome backOff(String kind) {
      return new Outcome(kind, true);
    }

    boolean ok() {
      return error == null;
    }
  }
}
