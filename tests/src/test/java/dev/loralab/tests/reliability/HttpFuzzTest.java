package dev.loralab.tests.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.tests.reliability.support.ApiRoutes;
import dev.loralab.tests.reliability.support.LogCapture;
import dev.loralab.tests.reliability.support.Metrics;
import dev.loralab.tests.reliability.support.RawHttp;
import dev.loralab.tests.support.HttpApi;
import dev.loralab.tests.support.StackFixture;
import dev.loralab.tests.support.TestDevice;
import dev.loralab.web.Handler;
import dev.loralab.web.HttpServer;
import dev.loralab.web.HttpServerConfig;
import dev.loralab.web.Response;
import dev.loralab.web.Router;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, hostile input on the HTTP API: every route (from the route classes) gets malformed
 * JSON, values of the wrong type, deeply nested JSON, invalid UTF-8, a body over the limit, the
 * wrong content type, missing and unknown fields, and IDs with path tricks; every answer is a 4xx
 * (never 5xx) with a JSON error body, the server keeps serving, no handler fails, nothing is logged
 * with an exception, and the heap does not grow without bound. Slow clients that dribble their
 * headers do not stop the server from serving others, and the request timeout cuts them off.
 */
class HttpFuzzTest {

  private static final String PLAN = "EU_863_870";

