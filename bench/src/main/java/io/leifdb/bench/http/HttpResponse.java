package io.leifdb.bench.http;

import java.nio.charset.StandardCharsets;

/**
 * One parsed HTTP/1.1 response. Only the headers the bench acts on are kept.
 *
 * @param status the status code
 * @param location the Location header, or null
 * @param retryAfter the Retry-After header, or null
 * @param connectionClose true when the server will close the connection after this response
 * @param body the decoded body (chunked transfer coding already removed)
 */
public record HttpResponse(
    int status, String location, String retryAfter, boolean connectionClose, byte[] body) {

  public boolean isRedirect() {
    return (status == 307 || status == 308 || status == 301 || status == 302 || status == 303)
        && location != null;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
