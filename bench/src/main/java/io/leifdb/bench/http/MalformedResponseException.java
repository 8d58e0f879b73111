package io.leifdb.bench.http;

import java.io.IOException;

/** The server sent bytes that are not a well-formed HTTP/1.x response. */
public final class MalformedResponseException extends IOException {
    private static final long serialVersionUID = 1L;

  public MalformedResponseException(String message) {
    super(message);
  }
}
