package dev.loralab.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An HTTP response: status, headers and either a complete body or a {@link StreamingBody}.
 * Immutable; header names are case-insensitive.
 */
public final class Response {

  /** Produces the body of a streaming response once its status line and headers are sent. */
  @FunctionalInterface
  public interface StreamingBody {
    /**
     * Called once, on the handler executor, after the headers were written. The stream may be
     * written from any thread afterwards and must eventually be closed (or the client disconnects).
     */
    void open(StreamingResponse stream);
  }

  private final int status;
  private final Map<String, String> headers;
  private final byte[] body;
  private final StreamingBody streamingBody;

  private Response(int status, Map<String, String> headers, byte[] body, StreamingBody streamingBody) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status: expected 100..999, found " + status);
    }
    this.status = status;
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    this.headers = Collections.unmodifiableMap(copy);
    this.body = body;
    this.streamingBody = streamingBody;
  }

  /** A JSON response ({@code application/json; charset=utf-8}). */
  public static Response json(int status, String json) {
    Objects.requireNonNull(json, "json");
    return new Response(status, Map.of("Content-Type", "application/json; charset=utf-8"),
        json.getBytes(StandardCharsets.UTF_8), null);
  }

  /** A plain-text response ({@code text/plain; charset=utf-8}). */
  public static Response text(int status, String text) {
    Objects.requireNonNull(text, "text");
    return new Response(status, Map.of("Content-Type", "text/plain; charset=utf-8"),
        text.getBytes(StandardCharsets.UTF_8), null);
  }

  /** A binary response with the given content type; the bytes are copied. */
  public static Response bytes(int status, String contentType, byte[] body) {
    Objects.requireNonNull(contentType, "contentType");
    return new Response(status, Map.of("Content-Type", contentType), body.clone(), null);
  }

  /** A response without a body. */
  public static Response empty(int status) {
    return new Response(status, Map.of(), new byte[0], null);
  }

  /**
   * A chunked streaming response (SSE, NDJSON). The headers are sent first, then
   * {@code body.open(stream)} is called.
   */
  public static Response streaming(int status, Map<String, String> headers, StreamingBody body) {
    Objects.requireNonNull(body, "body");
    return new Response(status, headers, null, body);
  }

  /** This response with one more (or a replaced) header. */
  public Response withHeader(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    copy.put(name, value);
    return new Response(status, copy, body, streamingBody);
  }

  public int status() {
    return status;
  }

  /** Headers, case-insensitive, unmodifiable. */
  public Map<String, String> headers() {
    return headers;
  }

  /** Header value or {@code null}. */
  public String header(String name) {
    return headers.get(name);
  }

  /** A copy of the body; empty for streaming responses. */
  public byte[] body() {
    return body == null ? new byte[0] : body.clone();
  }

  /** The body decoded as UTF-8. */
  public String bodyUtf8() {
    return body == null ? "" : new String(body, StandardCharsets.UTF_8);
  }

  /** Whether this is a streaming response. */
  public boolean isStreaming() {
    return streamingBody != null;
  }

  /** The streaming body, or {@code null}. */
  public StreamingBody streamingBody() {
    return streamingBody;
  }

  /** Body length without copying. */
  public int bodyLength() {
    return body == null ? 0 : body.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Response r && r.status == status && r.headers.equals(headers)
        && Arrays.equals(r.body, body) && Objects.equals(r.streamingBody, streamingBody);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, headers, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "Response[" + status + (isStreaming() ? ", streaming" : ", " + bodyLength() + " bytes") + "]";
  }
}
