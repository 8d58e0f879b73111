package io.leifdb.bench.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads HTTP/1.1 responses from a keep-alive stream: status line, headers, then a body framed by
 * Content-Length, chunked transfer coding, or (as a last resort) the end of the stream.
 *
 * <p>It owns its read buffer, so bytes of the next response read ahead stay for the next call.
 */
public final class ResponseReader {
  private static final int MAX_LINE = 16 * 1024;
  private static final int MAX_BODY = 64 * 1024 * 1024;

  private final InputStream in;
  private final byte[] buf;
  private int pos;
  private int limit;

  public ResponseReader(InputStream in) {
    this(in, 16 * 1024);
  }

  ResponseReader(InputStream in, int bufferSize) {
    this.in = in;
    this.buf = new byte[bufferSize];
  }

  /**
   * Reads one final response, skipping any interim 1xx responses.
   *
   * @param headRequest true when the request was HEAD, whose response never has a body
   * @throws EOFException when the stream ends before a whole response arrived
   * @throws MalformedResponseException when the bytes are not an HTTP/1.x response
   */
  public HttpResponse read(boolean headRequest) throws IOException {
    while (true) {
      HttpResponse response = readOne(headRequest);
      if (response.status() >= 200 || response.status() == 101) {
        return response;
      }
    }
  }

  private HttpResponse readOne(boolean headRequest) throws IOException {
    String statusLine = readLine();
    int status = parseStatus(statusLine);
    boolean http10 = statusLine.startsWith("HTTP/1.0");
    long contentLength = -1;
    boolean chunked = false;
    boolean close = http10;
    String location = null;
    String retryAfter = null;
    String line;
    while (!(line = readLine()).isEmpty()) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new MalformedResponseException("header line without a name: " + line);
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("content-length")) {
        contentLength = parseLength(value);
      } else if (name.equalsIgnoreCase("transfer-encoding")) {
        chunked = value.toLowerCase().contains("chunked");
      } else if (name.equalsIgnoreCase("connection")) {
        String v = value.toLowerCase();
        if (v.contains("close")) {
          close = true;
        } else if (v.contains("keep-alive")) {
          close = false;
        }
      } else if (name.equalsIgnoreCase("location")) {
        location = value;
      } else if (name.equalsIgnoreCase("retry-after")) {
        retryAfter = value;
      }
    }
    byte[] body;
    if (headRequest || status < 200 || status == 204 || status == 304) {
      body = new byte[0];
    } else if (chunked) {
      body = readChunked();
    } else if (contentLength >= 0) {
      body = readExactly((int) contentLength);
    } else {
      // RFC 9112 §6.3: without a length the body runs to the end of the connection.
      body = readToEnd();
      close = true;
    }
    return new HttpResponse(status, location, retryAfter, close, body);
  }

  private static int parseStatus(String line) throws MalformedResponseException {
    if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
      throw new MalformedResponseException("not an HTTP/1.x status line: " + line);
    }
    int end = line.indexOf(' ', 9);
    String code = end < 0 ? line.substring(9) : line.substring(9, end);
    if (code.length() != 3) {
      throw new MalformedResponseException("bad status code in: " + line);
    }
    try {
      return Integer.parseInt(code);
    } catch (NumberFormatException e) {
      throw new MalformedResponseException("bad status code in: " + line);
    }
  }

  private static long parseLength(String value) throws MalformedResponseException {
    try {
      long n = Long.parseLong(value);
      if (n < 0 || n > MAX_BODY) {
        throw new MalformedResponseException("Content-Length out of range: " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new MalformedResponseException("bad Content-Length: " + value);
    }
  }

  private byte[] readChunked() throws IOException {
    byte[] out = new byte[256];
    int size = 0;
    while (true) {
      String sizeLine = readLine();
      int semi = sizeLine.indexOf(';');
      String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
      int chunk;
      try {
        chunk = Integer.parseInt(hex, 16);
      } catch (NumberFormatException e) {
        throw new MalformedResponseException("bad chunk size: " + sizeLine);
      }
      if (chunk < 0 || size + (long) chunk > MAX_BODY) {
        throw new MalformedResponseException("chunk too large: " + sizeLine);
      }
      if (chunk == 0) {
        // Trailer fields, if any, end with an empty line.
        while (!readLine().isEmpty()) {
          // skip trailer
        }
        byte[] body = new byte[size];
        System.arraycopy(out, 0, body, 0, size);
        return body;
      }
      if (size + chunk > out.length) {
        byte[] bigger = new byte[Math.max(out.length * 2, size + chunk)];
        System.arraycopy(out, 0, bigger, 0, size);
        out = bigger;
      }
      readInto(out, size, chunk);
      size += chunk;
      if (!readLine().isEmpty()) {
        throw new MalformedResponseException("chunk not followed by CRLF");
      }
    }
  }

  private byte[] readExactly(int n) throws IOException {
    byte[] body = new byte[n];
    readInto(body, 0, n);
    return body;
  }

  private void readInto(byte[] dst, int offset, int n) throws IOException {
    int done = 0;
    while (done < n) {
      if (pos == limit && !fill()) {
        throw new EOFException("connection closed inside a response body");
      }
      int take = Math.min(n - done, limit - pos);
      System.arraycopy(buf, pos, dst, offset + done, take);
      pos += take;
      done += take;
    }
  }

  private byte[] readToEnd() throws IOException {
    byte[] out = new byte[Math.max(256, limit - pos)];
    int size = 0;
    while (pos < limit || fill()) {
      int take = limit - pos;
      if (size + (long) take > MAX_BODY) {
        throw new MalformedResponseException("body larger than " + MAX_BODY + " bytes");
      }
      if (size + take > out.length) {
        byte[] bigger = new byte[Math.max(out.length * 2, size + take)];
        System.arraycopy(out, 0, bigger, 0, size);
        out = bigger;
      }
      System.arraycopy(buf, pos, out, size, take);
      size += take;
      pos = limit;
    }
    byte[] body = new byte[size];
    System.arraycopy(out, 0, body, 0, size);
    return body;
  }

  /** Reads a line ended by LF (a preceding CR is dropped), as ISO-8859-1 like HTTP headers. */
  private String readLine() throws IOException {
    int start = pos;
    StringBuilder spill = null;
    while (true) {
      for (int i = pos; i < limit; i++) {
        if (buf[i] == '\n') {
          int end = i > start && buf[i - 1] == '\r' ? i - 1 : i;
          String part = new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
          pos = i + 1;
          if (spill == null) {
            return part;
          }
          spill.append(part);
          int last = spill.length() - 1;
          if (end == i && last >= 0 && spill.charAt(last) == '\r') {
            spill.setLength(last); // CR was the final byte of the previous buffer fill
          }
          return spill.toString();
        }
      }
      if (spill == null) {
        spill = new StringBuilder();
      }
      spill.append(new String(buf, start, limit - start, StandardCharsets.ISO_8859_1));
      if (spill.length() > MAX_LINE) {
        throw new MalformedResponseException("header line longer than " + MAX_LINE + " bytes");
      }
      pos = limit;
      if (!fill()) {
        throw new EOFException("connection closed before the end of a header line");
      }
      start = pos;
    }
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      pos = 0;
      limit = 0;
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }
}
