package dev.loralab.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A Server-Sent Events subscriber to {@code POST /api/v3/events}: a background thread reads
 * {@code id:}/{@code data:} lines and collects each {@code result} event, in arrival order, into
 * a list the test polls.
 */
public final class EventStream implements AutoCloseable {

  private final List<JsonNode> events = new ArrayList<>();
  private final Set<String> ids = new HashSet<>();
  private final List<String> errors = new ArrayList<>();
  private final Thread reader;
  private volatile InputStream body;
  private volatile boolean closed;

  private EventStream(HttpClient http, URI base, String apiKey, ObjectNode request) {
    HttpRequest req = HttpRequest.newBuilder(base.resolve("/api/v3/events"))
        .header("Authorization", "Bearer " + apiKey).header("Accept", "text/event-stream")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build();
    HttpResponse<InputStream> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new AssertionError("cannot open the event stream", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    if (resp.statusCode() != 200) {
      String err;
      try (InputStream in = resp.body()) {
        err = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        err = e.toString();
      }
      throw new AssertionError("event stream: HTTP " + resp.statusCode() + " " + err);
    }
    this.body = resp.body();
    this.reader = new Thread(this::read, "test-sse");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Subscribes to the events of the given identifiers, e.g.
   * {@code [{"gateway_ids":{"gateway_id":"gw1"}},{"application_ids":{"application_id":"app1"}}]}.
   */
  public static EventStream open(HttpClient http, URI base, String apiKey, JsonNode identifiers) {
    ObjectNode req = HttpApi.object();
    req.set("identifiers", identifiers);
    return new EventStream(http, base, apiKey, req);
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            accept(data.toString());
            data.setLength(0);
          }
        } else if (line.startsWith("data:")) {
          if (data.length() > 0) {
            data.append('\n');
          }
          data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
        }
        // "id:" lines repeat the event's unique_id; ":" lines are keepalives.
      }
    } catch (IOException e) {
      if (!closed) {
        synchronized (this) {
          errors.add("stream ended: " + e);
        }
      }
    }
  }

  private void accept(String data) {
    JsonNode frame;
    try {
      frame = HttpApi.JSON.readTree(data);
    } catch (IOException e) {
      synchronized (this) {
        errors.add("undecodable frame: " + data);
      }
      return;
    }
    synchronized (this) {
      if (frame.has("error")) {
        errors.add("in-band error: " + frame.get("error"));
        return;
      }
      JsonNode event = frame.path("result");
      String id = event.path("unique_id").asText("");
      if (!id.isEmpty() && !ids.add(id)) {
        return;
      }
      events.add(event);
      notifyAll();
    }
  }

  /** Every event received so far, in arrival order. */
  public synchronized List<JsonNode> events() {
    return List.copyOf(events);
  }

  /** Names of every event received so far, in arrival order. */
  public List<String> names() {
    return events().stream().map(e -> e.path("name").asText()).toList();
  }

  /** The first event matching {@code p}, waiting at most {@code timeout}. */
  public Optional<JsonNode> awaitEvent(Predicate<JsonNode> p, Duration timeout) {
    List<JsonNode> l = awaitEvents(p, 1, timeout);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  /** The first event matching {@code p}; fails with the names seen if none arrives in time. */
  public JsonNode expectEvent(String what, Predicate<JsonNode> p) {
    return awaitEvent(p, Timeouts.NETWORK).orElseThrow(() -> new AssertionError(
        "no event " + what + " within " + Timeouts.NETWORK + "; received " + summary()));
  }

  /** The first event named {@code name} matching {@code p}. */
  public JsonNode expectEvent(String name, String what, Predicate<JsonNode> p) {
    return expectEvent(name + " (" + what + ")", named(name).and(p));
  }

  /**
   * The events matching {@code p} once there are at least {@code count} of them, or those seen
   * when {@code timeout} expired.
   */
  public synchronized List<JsonNode> awaitEvents(Predicate<JsonNode> p, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<JsonNode> matching = events.stream().filter(p).toList();
      long left = deadline - System.nanoTime();
      if (matching.size() >= count || left <= 0) {
        return matching;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** The events received so far that match {@code p}. */
  public synchronized List<JsonNode> matching(Predicate<JsonNode> p) {
    return events.stream().filter(p).toList();
  }

  /** Problems seen on the stream (in-band errors, undecodable frames). */
  public synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  /** A short listing of what was received, for failure messages. */
  public synchronized String summary() {
    String failures = events.stream().filter(e -> e.path("name").asText().matches(".*\\.(fail|drop)$"))
        .map(e -> e.path("name").asText() + " " + e.path("data"))
        .collect(Collectors.joining("; "));
    return events.stream()
        .map(e -> e.path("name").asText() + Events.deviceOrGatewayId(e).map(s -> "[" + s + "]").orElse(""))
        .collect(Collectors.joining(", ", "[", "]")) + (errors.isEmpty() ? "" : " errors " + errors)
        + (failures.isEmpty() ? "" : "; failures: " + failures);
  }

  /** Events named {@code name}. */
  public static Predicate<JsonNode> named(String name) {
    return e -> name.equals(e.path("name").asText());
  }

  @Override
  public void close() {
    closed = true;
    InputStream in = body;
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
