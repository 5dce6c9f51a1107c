package dev.loralab.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.cli.config.StackConfig;
import dev.loralab.cli.stack.Stack;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.Eui64;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One running {@link Stack} on loopback with ephemeral ports in a temporary data directory, the
 * admin API key, an {@link HttpApi}, and factories for uniquely named gateways, applications,
 * devices and event streams. Everything it made is closed with it.
 */
public final class StackFixture implements AutoCloseable {

  /** The user that owns what the tests register. */
  public static final String ADMIN = "admin";

  private static final AtomicInteger SEQUENCE = new AtomicInteger(1);

  private final Stack stack;
  private final String adminKey;
  private final ExecutorService httpExecutor;
  private final HttpClient http;
  private final HttpApi api;
  private final List<AutoCloseable> owned = new ArrayList<>();
  private final SplittableRandom random;
  private final int instance = SEQUENCE.getAndIncrement();
  private final AtomicInteger names = new AtomicInteger(1);

  private StackFixture(Stack stack, long seed) {
    this.stack = stack;
    this.adminKey = stack.adminApiKey();
    this.httpExecutor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-http");
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).executor(httpExecutor).build();
    this.api = new HttpApi(http, URI.create(stack.httpUrl()), adminKey);
    this.random = new SplittableRandom(seed);
  }

  /** Starts a stack with test settings (loopback, ephemeral ports) in {@code dataDir}. */
  public static StackFixture start(Path dataDir) {
    return start(StackConfig.defaults().forTests(dataDir));
  }

  /** Starts a stack with {@code config}. */
  public static StackFixture start(StackConfig config) {
    return new StackFixture(Stack.builder(config).build(), 0x5EEDL + SEQUENCE.get());
  }

  public Stack stack() {
    return stack;
  }

  public HttpApi api() {
    return api;
  }

  public HttpClient httpClient() {
    return http;
  }

  public String adminKey() {
    return adminKey;
  }

  /** The stack's Semtech UDP address. */
  public InetSocketAddress udpAddress() {
    return new InetSocketAddress("127.0.0.1", stack.udpPort());
  }

  /** A name unique in this stack, e.g. {@code app-3}. */
  public String uniqueId(String prefix) {
    return prefix + "-" + names.getAndIncrement();
  }

  /** A fresh EUI-64 (0x70B3D57ED0xxxxxx devices, 0xB827EBFFFExxxxxx gateways style). */
  public Eui64 newEui(long prefix) {
    return new Eui64(prefix | ((long) instance << 20) | (names.getAndIncrement() & 0xFFFFF));
  }

  /** A fresh random AES key. */
  public AesKey newKey() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return AesKey.of(b);
  }

  /** Registers an application owned by the admin. */
  public String createApplication() {
    String id = uniqueId("app");
    api.createApplication(ADMIN, id);
    return id;
  }

  /** Registers a gateway in {@code frequencyPlanId} and connects a {@link TestGateway} (PULL_DATA). */
  public TestGateway createGateway(String frequencyPlanId) {
    String id = uniqueId("gw");
    Eui64 eui = newEui(0xB827EBFFFE000000L);
    api.createGateway(ADMIN, id, eui.toString(), frequencyPlanId);
    TestGateway gw = new TestGateway(id, eui, udpAddress(), random.nextLong() & 0xFFFF_FFFFL);
    owned.add(gw);
    gw.pullData();
    return gw;
  }

  /** Registers {@code device} in {@code frequencyPlanId}, with extra fields merged in. */
  public TestDevice register(TestDevice device, String frequencyPlanId, ObjectNode extra) {
    ObjectNode reg = device.registration(frequencyPlanId);
    if (extra != null) {
      reg.setAll(extra);
    }
    api.createEndDevice(device.applicationId(), reg);
    return device;
  }

  /**
   * Opens an SSE stream on the given gateways and applications and waits until it is live: an
   * update of the first application (its description) must come through it.
   */
  public EventStream subscribe(List<String> gatewayIds, List<String> applicationIds) {
    return subscribe(gatewayIds, applicationIds, List.of());
  }

  /** As {@link #subscribe(List, List)}, also on end devices (for events that stay on the device). */
  public EventStream subscribe(List<String> gatewayIds, List<String> applicationIds, List<TestDevice> devices) {
    ArrayNode ids = HttpApi.JSON.createArrayNode();
    for (TestDevice d : devices) {
      ObjectNode dev = ids.addObject().putObject("device_ids");
      dev.put("device_id", d.deviceId()).putObject("application_ids").put("application_id", d.applicationId());
    }
    for (String g : gatewayIds) {
      ids.addObject().putObject("gateway_ids").put("gateway_id", g);
    }
    for (String a : applicationIds) {
      ids.addObject().putObject("application_ids").put("application_id", a);
    }
    EventStream s = EventStream.open(http, URI.create(stack.httpUrl()), adminKey, ids);
    owned.add(s);
    // The stream may go live a moment after its response headers: repeat the probe until one
    // comes through.
    long deadline = System.nanoTime() + Timeouts.NETWORK.toNanos();
    while (!applicationIds.isEmpty() || !gatewayIds.isEmpty()) {
      String marker = "stream probe " + names.getAndIncrement();
      String name;
      if (!applicationIds.isEmpty()) {
        String app = applicationIds.get(0);
        ObjectNode a = HttpApi.object();
        a.putObject("ids").put("application_id", app);
        a.put("description", marker);
        api.updateApplication(app, a, "description");
        name = "application.update";
      } else {
        String gw = gatewayIds.get(0);
        ObjectNode body = HttpApi.object();
        body.putObject("gateway").put("description", marker).putObject("ids").put("gateway_id", gw);
        body.putObject("field_mask").putArray("paths").add("description");
        api.put("/api/v3/gateways/" + HttpApi.enc(gw), body);
        name = "gateway.update";
      }
      if (s.awaitEvent(EventStream.named(name), java.time.Duration.ofSeconds(2)).isPresent()) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the event stream never delivered its probe (" + name + "); received "
            + s.summary());
      }
    }
    return s;
  }

  /**
   * Polls an end device (with a comma-separated field mask) until {@code condition} holds;
   * fails with the last state after {@link Timeouts#NETWORK}.
   */
  public JsonNode awaitEndDevice(String applicationId, String deviceId, String fieldMask,
      java.util.function.Predicate<JsonNode> condition) {
    long deadline = System.nanoTime() + Timeouts.NETWORK.toNanos();
    JsonNode last;
    while (true) {
      last = api.getEndDevice(applicationId, deviceId, fieldMask.split(","));
      if (condition.test(last) || System.nanoTime() > deadline) {
        break;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    if (!condition.test(last)) {
      throw new AssertionError("end device " + deviceId + " never reached the expected state; last " + last);
    }
    return last;
  }

  /** The events related to a correlation ID ({@code GET /api/v3/events/related}). */
  public JsonNode related(String correlationId) {
    return api.get("/api/v3/events/related?correlation_id=" + HttpApi.enc(correlationId));
  }

  /**
   * Waits until the Prometheus scrape at {@code /metrics} has a sample of {@code metric} whose
   * labels contain {@code label} (e.g. {@code reason="unknown_device"}) with a value above 0.
   */
  public void awaitMetric(String metric, String label) {
    long deadline = System.nanoTime() + Timeouts.NETWORK.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      HttpApi.Result r = api.send("GET", "/metrics", null);
      last = r.body();
      for (String line : last.split("\n")) {
        if (line.startsWith(metric + "{") && line.contains(label)) {
          double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          if (v > 0) {
            return;
          }
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    throw new AssertionError("no " + metric + "{" + label + "} > 0 in /metrics; lines: "
        + java.util.Arrays.stream(last.split("\n")).filter(l -> l.startsWith(metric)).toList());
  }

  @Override
  public void close() {
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    stack.close();
    httpExecutor.shutdownNow();
  }
}