  /** IDs in paths that must never name an entity (raw bytes as sent on the request line). */
  private static final List<String> PATH_TRICKS = List.of(
      "..", "%2e%2e", "%2E%2E%2F%2E%2E", "%2F", "a%2Fb", "%00", "a%00b", "%FF", "%C0%AE", "%", "%zz", "a%3Fb",
      "a;b", "%20", "d%C3%A9v", "%F0%9F%98%80", "UPPER", "-leading", "a".repeat(300), "x".repeat(5000));

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void everyRouteAnswersHostileRequestsWith4xxJsonErrors(@TempDir Path dir) throws Exception {
    try (StackFixture fx = StackFixture.start(dir); LogCapture log = LogCapture.start(Level.WARN)) {
      URI base = URI.create(fx.stack().httpUrl());
      RawHttp raw = new RawHttp(new InetSocketAddress("127.0.0.1", fx.stack().httpPort()));
      String key = fx.adminKey();
      Map<String, String> ids = validIds(fx);

      List<String> routes = ApiRoutes.of(fx.stack());
      assertThat(routes).as("routes under test").hasSizeGreaterThan(30);

      long heapBefore = usedHeapAfterGc(fx, base);
      List<String> failures = new ArrayList<>();
      int requests = 0;
      for (String route : routes) {
        String method = route.substring(0, route.indexOf(' '));
        String pattern = route.substring(route.indexOf(' ') + 1);
        String path = ApiRoutes.fill(pattern, ids, null);
        if (method.equals("POST") || method.equals("PUT")) {
          for (Map.Entry<String, byte[]> c : hostileBodies().entrySet()) {
            RawHttp.Response r = raw.send(method, path, key, c.getValue());
            requests++;
            check(failures, route + " body " + c.getKey(), r, true);
          }
          if (!pattern.equals("/api/v3/events")) {
            // Missing and unknown fields, wrong content type: refused or accepted, never a failure.
            check(failures, route + " body {}", raw.send(method, path, key, "{}".getBytes(StandardCharsets.UTF_8)),
                false);
            check(failures, route + " unknown field",
                raw.send(method, path, key, "{\"no_such_field\":1}".getBytes(StandardCharsets.UTF_8)), true);
            check(failures, route + " text/plain", raw.send(method, path.getBytes(StandardCharsets.UTF_8), key,
                "text/plain", "{\"no_such_field\":1}".getBytes(StandardCharsets.UTF_8)), true);
            requests += 3;
          }
          // Over the body limit (1 MiB): announced, then not even sent.
          RawHttp.Response big = raw.exchange((method + " " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
              + key + "\r\nContent-Type: application/json\r\nContent-Length: " + (2 << 20) + "\r\n\r\n{")
              .getBytes(StandardCharsets.US_ASCII));
          requests++;
          if (big.status() != 413 || !big.isJsonError()) {
            failures.add(route + " 2 MiB body: expected 413 with a JSON error, found " + big);
          }
        }
        Matcher m = ApiRoutes.PARAM.matcher(pattern);
        while (m.find()) {
          for (String trick : PATH_TRICKS) {
            String tricked = ApiRoutes.fill(pattern, ids, Map.entry(m.group(1), trick));
            byte[] body = method.equals("POST") || method.equals("PUT") ? "{}".getBytes(StandardCharsets.UTF_8) : null;
            RawHttp.Response r = raw.send(method, tricked.getBytes(StandardCharsets.ISO_8859_1), key,
                body == null ? null : "application/json", body);
            requests++;
            check(failures, route + " " + m.group(1) + "=" + abbreviate(trick), r, true);
          }
        }
      }
      // Invalid UTF-8 and NUL as raw bytes on the request line; traversal out of the console.
      for (byte[] p : List.of(bytes("/api/v3/applications/\u00ff\u00fe"), bytes("/api/v3/applications/a\u0000b"),
          bytes("/console/../../../../etc/passwd"), bytes("/console/%2e%2e/%2e%2e/%2e%2e/etc/passwd"),
          bytes("/console/..%2F..%2F..%2Fetc%2Fpasswd"), bytes("/api/v3/../../etc/passwd"))) {
        RawHttp.Response r = raw.send("GET", p, key, null, null);
        requests++;
        if (r.status() == 200 && r.body().contains("root:")) {
          failures.add("GET " + new String(p, StandardCharsets.ISO_8859_1) + " served a file outside the console");
        }
        if (r.status() < 400 || r.status() >= 500) {
          failures.add("GET " + new String(p, StandardCharsets.ISO_8859_1).replace('\u0000', '0') + ": " + r);
        }
      }

      // Still serving, nothing failed inside.
      assertThat(fx.api().get("/api/v3/applications/" + ids.get("application_id")).path("ids")
          .path("application_id").asText()).isEqualTo(ids.get("application_id"));
      Metrics metrics = Metrics.scrape(fx.httpClient(), base);
      long heapAfter = usedHeapAfterGc(fx, base);
      System.out.printf("http fuzz: %d routes, %d requests, heap %d -> %d MiB%n", routes.size(), requests,
          heapBefore >> 20, heapAfter >> 20);
      assertThat(failures).as("answers that were not a 4xx with a JSON error").isEmpty();
      assertThat(metrics.sum("http_server_handler_failures_total")).as("handler failures").isZero();
      assertThat(heapAfter - heapBefore).as("heap growth over %d hostile requests", requests)
          .isLessThan(128L << 20);
      assertThat(log.withThrowable(Level.WARN)).as("log events with an exception")
          .extracting(LogCapture::describe).isEmpty();
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void slowClientsDoNotStopTheServerFromServingOthers(@TempDir Path dir) throws Exception {
    try (StackFixture fx = StackFixture.start(dir)) {
      InetSocketAddress addr = new InetSocketAddress("127.0.0.1", fx.stack().httpPort());
      byte[] request = ("GET /api/v3/applications HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + fx.adminKey()
          + "\r\nX-Slow: " + "z".repeat(200)).getBytes(StandardCharsets.US_ASCII);
      List<Socket> slow = new ArrayList<>();
      AtomicBoolean done = new AtomicBoolean();
      for (int i = 0; i < 32; i++) {
        Socket s = new Socket();
        s.connect(addr, 30_000);
        slow.add(s);
      }
      Thread dribbler = new Thread(() -> {
        try {
          for (int i = 0; i < request.length && !done.get(); i++) {
            for (Socket s : slow) {
              s.getOutputStream().write(request[i]);
              s.getOutputStream().flush();
            }
            Thread.sleep(20);
          }
        } catch (Exception e) {
          // the server may close a slow connection: that is allowed
        }
      }, "slow-clients");
      dribbler.setDaemon(true);
      dribbler.start();
      try {
        for (int i = 0; i < 20; i++) {
          assertThat(fx.api().send("GET", "/api/v3/applications", null).status())
              .as("a normal request while %d clients dribble their headers", slow.size()).isEqualTo(200);
        }
      } finally {
        done.set(true);
        dribbler.join(60_000);
      }
      // The slow clients stopped mid-header: the server still serves everyone else.
      assertThat(fx.api().send("GET", "/healthz", null).status()).isEqualTo(200);
      for (Socket s : slow) {
        s.close();
      }
    }

    // A client that dribbles its request forever (every byte resets the idle timeout) is cut off
    // by the request timeout: a server configured with a short one (the stack's is 30 s) closes it.
    ExecutorService handlers = Executors.newFixedThreadPool(2);
    Router router = new Router();
    router.get("/healthz", Handler.sync(r -> Response.json(200, "{\"status\":\"ok\"}")));
    try (HttpServer server = new HttpServer(HttpServerConfig.defaults().withBindAddress("127.0.0.1").withPort(0)
        .withRequestTimeout(Duration.ofSeconds(2)), router, handlers, new SimpleMeterRegistry()).start();
         Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", server.port()), 30_000);
      s.setSoTimeout(120_000);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      Thread reader = new Thread(() -> {
        try {
          InputStream in = s.getInputStream();
          for (int n; (n = readOrReset(in)) >= 0; ) {
            got.write(n);
          }
        } catch (java.io.IOException e) {
          // closed
        }
      }, "slowloris-reader");
      reader.setDaemon(true);
      reader.start();
      OutputStream out = s.getOutputStream();
      byte[] dribble = ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + "z".repeat(2000))
          .getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < dribble.length && reader.isAlive(); i++) {
        try {
          out.write(dribble[i]);
          out.flush();
        } catch (java.io.IOException closed) {
          break;
        }
        Thread.sleep(100);
      }
      reader.join(120_000);
      assertThat(reader.isAlive()).as("the dribbling connection was closed by the server").isFalse();
      assertThat(got.toString(StandardCharsets.US_ASCII)).as("nothing but a 408 (or a reset) for it")
          .satisfiesAnyOf(t -> assertThat(t).isEmpty(), t -> assertThat(t).startsWith("HTTP/1.1 408"));
      // ...and keeps serving.
      RawHttp.Response ok = new RawHttp(new InetSocketAddress("127.0.0.1", server.port()))
          .send("GET", "/healthz", null, null);
      assertThat(ok.status()).isEqualTo(200);
    } finally {
      handlers.shutdownNow();
    }
  }

