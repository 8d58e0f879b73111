package io.leifdb.bench.http;

import java.net.URI;
import java.net.URISyntaxException;

/** A host and port that speaks plain HTTP/1.1; the bench never uses TLS. */
public record Endpoint(String host, int port) {

  public Endpoint {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 1..65535");
    }
  }

  /** Parses {@code http://host:port[/...]} or a bare {@code host:port}; the path is ignored. */
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
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("only http:// URLs are supported, got " + url);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host in " + url);
    }
    int port = uri.getPort() == -1 ? 80 : uri.getPort();
    return new Endpoint(uri.getHost(), port);
  }

  /** The value for the Host header and the key leaders are cached under. */
  public String authority() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  @Override
  public String toString() {
    return "http://" + authority();
  }
}
