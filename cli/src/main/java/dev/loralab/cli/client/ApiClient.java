package dev.loralab.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Predicate;

/**
 * A small client of the LoRaLab HTTP API ({@code /api/v3/...}) with an API key. Errors become
 * {@link ApiClientException} carrying the API's error message.
 */
public final class ApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Largest accepted response body or event. */
  public static final int MAX_BODY_CHARS = 16 << 20;

  private final URI base;
  private final String apiKey;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param base    e.g. {@code http://localhost:1885}
   * @param apiKey  the bearer token, or null for unauthenticated calls
   * @param timeout connect and request timeout (not applied to event streams)
   */
  public ApiClient(URI base, String apiKey, Duration timeout) {
    this.base = Objects.requireNonNull(base, "base");
    this.apiKey = apiKey;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  /** The base URL. */
  public URI base() {
    return base;
  }

  /** URL-encodes one path segment or query value. */
  public static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code GET path}. */
  public JsonNode get(String path) {
    return send(request(path).GET());
  }

  /** {@code POST path} with a JSON body. */
  public JsonNode post(String path, JsonNode body) {
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  /** {@code PUT path} with a JSON body. */
  public JsonNode put(String path, JsonNode body) {
    return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  /** {@code DELETE path}. */
  public JsonNode delete(String path) {
    return send(request(path).DELETE());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
        .header("Accept", "application/json").header("Content-Type", "application/json");
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    return b;
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpRequest r = request.build();
    HttpResponse<String> resp;
    try {
      resp = http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw new ApiClientException(0, "cannot connect to " + base + " (is `loralab start` running?)");
    } catch (IOException e) {
      throw new ApiClientException(0, r.method() + " " + r.uri().getPath() + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiClientException(0, "interrupted");
    }
    if (resp.body().length() > MAX_BODY_CHARS) {
      throw new ApiClientException(resp.statusCode(), "response larger than " + MAX_BODY_CHARS + " characters");
    }
    JsonNode body = parse(resp.body());
    if (resp.statusCode() / 100 != 2) {
      throw new ApiClientException(resp.statusCode(), errorMessage(resp.statusCode(), body, resp.body()));
    }
    return body == null ? JSON.createObjectNode() : body;
  }

  /** What a stream consumer decides after each message. */
  public enum Next { CONTINUE, STOP }

  /** The outcome of one stream connection. */
  public enum StreamEnd {
    /** The consumer asked to stop. */
    STOPPED,
    /** The server or the network ended the stream. */
    DROPPED
  }

  /**
   * Opens {@code POST path} as a Server-Sent Events stream and feeds each message to
   * {@code consumer} until it says {@link Next#STOP} or the stream ends. Blocks; interrupting the
   * thread ends the stream with an {@link ApiClientException} and the interrupt flag set.
   *
   * @param lastEventId sent as {@code Last-Event-ID} (resume), or null
   * @throws ApiClientException for an HTTP error status, a connection failure or an oversized message
   */
  public StreamEnd stream(String path, JsonNode body, SseParser parser, String lastEventId,
      Predicate<ServerSentEvent> consumer) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
        .header("Accept", "text/event-stream").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> resp;
    try {
      resp = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      throw new ApiClientException(0, "cannot connect to " + base + " (is `loralab start` running?)");
    } catch (IOException e) {
      throw new ApiClientException(0, "event stream: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiClientException(0, "interrupted");
    }
    InputStream in = resp.body();
    try {
      if (resp.statusCode() / 100 != 2) {
        String text = readLimited(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        throw new ApiClientException(resp.statusCode(), errorMessage(resp.statusCode(), parse(text), text));
      }
      parser.reset();
      // A reader thread feeds lines through a small queue, so that interrupting this thread (and
      // nothing else) ends the stream: the socket read itself is not interruptible.
      BlockingQueue<Object> lines = new ArrayBlockingQueue<>(256);
      Thread reader = new Thread(() -> readLines(in, lines), "loralab-event-stream-reader");
      reader.setDaemon(true);
      reader.start();
      try {
        while (true) {
          Object item = lines.take();
          if (item == END) {
            return StreamEnd.DROPPED;
          }
          var msg = parser.line((String) item);
          if (msg.isPresent() && !consumer.test(msg.get())) {
            return StreamEnd.STOPPED;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiClientException(0, "interrupted");
      } finally {
        reader.interrupt();
      }
    } catch (IOException e) {
      return StreamEnd.DROPPED;
    } finally {
      closeQuietly(in);
    }
  }

  private static final Object END = new Object();

  private static void readLines(InputStream in, BlockingQueue<Object> out) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.length() > MAX_BODY_CHARS) {
          break;
        }
        out.put(line);
      }
    } catch (IOException e) {
      // dropped connection: reported as the end of the stream
    } catch (InterruptedException e) {
      return;
    }
    try {
      out.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  private static String readLimited(BufferedReader reader) throws IOException {
    char[] buf = new char[64 * 1024];
    int n = reader.read(buf);
    return n <= 0 ? "" : new String(buf, 0, n);
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  private static String errorMessage(int status, JsonNode body, String raw) {
    if (body != null && body.hasNonNull("message")) {
      return body.get("message").asText();
    }
    if (body != null && body.has("error") && body.get("error").hasNonNull("message")) {
      return body.get("error").get("message").asText();
    }
    String line = raw == null ? "" : raw.lines().findFirst().orElse("").trim();
    return "HTTP " + status + (line.isEmpty() ? "" : ": " + (line.length() > 200 ? line.substring(0, 200) : line));
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
