package io.leifdb.bench.http;

import java.net.URI;
import java.net.URISyntaxException;

/** A host and port that speaks HTTP/1.1, over TLS when {@code secure} (an https:// URL). */
public record Endpoint(String host, int port, boolean secure) {

  /** Plain HTTP. */
  public Endpoint(String host, int port) {
    this(host, port, false);
  }

  public Endpoint {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 1..65535");
    }
  }

  /** Parses {@code http[s]://host:port[/...]} or a bare {@code host:port} (http); the path is ignored. */
  public static Endpoint parse(String url) {
    String text = url.trim();
    if (!text.contains("://")) {
      text = "http://" + text;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + url);
    }
    boolean secure = "https".equalsIgnoreCase(uri.getScheme());
    if (!secure && !"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("only http:// and https:// URLs are supported, got " + url);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host in " + url);
    }
    int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
    return new Endpoint(uri.getHost(), port, secure);
  }

  /** The value for the Host header and the key leaders are cached under. */
  public String authority() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  @Override
  public String toString() {
    return (secure ? "https://" : "http://") + authority();
  }
}
