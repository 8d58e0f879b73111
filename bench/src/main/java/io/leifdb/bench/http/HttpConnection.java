package io.leifdb.bench.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import io.leifdb.server.tls.ClientSsl;

/**
 * One blocking HTTP/1.1 keep-alive connection, used by one thread at a time.
 *
 * <p>java.net.http.HttpClient spends most of its time in its own executor hand-offs at 64
 * connections; a socket per worker and a request written in a single {@code write} keeps the
 * client out of the measurement.
 */
public final class HttpConnection implements Closeable {
  private final Endpoint endpoint;
  private final Socket socket;
  private final OutputStream out;
  private final ResponseReader reader;
  private final byte[] hostHeader;
  private byte[] scratch = new byte[1024];
  private boolean open = true;

  /**
   * Connects to {@code endpoint}.
   *
   * @param timeoutMillis bounds the connect and every later read; 0 waits forever
   * @throws java.net.ConnectException when nothing listens there
   * @throws java.net.SocketTimeoutException when the connect takes longer than the timeout
   */
  public HttpConnection(Endpoint endpoint, int timeoutMillis) throws IOException {
    this(endpoint, timeoutMillis, null);
  }

  /**
   * Connects to {@code endpoint}, over TLS from {@code tls} when the endpoint is https (the JDK's
   * default context when {@code tls} is null); the handshake completes here, so its cost is not
   * counted against the first request.
   */
  public HttpConnection(Endpoint endpoint, int timeoutMillis, SSLContext tls) throws IOException {
    this(endpoint, timeoutMillis, tls, null);
  }

  /** As above, and every request carries {@code Authorization: Bearer <token>} unless the token is null. */
  public HttpConnection(Endpoint endpoint, int timeoutMillis, SSLContext tls, String token) throws IOException {
    this.endpoint = endpoint;
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.setKeepAlive(true);
      s.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      if (endpoint.secure()) {
        s = handshake(s, endpoint, tls);
      }
      this.out = s.getOutputStream();
      this.reader = new ResponseReader(s.getInputStream());
    } catch (IOException e) {
      s.close();
      throw e;
    }
    this.socket = s;
    this.hostHeader = ("Host: " + endpoint.authority() + "\r\n"
        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")).getBytes(StandardCharsets.US_ASCII);
  }

  private static Socket handshake(Socket plain, Endpoint endpoint, SSLContext tls) throws IOException {
    SSLContext ctx;
    try {
      ctx = tls != null ? tls : SSLContext.getDefault();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IOException("no TLS in this JDK", e);
    }
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, endpoint.host(), endpoint.port(), true);
    s.setSSLParameters(ClientSsl.parameters(ctx));
    s.startHandshake();
    return s;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  /** False once the server asked to close, or an I/O error left the stream in an unknown state. */
  public boolean isOpen() {
    return open;
  }

  /**
   * Sends one request and reads its response. On any exception the connection is closed, since
   * a half-read response would corrupt the next one.
   *
   * @param target the request target, already percent-encoded (e.g. {@code /db/k1?x=y})
   * @param body the body, or null for none; sent as application/json with a Content-Length
   */
  public HttpResponse send(String method, String target, byte[] body) throws IOException {
    return send(method, target, body, null);
  }

  /** As above, with {@code Accept: <accept>} unless it is null (application/octet-stream: a value's raw bytes). */
  public HttpResponse send(String method, String target, byte[] body, String accept) throws IOException {
    if (!open) {
      throw new IOException("connection to " + endpoint + " is closed");
    }
    try {
      writeRequest(method, target, body, accept);
      HttpResponse response = reader.read("HEAD".equals(method));
      if (response.connectionClose()) {
        close();
      }
      return response;
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void writeRequest(String method, String target, byte[] body, String accept) throws IOException {
    int n = 0;
    n = put(n, method);
    n = put(n, " ");
    n = put(n, target);
    n = put(n, " HTTP/1.1\r\n");
    n = put(n, hostHeader);
    if (accept != null) {
      n = put(n, "Accept: " + accept + "\r\n");
    }
    if (body != null) {
      n = put(n, "Content-Type: application/json\r\nContent-Length: ");
      n = put(n, Integer.toString(body.length));
      n = put(n, "\r\n\r\n");
      n = put(n, body);
    } else {
      n = put(n, "\r\n");
    }
    out.write(scratch, 0, n);
    out.flush();
  }

  private int put(int at, String ascii) {
    int len = ascii.length();
    ensure(at + len);
    for (int i = 0; i < len; i++) {
      scratch[at + i] = (byte) ascii.charAt(i); // targets are percent-encoded, so ASCII
    }
    return at + len;
  }

  private int put(int at, byte[] bytes) {
    ensure(at + bytes.length);
    System.arraycopy(bytes, 0, scratch, at, bytes.length);
    return at + bytes.length;
  }

  private void ensure(int size) {
    if (size > scratch.length) {
      byte[] bigger = new byte[Math.max(size, scratch.length * 2)];
      System.arraycopy(scratch, 0, bigger, 0, scratch.length);
      scratch = bigger;
    }
  }

  @Override
  public void close() {
    open = false;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a socket we are done with; nothing useful to do on failure
    }
  }
}
