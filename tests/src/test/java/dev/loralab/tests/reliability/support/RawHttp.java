package dev.loralab.tests.reliability.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for requests a well-behaved client refuses to send: raw bytes in
 * the path (invalid UTF-8, {@code %00}, {@code ..}), bodies that are not UTF-8, lying
 * {@code Content-Length}s. One request per connection ({@code Connection: close}).
 */
public final class RawHttp {

  /** Socket read timeout: generous, the machine may be slow. */
  private static final int READ_TIMEOUT_MS = 60_000;

  private final InetSocketAddress server;

  public RawHttp(InetSocketAddress server) {
    this.server = server;
  }

  /**
   * A response: status, headers as received, body.
   *
   * @param status the status code, or -1 if the connection closed without a status line
   */
  public record Response(int status, String headers, String body) {
    /** Whether the body is a JSON error as the API writes it ({@code {"code":..,"message":..}}). */
    public boolean isJsonError() {
      String b = body.strip();
      return b.startsWith("{") && b.contains("\"code\"") && b.contains("\"message\"");
    }

    @Override
    public String toString() {
      return status + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }
  }

  /** Sends {@code method path} with the headers (each {@code Name: value}) and body bytes. */
  public Response send(String method, byte[] rawPath, String apiKey, String contentType, byte[] body) {
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.writeBytes((method + " ").getBytes(StandardCharsets.US_ASCII));
    req.writeBytes(rawPath);
    StringBuilder h = new StringBuilder(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if (apiKey != null) {
      h.append("Authorization: Bearer ").append(apiKey).append("\r\n");
    }
    if (contentType != null) {
      h.append("Content-Type: ").append(contentType).append("\r\n");
    }
    if (body != null) {
      h.append("Content-Length: ").append(body.length).append("\r\n");
    }
    h.append("\r\n");
    req.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
    if (body != null) {
      req.writeBytes(body);
    }
    return exchange(req.toByteArray());
  }

  /** Sends {@code method path} (ASCII) with a JSON body. */
  public Response send(String method, String path, String apiKey, byte[] jsonBody) {
    return send(method, path.getBytes(StandardCharsets.UTF_8), apiKey, jsonBody == null ? null : "application/json",
        jsonBody);
  }

  /** Writes {@code request} as is and reads the response until the server closes. */
  public Response exchange(byte[] request) {
    try (Socket s = new Socket()) {
      s.connect(server, READ_TIMEOUT_MS);
      s.setSoTimeout(READ_TIMEOUT_MS);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // The server may answer (e.g. 413) and close before it has read everything: read it anyway.
      }
      return read(s.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("raw HTTP to " + server, e);
    }
  }

  /** Reads one response until EOF (the request said {@code Connection: close}). */
  public static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        all.write(buf, 0, n);
      }
    } catch (java.net.SocketException e) {
      // reset after the response: keep what was read
    }
    String text = all.toString(StandardCharsets.UTF_8);
    int headerEnd = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || headerEnd < 0) {
      return new Response(-1, "", text);
    }
    int status = Integer.parseInt(text.substring(9, 12));
    String headers = text.substring(0, headerEnd);
    String body = text.substring(headerEnd + 4);
    if (headers.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
      body = dechunk(body);
    }
    return new Response(status, headers, body);
  }

  private static String dechunk(String s) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      int eol = s.indexOf("\r\n", i);
      if (eol < 0) {
        break;
      }
      int size;
      try {
        size = Integer.parseInt(s.substring(i, eol).trim(), 16);
      } catch (NumberFormatException e) {
        break;
      }
      if (size == 0) {
        break;
      }
      int start = eol + 2;
      b.append(s, start, Math.min(s.length(), start + size));
      i = start + size + 2;
    }
    return b.toString();
  }
}
