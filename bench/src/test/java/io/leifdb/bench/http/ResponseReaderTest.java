package io.leifdb.bench.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseReaderTest {

  private static ResponseReader reader(String wire, int bufferSize) {
    return new ResponseReader(
        new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)), bufferSize);
  }

  @Test
  void readsContentLengthBodiesBackToBackOnOneConnection() throws IOException {
    String wire =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n"
            + "{\"status\":\"OK\"}"
            + "HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\n\r\n{}";
    ResponseReader r = reader(wire, 16 * 1024);

    HttpResponse first = r.read(false);
    HttpResponse second = r.read(false);

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.bodyText()).isEqualTo("{\"status\":\"OK\"}");
    assertThat(first.connectionClose()).isFalse();
    assertThat(second.status()).isEqualTo(404);
    assertThat(second.bodyText()).isEqualTo("{}");
  }

  @Test
  void decodesChunkedBodyWithExtensionsAndTrailers() throws IOException {
    String wire =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=x\r\nhello\r\n"
            + "7\r\n, world\r\n"
            + "0\r\nX-Trailer: 1\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\n\r\n";
    ResponseReader r = reader(wire, 16 * 1024);

    assertThat(r.read(false).bodyText()).isEqualTo("hello, world");
    HttpResponse next = r.read(false);
    assertThat(next.status()).isEqualTo(204);
    assertThat(next.body()).isEmpty();
  }

  @Test
  void keepsRedirectHeadersAndHonoursConnectionClose() throws IOException {
    String wire =
        "HTTP/1.1 307 Temporary Redirect\r\nLOCATION:  http://localhost:8081/db/k%2F1 \r\n"
            + "Retry-After: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

    HttpResponse r = reader(wire, 16 * 1024).read(false);

    assertThat(r.status()).isEqualTo(307);
    assertThat(r.isRedirect()).isTrue();
    assertThat(r.location()).isEqualTo("http://localhost:8081/db/k%2F1");
    assertThat(r.retryAfter()).isEqualTo("1");
    assertThat(r.connectionClose()).isTrue();
  }

  @Test
  void parsesLinesSplitAcrossTinyReadsIncludingCrAtBufferEdge() throws IOException {
    String wire = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nContent-Length: 3\r\n\r\nabc";
    // One byte per read(): every CR lands at a buffer edge and must still be stripped.
    InputStream trickle =
        new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1));
          }
        };

    HttpResponse r = new ResponseReader(trickle, 4).read(false);

    assertThat(r.status()).isEqualTo(503);
    assertThat(r.retryAfter()).isEqualTo("2");
    assertThat(r.bodyText()).isEqualTo("abc");
  }

  @Test
  void skipsInterimContinueResponse() throws IOException {
    String wire = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx";

    assertThat(reader(wire, 64).read(false).bodyText()).isEqualTo("x");
  }

  @Test
  void bodyWithoutLengthRunsToEndOfStreamAndClosesConnection() throws IOException {
    HttpResponse r = reader("HTTP/1.0 200 OK\r\n\r\nuntil the end", 5).read(false);

    assertThat(r.bodyText()).isEqualTo("until the end");
    assertThat(r.connectionClose()).isTrue();
  }

  @Test
  void headResponseHasNoBodyDespiteContentLength() throws IOException {
    HttpResponse r = reader("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", 64).read(true);

    assertThat(r.body()).isEmpty();
  }

  @Test
  void rejectsGarbageAndTruncation() {
    assertThatThrownBy(() -> reader("SSH-2.0-OpenSSH\r\n\r\n", 64).read(false))
        .isInstanceOf(MalformedResponseException.class);
    assertThatThrownBy(() -> reader("HTTP/1.1 2x0 OK\r\n\r\n", 64).read(false))
        .isInstanceOf(MalformedResponseException.class);
    assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", 64).read(false))
        .isInstanceOf(MalformedResponseException.class);
    assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 64).read(false))
        .isInstanceOf(MalformedResponseException.class);
    assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", 64).read(false))
        .isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> reader("", 64).read(false)).isInstanceOf(EOFException.class);
  }

  @Test
  void parsesEndpointsFromUrls() {
    assertThat(Endpoint.parse("http://127.0.0.1:8081/db/x")).isEqualTo(new Endpoint("127.0.0.1", 8081));
    assertThat(Endpoint.parse("localhost:8080")).isEqualTo(new Endpoint("localhost", 8080));
    assertThat(Endpoint.parse("http://example")).isEqualTo(new Endpoint("example", 80));
    assertThat(Endpoint.parse("https://localhost:8443")).isEqualTo(new Endpoint("localhost", 8443, true));
    assertThat(Endpoint.parse("https://example")).isEqualTo(new Endpoint("example", 443, true));
    assertThat(Endpoint.parse("https://example").toString()).isEqualTo("https://example:443");
    assertThatThrownBy(() -> Endpoint.parse("ftp://localhost:8080"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