  private static int readOrReset(InputStream in) throws java.io.IOException {
    try {
      return in.read();
    } catch (java.net.SocketException e) {
      return -1;
    }
  }

  private static void check(List<String> failures, String what, RawHttp.Response r, boolean must4xx) {
    boolean ok;
    if (must4xx) {
      ok = r.status() >= 400 && r.status() < 500 && r.isJsonError();
    } else {
      ok = r.status() > 0 && r.status() < 500 && (r.status() < 400 || r.isJsonError());
    }
    if (!ok) {
      failures.add(what + ": " + r);
    }
  }

  /** Bodies every POST and PUT route must refuse with a 4xx. */
  private static Map<String, byte[]> hostileBodies() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("malformed", bytes("{\"application\":{\"ids\":"));
    m.put("not an object", bytes("[1,2,3]"));
    m.put("a string", bytes("\"hello\""));
    m.put("wrong types", bytes("{\"application\":5,\"gateway\":[],\"end_device\":\"x\",\"field_mask\":7,"
        + "\"identifiers\":\"x\",\"webhook\":1,\"downlinks\":{},\"name\":[],\"rights\":\"RIGHT_ALL\","
        + "\"formatters\":3,\"application_ids\":7,\"user_ids\":[]}"));
    m.put("huge numbers", bytes("{\"limit\":1e999999,\"application\":{\"ids\":{\"application_id\":1e400}},"
        + "\"end_device\":{\"ids\":{\"device_id\":99999999999999999999999999999999}},\"identifiers\":[1e308]}"));
    m.put("deeply nested", bytes("{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"));
    m.put("invalid UTF-8", concat(bytes("{\"application\":{\"ids\":{\"application_id\":\""),
        new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xC0, (byte) 0x80}, bytes("\"}}}")));
    m.put("lone surrogate", bytes("{\"application\":{\"ids\":{\"application_id\":\"\\ud800\"}}}"));
    m.put("NUL", bytes("{\"application\":{\"ids\":{\"application_id\":\"a\\u0000b\"}}}"));
    return m;
  }

  /** Registers what the routes' path parameters name. */
  private static Map<String, String> validIds(StackFixture fx) {
    String app = fx.createApplication();
    String gateway = fx.uniqueId("gw");
    fx.api().createGateway(StackFixture.ADMIN, gateway, fx.newEui(0xB827EBFFFE000000L).toString(), PLAN);
    TestDevice dev = fx.register(TestDevice.otaa(app, fx.uniqueId("dev"), fx.newEui(0x70B3D57ED0000000L),
        new Eui64(0x70B3D57ED0000000L), MacVersion.V1_0_3, fx.newKey(), fx.newKey()), PLAN, null);
    ObjectNode keyReq = HttpApi.object();
    keyReq.putObject("application_ids").put("application_id", app);
    keyReq.put("name", "fuzz");
    keyReq.putArray("rights").add("RIGHT_APPLICATION_INFO");
    JsonNode apiKey = fx.api().post("/api/v3/applications/" + app + "/api-keys", keyReq);
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("user_id", StackFixture.ADMIN);
    ids.put("application_id", app);
    ids.put("gateway_id", gateway);
    ids.put("device_id", dev.deviceId());
    ids.put("key_id", apiKey.path("id").asText());
    ids.put("webhook_id", "fuzz-hook");
    return ids;
  }

  /** The stack's heap after a GC, from {@code jvm_memory_used_bytes{area="heap"}} on /metrics (lowest of three). */
  private static long usedHeapAfterGc(StackFixture fx, URI base) throws InterruptedException {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
      Metrics m = Metrics.scrape(fx.httpClient(), base);
      long used = m.has("jvm_memory_used_bytes") ? (long) m.sum("jvm_memory_used_bytes", "area=\"heap\"")
          : ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      min = Math.min(min, used);
    }
    return min;
  }


  private static String abbreviate(String s) {
    return s.length() > 20 ? s.substring(0, 10) + "...(" + s.length() + ")" : s;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }
}
