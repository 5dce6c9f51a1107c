package dev.loralab.events;

import dev.loralab.api.ApiException;
import dev.loralab.api.auth.Caller;
import dev.loralab.api.v3.StreamEventsRequest;
import dev.loralab.web.ErrorMapping;
import dev.loralab.web.Handler;
import dev.loralab.web.Request;
import dev.loralab.web.Response;
import dev.loralab.web.Router;
import dev.loralab.web.StreamingResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events HTTP API on the web {@link Router}:
 *
 * <ul>
 *   <li>{@code POST /api/v3/events} with {@code {"identifiers":[...],"tail":N,"after":"<RFC 3339>","names":[...]}}
 *       and {@code Authorization: Bearer <API key>}. With {@code Accept: text/event-stream} the
 *       response is standard Server-Sent Events: {@code id: <unique_id>} and
 *       {@code data: {"result": <event>}} per event, {@code : keepalive} comments, and
 *       {@code Last-Event-ID} resume. Otherwise newline-delimited {@code {"result": <event>}} frames,
 *       as The Things Stack's HTTP gateway sends. In-band errors are {@code {"error": {...}}}.</li>
 *   <li>{@code GET /api/v3/events/related?correlation_id=...}: {@code {"events":[...]}}.</li>
 *   <li>{@code GET /api/v3/events/definitions}: the catalogue.</li>
 * </ul>
 */
public final class EventsHttpRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(EventsHttpRoutes.class);

  private final EventStreams streams;

  /** @param streams the shared stream logic (bus, history, catalogue, access control, executor) */
  public EventsHttpRoutes(EventStreams streams) {
    this.streams = Objects.requireNonNull(streams, "streams");
  }

  /** Registers the routes. */
  public Router register(Router router) {
    router.post("/api/v3/events", Handler.sync(this::stream));
    router.get("/api/v3/events/related", Handler.sync(this::related));
    router.get("/api/v3/events/definitions", Handler.sync(r -> {
      // Like every /api/v3 route, only for callers with a valid API key.
      r.authenticate(streams.accessControl());
      return Response.json(200, streams.catalogue().toJson());
    }));
    return router;
  }

  private Response stream(Request request) {
    Caller caller = request.authenticate(streams.accessControl());
    StreamEventsRequest req = request.proto(StreamEventsRequest.newBuilder()).build();
    String lastEventId = request.header("Last-Event-ID").map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
    EventStreams.Prepared prepared = streams.prepare(caller, req, lastEventId, streams.newStreamCorrelationId());
    boolean sse = request.headerAll("Accept").stream()
        .anyMatch(a -> a.toLowerCase(Locale.ROOT).contains("text/event-stream"));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", sse ? "text/event-stream; charset=utf-8" : "application/json");
    headers.put("Cache-Control", "no-cache");
    headers.put("X-Accel-Buffering", "no");
    return Response.streaming(200, headers, stream -> open(prepared, stream, sse));
  }

  private void open(EventStreams.Prepared prepared, StreamingResponse stream, boolean sse) {
    EventStreams.Output out = new EventStreams.Output() {
      @Override
      public boolean ready() {
        return stream.isOpen() && stream.isWritable();
      }

      @Override
      public void send(Event event) {
        // The encoded frame is cached per event and shared by every subscriber's stream.
        stream.write(sse ? event.sseFrameUtf8() : event.ndjsonFrameUtf8());
      }

      @Override
      public void flush() {
        stream.flush();
      }

      @Override
      public void error(ApiException error) {
        String json = "{\"error\":" + ErrorMapping.toErrorJson(error) + "}";
        stream.writeAndFlush(sse ? "data: " + json + "\n\n" : json + "\n");
        stream.close();
      }
    };
    EventStreams.Handle handle;
    try {
      handle = prepared.start(out);
    } catch (ApiException e) {
      out.error(e);
      return;
    } catch (RuntimeException e) {
      LOG.warn("event stream failed to start", e);
      out.error(ApiException.internal("internal error", e));
      return;
    }
    ScheduledFuture<?> keepalive = null;
    if (sse) {
      long ms = streams.config().keepaliveInterval().toMillis();
      keepalive = streams.executor().scheduleAtFixedRate(() -> {
        if (stream.isOpen()) {
          stream.writeAndFlush(": keepalive\n\n");
        }
      }, ms, ms, TimeUnit.MILLISECONDS);
    }
    ScheduledFuture<?> k = keepalive;
    stream.onWritabilityChanged(writable -> {
      if (writable) {
        handle.wake();
      }
    });
    stream.onClose(() -> {
      handle.close();
      if (k != null) {
        k.cancel(false);
      }
    });
  }

  private Response related(Request request) {
    Caller caller = request.authenticate(streams.accessControl());
    String cid = request.query("correlation_id").orElse("");
    List<Event> events = streams.findRelated(caller, cid);
    StringBuilder sb = new StringBuilder("{\"events\":[");
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(events.get(i).toJson());
    }
    return Response.json(200, sb.append("]}").toString());
  }
}
