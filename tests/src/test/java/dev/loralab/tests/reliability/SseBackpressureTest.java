package dev.loralab.tests.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.Eui64;
import dev.loralab.tests.reliability.support.Metrics;
import dev.loralab.tests.reliability.support.UplinkSender;
import dev.loralab.tests.support.HttpApi;
import dev.loralab.tests.support.Radio;
import dev.loralab.tests.support.StackFixture;
import dev.loralab.tests.support.TestDevice;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, backpressure: ten SSE clients subscribed to the application that never read must not
 * hold up the uplink path. The same number of uplinks is driven through a gateway without and with
 * the stalled clients; both runs must complete (every uplink forwarded by the application server),
 * and the durations are reported (precise throughput belongs to the JMH benchmarks). When the
 * stalled clients go away, their subscriptions are released.
 */
class SseBackpressureTest {

  private static final String PLAN = "EU_863_870";
  private static final int UPLINKS = 1_200;
  /** Many devices: one device's uplinks stay far apart, as on the air (no two in one deduplication window). */
  private static final int DEVICES = 120;
  private static final int STALLED_CLIENTS = 10;
  /** Gateways: each source address may send 50 datagrams/s (burst 200) by default. */
  private static final int GATEWAYS = 10;
  /**
   * Uplinks per second across all gateways: each source address stays at 30 datagrams/s, below the
   * gateway server's default per-address limit (50/s), so no PUSH_DATA is refused on a fast machine.
   */
  private static final int OFFERED_RATE = 30 * GATEWAYS;
  private static final Radio RADIO = Radio.eu868(1, 5);
  /** Generous: a slow, loaded CI machine. */
  private static final long RUN_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(3);

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void stalledStreamsDoNotHoldUpUplinksAndAreReleased(@TempDir Path dir) throws Exception {
    try (StackFixture fx = StackFixture.start(dir)) {
      URI base = URI.create(fx.stack().httpUrl());
      String app = fx.createApplication();
      // Several gateways on their own source addresses: the gateway server rate-limits per address.
      List<UplinkSender> gw = new ArrayList<>();
      for (int i = 0; i < GATEWAYS; i++) {
        Eui64 eui = fx.newEui(0xB827EBFFFE000000L);
        fx.api().createGateway(StackFixture.ADMIN, fx.uniqueId("gw"), eui.toString(), PLAN);
        gw.add(new UplinkSender(eui, "127.0.4." + (i + 1), fx.udpAddress()));
      }
      List<TestDevice> devices = new ArrayList<>();
      for (int i = 0; i < DEVICES; i++) {
        devices.add(fx.register(TestDevice.abp(app, fx.uniqueId("dev"), fx.newEui(0x70B3D57ED0000000L),
            MacVersion.V1_0_3, new DevAddr(0x260D0000 + i), fx.newKey(), null, null, fx.newKey()), PLAN, null));
      }
      double subscribersBefore = Metrics.scrape(fx.httpClient(), base).sum("events_subscribers");

      drive(fx, base, gw, devices); // warm-up: JIT, connections, device sessions
      long baselineNanos = drive(fx, base, gw, devices);

      List<Socket> stalled = new ArrayList<>();
      try {
        for (int i = 0; i < STALLED_CLIENTS; i++) {
          stalled.add(stalledSubscriber(fx, app));
        }
        awaitSubscribers(fx, base, subscribersBefore + STALLED_CLIENTS);
        long stalledNanos = drive(fx, base, gw, devices);
        Metrics m = Metrics.scrape(fx.httpClient(), base);
        System.out.printf("sse backpressure: %d uplinks in %d ms without, %d ms with %d stalled SSE clients"
                + " (%.0f%% of the throughput); events dropped for slow subscribers: %.0f; heap after GC %d MiB%n",
            UPLINKS, baselineNanos / 1_000_000, stalledNanos / 1_000_000, STALLED_CLIENTS,
            100.0 * baselineNanos / stalledNanos, m.sum("events_subscriber_dropped_total"), usedHeapAfterGc() >> 20);
        // Throughput must not collapse. The bound is generous: a loaded CI machine is noisy, and
        // the precise comparison is the benchmarks' job.
        assertThat(stalledNanos).as("duration with %d stalled clients vs %d ms without", STALLED_CLIENTS,
            baselineNanos / 1_000_000).isLessThan(5 * baselineNanos + TimeUnit.SECONDS.toNanos(30));
      } finally {
        for (Socket s : stalled) {
          s.close();
        }
        gw.forEach(UplinkSender::close);
      }
      // A dead client's subscription and buffers are released.
      awaitSubscribers(fx, base, subscribersBefore);
      assertThat(fx.api().send("GET", "/healthz", null).status()).isEqualTo(200);
    }
  }

