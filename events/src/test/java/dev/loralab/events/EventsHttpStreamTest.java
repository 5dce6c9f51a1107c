package dev.loralab.events;

import static dev.loralab.events.TestCatalogue.APP1;
import static dev.loralab.events.TestCatalogue.APP2;
import static dev.loralab.events.TestCatalogue.APP2_DEV;
import static dev.loralab.events.TestCatalogue.APPLICATION_UPDATE;
import static dev.loralab.events.TestCatalogue.AS_UP_DATA_DROP;
import static dev.loralab.events.TestCatalogue.AS_UP_DATA_FORWARD;
import static dev.loralab.events.TestCatalogue.DEV1;
import static dev.loralab.events.TestCatalogue.DEV2;
import static dev.loralab.events.TestCatalogue.GS_STATUS_RECEIVE;
import static dev.loralab.events.TestCatalogue.GS_UP_RECEIVE;
import static dev.loralab.events.TestCatalogue.GW1;
import static dev.loralab.events.TestCatalogue.NS_UP_DATA_PROCESS;
import static dev.loralab.events.TestCatalogue.NS_UP_DATA_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.web.HttpServer;
import dev.loralab.web.HttpServerConfig;
import dev.loralab.web.Router;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The events HTTP API over loopback with the JDK HttpClient. */
class EventsHttpStreamTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private ExecutorService handlers;
  private ScheduledExecutorService delivery;
  private InMemoryEventBus bus;
  private HttpServer server;
  private HttpClient client;
  private final List<SseClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    handlers = Executors.newFixedThreadPool(4);
    delivery = Executors.newScheduledThreadPool(2);
    EventsConfig config = EventsConfig.defaults().withKeepaliveInterval(Duration.ofMillis(200));
    var registry = new SimpleMeterRegistry();
    EventFactory factory = EventFactory.system();
    bus = new InMemoryEventBus(config, new InMemoryEventHistory(config, Clock.systemUTC()), factory, registry);
    EventStreams streams = new EventStreams(bus, bus.history(), TestCatalogue.catalogue(),
        TestCatalogue.accessControl(), factory, config, delivery);
    Router router = new EventsHttpRoutes(streams).register(new Router());
    server = new HttpServer(HttpServerConfig.defaults().withBindAddress("127.0.0.1").withPort(0), router, handlers,
        registry).start();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void stop() {
    clients.forEach(SseClient::close);
    server.close();
    bus.close();
    handlers.shutdownNow();
    delivery.shutdownNow();
  }

  /** One parsed SSE message or comment. */
  record Frame(String id, String data, String comment) {
    JsonNode json() throws Exception {
      return JSON.readTree(data);
    }

    String name() throws Exception {
      return json().path("result").path("name").asText();
    }

    String uniqueId() throws Exception {
      return json().path("result").path("unique_id").asText();
    }
  }

  /** Reads an SSE response on a background thread, strictly by the SSE grammar. */
  final class SseClient implements AutoCloseable {
    final HttpResponse<InputStream> response;
    final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final Thread reader;

    SseClient(HttpResponse<InputStream> response) {
      this.response = response;
      this.reader = new Thread(this::read, "sse-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String id = null;
        StringBuilder data = null;
        String line;
        while ((line = r.readLine()) != null) {
          if (line.isEmpty()) {
            if (data != null) {
              frames.add(new Frame(id, data.toString(), null));
            }
            id = null;
            data = null;
          } else if (line.startsWith(":")) {
            frames.add(new Frame(null, null, line.substring(1).trim()));
          } else if (line.startsWith("id:")) {
            id = line.substring(3).trim();
          } else if (line.startsWith("data:")) {
            String d = line.substring(5);
            d = d.startsWith(" ") ? d.substring(1) : d;
            data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
          } else {
            frames.add(new Frame(null, null, "UNEXPECTED " + line));
          }
        }
      } catch (Exception e) {
        // connection closed
      }
    }

    /** The next data frame (comments skipped). */
    Frame next() throws Exception {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        Frame f = frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertThat(f).as("timed out waiting for an SSE frame").isNotNull();
        if (f.comment() == null) {
          return f;
        }
        assertThat(f.comment()).doesNotStartWith("UNEXPECTED");
      }
    }

    /** The next data frame's event name. */
    String nextName() throws Exception {
      return next().name();
    }

    @Override
    public void close() {
      try {
        response.body().close();
      } catch (Exception e) {
        // ignore
      }
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private HttpResponse<InputStream> post(String token, String accept, String body, String lastEventId)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri("/api/v3/events"))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (accept != null) {
      b.header("Accept", accept);
    }
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  private SseClient sse(String token, String body) throws Exception {
    return sse(token, body, null);
  }

  private SseClient sse(String token, String body, String lastEventId) throws Exception {
    HttpResponse<InputStream> r = post(token, "text/event-stream", body, lastEventId);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    SseClient c = new SseClient(r);
    clients.add(c);
    return c;
  }

  private String error(String token, String body) throws Exception {
    HttpResponse<InputStream> r = post(token, "text/event-stream", body, null);
    String text = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
    return r.statusCode() + " " + text;
  }

  private static final String APP1_BODY = "{\"identifiers\":[{\"application_ids\":{\"application_id\":\"app1\"}}]}";

  private static String body(String identifiers, String extra) {
    return "{\"identifiers\":[" + identifiers + "]" + (extra.isEmpty() ? "" : "," + extra) + "}";
  }

  private static final String APP1_IDS = "{\"application_ids\":{\"application_id\":\"app1\"}}";
  private static final String GW1_IDS = "{\"gateway_ids\":{\"gateway_id\":\"gw1\"}}";
  private static final String DEV1_IDS =
      "{\"device_ids\":{\"device_id\":\"dev1\",\"application_ids\":{\"application_id\":\"app1\"}}}";

  @Test
  void firstFrameIsStreamStartAndSseIsStrict() throws Exception {
    SseClient c = sse("app1-key", APP1_BODY);
    Frame start = c.next();
    assertThat(start.id()).isNotEmpty().isEqualTo(start.uniqueId());
    assertThat(start.name()).isEqualTo("events.stream.start");
    assertThat(start.json().path("result").path("correlation_ids").get(0).asText())
        .startsWith("rpc:/ttn.lorawan.v3.Events/Stream:");
    assertThat(start.json().path("result").path("identifiers").get(0).path("application_ids")
        .path("application_id").asText()).isEqualTo("app1");
  }

  @Test
  void applicationStreamGetsPropagatedDeviceEventsOnlyAndNeverOtherApplications() throws Exception {
    SseClient c = sse("app1-key", APP1_BODY);
    assertThat(c.nextName()).isEqualTo("events.stream.start");
    ApplicationUp up = ApplicationUp.newBuilder().addCorrelationIds("as:up:01TEST").build();
    bus.publish(NS_UP_DATA_RECEIVE.with(CorrelationIds.empty(), null, DEV1)); // not propagated
    bus.publish(AS_UP_DATA_FORWARD.with(CorrelationIds.of("gs:uplink:01X"), up, APP2_DEV)); // other application
    bus.publish(GS_UP_RECEIVE.with(CorrelationIds.empty(), null, GW1)); // gateway
    bus.publish(APPLICATION_UPDATE.with(CorrelationIds.empty(), null, APP2)); // other application
    bus.publish(AS_UP_DATA_FORWARD.with(CorrelationIds.of("gs:uplink:01X"), up, DEV1)); // propagated
    bus.publish(APPLICATION_UPDATE.with(CorrelationIds.empty(), null, APP1)); // sentinel
    Frame fwd = c.next();
    assertThat(fwd.name()).isEqualTo("as.up.data.forward");
    JsonNode result = fwd.json().path("result");
    assertThat(result.path("identifiers").get(0).path("device_ids").path("device_id").asText()).isEqualTo("dev1");
    assertThat(result.path("data").path("@type").asText()).isEqualTo("type.googleapis.com/ttn.lorawan.v3.ApplicationUp");
    assertThat(result.path("correlation_ids").toString()).isEqualTo("[\"as:up:01TEST\",\"gs:uplink:01X\"]");
    assertThat(result.path("visibility").path("rights").get(0).asText()).isEqualTo("RIGHT_APPLICATION_TRAFFIC_READ");
    assertThat(c.nextName()).isEqualTo("application.update");
  }

  @Test
  void deviceAndGatewayStreamsGetTheirOwnEvents() throws Exception {
    SseClient dev = sse("admin-key", body(DEV1_IDS, ""));
    SseClient gw = sse("admin-key", body(GW1_IDS, ""));
    assertThat(dev.nextName()).isEqualTo("events.stream.start");
    assertThat(gw.nextName()).isEqualTo("events.stream.start");
    bus.publish(NS_UP_DATA_RECEIVE.with(CorrelationIds.empty(), null, DEV2));
    bus.publish(GS_UP_RECEIVE.with(CorrelationIds.empty(), null, EventsHttpStreamTestIds.GW2));
    bus.publish(NS_UP_DATA_RECEIVE.with(CorrelationIds.empty(), null, DEV1));
    bus.publish(GS_UP_RECEIVE.with(CorrelationIds.empty(), null, GW1));
    Frame d = dev.next();
    assertThat(d.name()).isEqualTo("ns.up.data.receive");
    assertThat(d.json().path("result").path("identifiers").get(0).path("device_ids").path("device_id").asText())
        .isEqualTo("dev1");
    Frame g = gw.next();
    assertThat(g.name()).isEqualTo("gs.up.receive");
    assertThat(g.json().path("result").path("identifiers").get(0).path("gateway_ids").path("gateway_id").asText())
        .isEqualTo("gw1");
  }

  @Test
  void nameFiltersExactRegexAndGlob() throws Exception {
    SseClient exact = sse("admin-key", body(DEV1_IDS, "\"names\":[\"ns.up.data.process\"]"));
    SseClient regex = sse("admin-key", body(DEV1_IDS, "\"names\":[\"/^ns\\\\.up\\\\.data\\\\.p/\"]"));
    SseClient glob = sse("admin-key", body(DEV1_IDS, "\"names\":[\"ns.up.*\"]"));
    Frame start = exact.next();
    assertThat(start.json().path("result").path("data").path("value").toString())
        .isEqualTo("[\"ns.up.data.process\"]");
    assertThat(regex.next().json().path("result").path("data").path("value").toString())
        .isEqualTo("[\"ns.up.data.process\"]");
    assertThat(glob.next().json().path("result").path("data").path("value").toString())
        .isEqualTo("[\"ns.up.data.process\",\"ns.up.data.receive\"]");
    bus.publish(AS_UP_DATA_FORWARD.with(CorrelationIds.empty(), null, DEV1));
    bus.publish(NS_UP_DATA_RECEIVE.with(CorrelationIds.empty(), null, DEV1));
    bus.publish(NS_UP_DATA_PROCESS.with(CorrelationIds.empty(), null, DEV1));
    assertThat(exact.nextName()).isEqualTo("ns.up.data.process");
    assertThat(regex.nextName()).isEqualTo("ns.up.data.process");
    assertThat(glob.nextName()).isEqualTo("ns.up.data.receive");
    assertThat(glob.nextName()).isEqualTo("ns.up.data.process");
  }

  @Test
  void tailReplaysTheLastEventsThenGoesLive() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Event e = NS_UP_DATA_RECEIVE.with(CorrelationIds.empty(), null, DEV1);
      ids.add(e.uniqueId());
      bus.publish(e);
    }
    SseClient c = sse("admin-key", body(DEV1_IDS, "\"tail\":2"));
    assertThat(c.nextName()).isEqualTo("events.stream.start");
    assertThat(c.next().uniqueId()).isEqualTo(ids.get(3));
    assertThat(c.next().uniqueId()).isEqualTo(ids.get(4));
    Event live = NS_UP_DATA_PROCESS.with(CorrelationIds.empty(), null, DEV1);
    bus.publish(live);
    assertThat(c.next().uniqueId()).isEqualTo(live.uniqueId());
  }

  @Test
  void afterReplaysEventsNewerThanTheTime() throws Exception {
    Instant base = Instant.now().minusSeconds(60);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Event e = NS_UP_DATA_RECEIVE.builder().time(base.plusSeconds(i)).identifiers(DEV1).build();
      ids.add(e.uniqueId());
      bus.publish(e);
    }
    SseClient c = sse("admin-key", body(DEV1_IDS, "\"after\":\"" + base.plusSeconds(1).plusMillis(500) + "\""));
    assertThat(c.nextName()).isEqualTo("events.stream.start");
    assertThat(c.next().uniqueId()).isEqualTo(ids.get(2));
    assertThat(c.next().uniqueId()).isEqualTo(ids.get(3));
    bus.publish(APPLICATION_UPDATE.with(CorrelationIds.empty(), null, APP1));
    SseClient both = sse("admin-key", body(DEV1_IDS,
        "\"after\":\"" + base.plusSeconds(1).plusMillis(500) + "\",\"tail\":1"));
    assertThat(both.nextName()).isEqualTo("events.stream.start");
    assertThat(both.next().uniqueId()).isEqualTo(ids.get(3));
  }

  @Test
  void lastEventIdResumesWithoutDuplicates() throws Exception {
    SseClient first = sse("admin-key", body(DEV1_IDS, ""));
    assertThat(first.nextName()).isEqualTo("events.stream.start");
    Event e1 = NS_UP_DATA_RECEIVE.with(CorrelationIds.empty(), null, DEV1);
    Event e2 = NS_UP_DATA_PROCESS.with(CorrelationIds.empty(), null, DEV1);
    bus.publish(e1);
    bus.publish(e2);
    assertThat(first.next().id()).isEqualTo(e1.uniqueId());
    String lastId = first.next().id();
    assertThat(lastId).isEqualTo(e2.uniqueId());
    first.close();
    Event e3 = NS_UP_DATA_RECEIVE.with(CorrelationIds.empty(), null, DEV1);
    Event e4 = AS_UP_DATA_FORWARD.with(CorrelationIds.empty(), null, DEV1);
    bus.publish(e3);
    bus.publish(e4);
    SseClient resumed = sse("admin-key", body(DEV1_IDS, ""), lastId);
    assertThat(resumed.nextName()).isEqualTo("events.stream.start");
    assertThat(resumed.next().id()).isEqualTo(e3.uniqueId());
    assertThat(resumed.next().id()).isEqualTo(e4.uniqueId());
    Event e5 = NS_UP_DATA_PROCESS.with(CorrelationIds.empty(), null, DEV1);
    bus.publish(e5);
    assertThat(resumed.next().id()).isEqualTo(e5.uniqueId());
  }

  @Test
  void keepaliveCommentsAreSent() throws Exception {
    SseClient c = sse("app1-key", APP1_BODY);
    assertThat(c.nextName()).isEqualTo("events.stream.start");
    long deadline = System.nanoTime() + WAIT.toNanos();
    Frame f;
    do {
      f = c.frames.poll(1, TimeUnit.SECONDS);
    } while ((f == null || f.comment() == null) && System.nanoTime() < deadline);
    assertThat(f).isNotNull();
    assertThat(f.comment()).isEqualTo("keepalive");
  }

  @Test
  void visibilityRequiresMatchingRights() throws Exception {
    SseClient info = sse("app1-info", APP1_BODY);
    SseClient link = sse("app1-link", APP1_BODY);
    assertThat(info.nextName()).isEqualTo("events.stream.start");
    assertThat(link.nextName()).isEqualTo("events.stream.start");
    bus.publish(AS_UP_DATA_FORWARD.with(CorrelationIds.empty(), null, DEV1)); // needs TRAFFIC_READ
    bus.publish(APPLICATION_UPDATE.with(CorrelationIds.empty(), null, APP1)); // needs INFO
    assertThat(info.nextName()).isEqualTo("application.update");
    assertThat(link.nextName()).isEqualTo("as.up.data.forward"); // LINK implies TRAFFIC_READ
    assertThat(link.nextName()).isEqualTo("application.update");

    SseClient status = sse("gw1-status", body(GW1_IDS, ""));
    assertThat(status.nextName()).isEqualTo("events.stream.start");
    bus.publish(GS_UP_RECEIVE.with(CorrelationIds.empty(), null, GW1));
    bus.publish(GS_STATUS_RECEIVE.with(CorrelationIds.empty(), null, GW1));
    assertThat(status.nextName()).isEqualTo("gs.status.receive");
  }

  @Test
  void errorEventsCarryErrorDetails() throws Exception {
    SseClient c = sse("app1-key", APP1_BODY);
    assertThat(c.nextName()).isEqualTo("events.stream.start");
    bus.publish(AS_UP_DATA_DROP.withError(CorrelationIds.empty(),
        dev.loralab.api.ApiException.invalidArgument("f_port", "expected 1..223, found 0"), DEV1));
    JsonNode data = c.next().json().path("result").path("data");
    assertThat(data.path("@type").asText()).isEqualTo("type.googleapis.com/ttn.lorawan.v3.ErrorDetails");
    assertThat(data.path("name").asText()).isEqualTo("invalid_argument");
    assertThat(data.path("code").asInt()).isEqualTo(3);
  }

  @Test
  void badRequestsAre400WithTheReason() throws Exception {
    assertThat(error("admin-key", "{\"identifiers\":[]}")).startsWith("400 ").contains("identifiers");
    assertThat(error("admin-key", "{}")).startsWith("400 ").contains("identifiers");
    assertThat(error("admin-key", body(APP1_IDS, "\"names\":[\"ns.up.nope\"]")))
        .startsWith("400 ").contains("unknown event name ns.up.nope");
    assertThat(error("admin-key", body(APP1_IDS, "\"names\":[\"/([a-z/\"]")))
        .startsWith("400 ").contains("invalid regular expression /([a-z/");
    assertThat(error("admin-key", body(APP1_IDS, "\"names\":[\"/^zz/\"]")))
        .startsWith("400 ").contains("/^zz/ matches no defined event");
    assertThat(error("admin-key", body(APP1_IDS, "\"names\":[\"zz.*\"]")))
        .startsWith("400 ").contains("glob zz.* matches no defined event");
    assertThat(error("admin-key", "{\"identifiers\":")).startsWith("400 ");
    assertThat(error("admin-key", "{\"identifiers\":[{}]}")).startsWith("400 ").contains("identifiers[0]");
    assertThat(error("admin-key", "{\"unknown_field\":1}")).startsWith("400 ");
  }

  @Test
  void missingOrUnknownKeyIs401AndForeignEntityIs403() throws Exception {
    assertThat(error(null, APP1_BODY)).startsWith("401 ");
    assertThat(error("wrong-key", APP1_BODY)).startsWith("401 ");
    String forbidden = error("app1-key", body(APP1_IDS + ",{\"application_ids\":{\"application_id\":\"app2\"}}", ""));
    assertThat(forbidden).startsWith("403 ").contains("application:app2");
    assertThat(error("app1-key", body(GW1_IDS, ""))).startsWith("403 ").contains("gateway:gw1");
  }

  @Test
  void ndjsonWithoutAcceptAsTheThingsStackSends() throws Exception {
    HttpResponse<InputStream> r = post("app1-key", null, APP1_BODY, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    try {
      JsonNode start = JSON.readTree(reader.readLine());
      assertThat(start.path("result").path("name").asText()).isEqualTo("events.stream.start");
      bus.publish(APPLICATION_UPDATE.with(CorrelationIds.empty(), null, APP1));
      JsonNode next = JSON.readTree(reader.readLine());
      assertThat(next.path("result").path("name").asText()).isEqualTo("application.update");
    } finally {
      r.body().close();
    }
  }

  @Test
  void relatedEventsByCorrelationId() throws Exception {
    String cid = CorrelationIds.newId(CorrelationIds.GS_UPLINK);
    bus.publish(GS_UP_RECEIVE.with(CorrelationIds.of(cid), null, GW1));
    bus.publish(NS_UP_DATA_PROCESS.with(CorrelationIds.of(cid), null, DEV1));
    bus.publish(NS_UP_DATA_PROCESS.with(CorrelationIds.of("gs:uplink:other"), null, DEV1));
    var admin = client.send(HttpRequest.newBuilder(uri("/api/v3/events/related?correlation_id=" + cid))
        .header("Authorization", "Bearer admin-key").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(admin.statusCode()).isEqualTo(200);
    JsonNode events = JSON.readTree(admin.body()).path("events");
    assertThat(events.size()).isEqualTo(2);
    assertThat(events.get(0).path("name").asText()).isEqualTo("gs.up.receive");
    assertThat(events.get(1).path("correlation_ids").get(0).asText()).isEqualTo(cid);
    // app1-key may not see the gateway event: it comes back redacted
    var app = client.send(HttpRequest.newBuilder(uri("/api/v3/events/related?correlation_id=" + cid))
        .header("Authorization", "Bearer app1-key").build(), HttpResponse.BodyHandlers.ofString());
    JsonNode appEvents = JSON.readTree(app.body()).path("events");
    assertThat(appEvents.get(0).has("correlation_ids")).isFalse();
    assertThat(appEvents.get(1).has("correlation_ids")).isTrue();
    var unauth = client.send(HttpRequest.newBuilder(uri("/api/v3/events/related?correlation_id=" + cid)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unauth.statusCode()).isEqualTo(401);
    var bad = client.send(HttpRequest.newBuilder(uri("/api/v3/events/related"))
        .header("Authorization", "Bearer admin-key").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
  }

  @Test
  void definitionsAreListed() throws Exception {
    var unauth = client.send(HttpRequest.newBuilder(uri("/api/v3/events/definitions")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unauth.statusCode()).as("without an API key").isEqualTo(401);
    var r = client.send(HttpRequest.newBuilder(uri("/api/v3/events/definitions"))
        .header("Authorization", "Bearer app1-key").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode defs = JSON.readTree(r.body()).path("definitions");
    List<String> names = new ArrayList<>();
    defs.forEach(d -> names.add(d.path("name").asText()));
    assertThat(names).contains("as.up.data.forward", "events.stream.start", "events.stream.lag", "gs.up.receive");
    JsonNode fwd = null;
    for (JsonNode d : defs) {
      if (d.path("name").asText().equals("as.up.data.forward")) {
        fwd = d;
      }
    }
    assertThat(fwd.path("data_type").asText()).isEqualTo("ttn.lorawan.v3.ApplicationUp");
    assertThat(fwd.path("propagate_to_parent").asBoolean()).isTrue();
  }

  @Test
  void serverShutdownIsReportedInBand() throws Exception {
    SseClient c = sse("app1-key", APP1_BODY);
    assertThat(c.nextName()).isEqualTo("events.stream.start");
    HttpResponse<InputStream> nd = post("app1-key", "application/json", APP1_BODY, null);
    BufferedReader ndReader = new BufferedReader(new InputStreamReader(nd.body(), StandardCharsets.UTF_8));
    try {
      assertThat(JSON.readTree(ndReader.readLine()).path("result").path("name").asText())
          .isEqualTo("events.stream.start");
      bus.close();
      JsonNode error = c.next().json().path("error");
      assertThat(error.path("code").asInt()).isEqualTo(14);
      assertThat(error.path("message").asText()).contains("closed");
      assertThat(JSON.readTree(ndReader.readLine()).path("error").path("code").asInt()).isEqualTo(14);
    } finally {
      nd.body().close();
    }
  }

  @Test
  void clientDisconnectUnsubscribes() throws Exception {
    SseClient c = sse("app1-key", APP1_BODY);
    assertThat(c.nextName()).isEqualTo("events.stream.start");
    c.close();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline && bus.subscriberCount() > 0) {
      bus.publish(APPLICATION_UPDATE.with(CorrelationIds.empty(), null, APP1));
      Thread.sleep(50);
    }
    assertThat(bus.subscriberCount()).isZero();
  }
}