  /**
   * Sends {@link #UPLINKS} uplinks round-robin and waits until the network server has handled them
   * all and the application server has forwarded every one the network server processed. (At this
   * rate the network server occasionally takes two uplinks of one device out of order and drops the
   * older as {@code f_cnt_too_low}; real devices are seconds apart.)
   */
  private static long drive(StackFixture fx, URI base, List<UplinkSender> gw, List<TestDevice> devices)
      throws InterruptedException {
    Metrics before = Metrics.scrape(fx.httpClient(), base);
    long start = System.nanoTime();
    for (int i = 0; i < UPLINKS; i++) {
      long due = start + TimeUnit.SECONDS.toNanos(i) / OFFERED_RATE;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      TestDevice d = devices.get(i % devices.size());
      gw.get(i % gw.size()).push(d.uplink(TestDevice.Uplink.data(1, (byte) i, (byte) (i >> 8)), RADIO), RADIO);
    }
    long deadline = System.currentTimeMillis() + RUN_TIMEOUT_MS;
    Metrics now = before;
    while (System.currentTimeMillis() < deadline) {
      now = Metrics.scrape(fx.httpClient(), base);
      double processed = delta(now, before, "ns_uplink_processed_total");
      double dropped = delta(now, before, "ns_uplink_dropped_total");
      double forwarded = delta(now, before, "loralab_as_up_forwarded_total");
      if (processed + dropped >= UPLINKS && forwarded >= processed) {
        long elapsed = System.nanoTime() - start;
        assertThat(dropped).as("uplinks dropped by the network server (%s)", now.text().lines()
            .filter(l -> l.startsWith("ns_uplink_dropped_total")).toList()).isLessThan(UPLINKS / 20.0);
        return elapsed;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not every uplink handled: " + now.text().lines()
        .filter(l -> l.startsWith("ns_uplink") || l.startsWith("loralab_as_up") || l.startsWith("loralab_gs_udp_drops"))
        .filter(l -> !l.endsWith(" 0.0")).toList());
  }

  private static double delta(Metrics now, Metrics before, String name) {
    return now.sum(name) - before.sum(name);
  }

  /**
   * A raw socket that subscribes to the application's events over SSE and then never reads: its
   * receive window fills and the server can no longer write to it.
   */
  private static Socket stalledSubscriber(StackFixture fx, String app) throws Exception {
    ArrayNode ids = HttpApi.JSON.createArrayNode();
    ids.addObject().putObject("application_ids").put("application_id", app);
    ObjectNode req = HttpApi.object();
    req.set("identifiers", ids);
    byte[] body = req.toString().getBytes(StandardCharsets.UTF_8);
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", fx.stack().httpPort()), 30_000);
    OutputStream out = s.getOutputStream();
    out.write(("POST /api/v3/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + fx.adminKey()
        + "\r\nAccept: text/event-stream\r\nContent-Type: application/json\r\nContent-Length: " + body.length
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    return s;
  }

  private static void awaitSubscribers(StackFixture fx, URI base, double expected) throws InterruptedException {
    double now = -1;
    for (int i = 0; i < 600; i++) {
      now = Metrics.scrape(fx.httpClient(), base).sum("events_subscribers");
      if (now == expected) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("events_subscribers: expected " + expected + ", found " + now);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    System.gc();
    Thread.sleep(200);
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
