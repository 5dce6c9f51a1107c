package dev.loralab.tests.simulator;

import static dev.loralab.tests.support.EventStream.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loralab.simulator.LoRaLabRegistration;
import dev.loralab.simulator.Provisioning;
import dev.loralab.simulator.Scenario;
import dev.loralab.simulator.ScenarioParser;
import dev.loralab.simulator.Simulation;
import dev.loralab.simulator.SimulationOptions;
import dev.loralab.simulator.SimulationReport;
import dev.loralab.tests.support.EventStream;
import dev.loralab.tests.support.Events;
import dev.loralab.tests.support.StackFixture;
import dev.loralab.tests.support.Timeouts;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 9, first bullet: the simulator against the real stack over UDP. Fifty devices (OTAA
 * 1.0.3, OTAA 1.1 with confirmed uplinks, ABP 1.0.3) across three gateways join and send for a
 * while; every uplink the radio model delivered to at least one gateway reaches
 * {@code as.up.data.forward} exactly once, and the report's figures match the stack's events.
 *
 * <p>Uplinks are compared as (DevEUI, DevAddr, FCntUp): retransmissions of a confirmed uplink share
 * it, and a device that joins again gets a new DevAddr while its FCntUp restarts. The gateways are
 * registered without duty-cycle enforcement (the API default), so the stack does not refuse
 * join-accepts when fifty devices join within seconds; what is still lost on the air (a
 * join-accept that collided, a device not listening) shows in the report and is accounted for.
 */
class SimulatorAgainstStackTest {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorAgainstStackTest.class);

  /** Simulated (real) time: enough for every device to join and send several uplinks. */
  private static final Duration RUN = Duration.ofSeconds(75);
  /** After the run, devices keep listening and the last uplinks reach the server. */
  private static final Duration DRAIN = Duration.ofSeconds(5);
  /** How long the stack may take to forward what was delivered, after the run (loaded CI machine). */
  private static final Duration CATCH_UP = Duration.ofSeconds(60);

  /**
   * Three gateways on a 2.6 km triangle; 36 OTAA 1.0.3 sensors (ADR), 8 OTAA 1.1 meters with
   * confirmed uplinks and 6 ABP 1.0.3 devices, all within 2 km of the centre, each sending every
   * 15-20 s.
   */
  static final String SCENARIO = """
      name: e2e-city-eu868
      seed: 9
      duration: 75s
      network-server: 127.0.0.1:1700
      frequency-plan: EU_863_870
      origin: {latitude: 48.8566, longitude: 2.3522}
      radio:
        path-loss-exponent: 3.0
        reference-distance-m: 1
        reference-loss-db: 31.2
        shadowing-sigma-db: 6
        capture: true
        capture-threshold-db: 6
      gateways:
        - {id: e2e-gw-north, eui: 00800000A0000901, position: [0, 1500]}
        - {id: e2e-gw-southwest, eui: 00800000A0000902, position: [-1300, -750]}
        - {id: e2e-gw-southeast, eui: 00800000A0000903, position: [1300, -750]}
      devices:
        - name: env
          count: 36
          activation: otaa
          lorawan-version: 1.0.3
          dev-eui-start: 70B3D57ED0090001
          placement: {type: disc, center: [0, 0], radius: 2000}
          uplink: {interval: 15s, jitter: 3s}
          payload: {type: cayenne, sensors: [temperature, humidity]}
          adr: true
        - name: meter
          count: 8
          activation: otaa
          lorawan-version: 1.1
          dev-eui-start: 70B3D57ED0091001
          placement: {type: grid, origin: [-500, -500], spacing: 400, columns: 4}
          uplink: {interval: 20s, jitter: 4s, confirmed: true, fport: 2}
          payload: {type: random, min-size: 4, max-size: 12}
        - name: abp
          count: 6
          activation: abp
          lorawan-version: 1.0.3
          dev-eui-start: 70B3D57ED0092001
          dev-addr-start: 260B9001
          placement: {type: disc, center: [0, 0], radius: 1200}
          uplink: {interval: 15s, jitter: 3s}
          payload: {type: fixed, hex: "0102"}
      """;

  @TempDir Path dir;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void everyDeliveredUplinkIsForwardedExactlyOnceAndTheReportMatchesTheEvents() throws Exception {
    try (StackFixture fx = StackFixture.start(dir)) {
      String server = "127.0.0.1:" + fx.stack().udpPort();
      Scenario scenario = new ScenarioParser().parse("e2e-city-eu868.yaml", SCENARIO);
      scenario = scenario.with(scenario.seed(), RUN, server);
      Provisioning provisioning = Provisioning.of(scenario);
      assertThat(provisioning.devices()).hasSize(50);
      assertThat(provisioning.gateways()).hasSize(3);

      LoRaLabRegistration.Result registered = new LoRaLabRegistration(fx.httpClient(),
          URI.create(fx.stack().httpUrl()), fx.adminKey()).register(provisioning, StackFixture.ADMIN);
      assertThat(registered.failures()).isEmpty();
      assertThat(registered.created()).isEqualTo(1 + 3 + 50);

      // registered without enforce_duty_cycle: the stack does not refuse join-accepts for duty cycle
      for (Scenario.GatewaySpec g : provisioning.gateways()) {
        assertThat(fx.stack().identityServer().gateways().get(Provisioning.gatewayId(g)).orElseThrow()
            .getEnforceDutyCycle()).isFalse();
      }

      String app = provisioning.devices().get(0).applicationId();
      List<String> gatewayIds = provisioning.gateways().stream().map(Provisioning::gatewayId).toList();
      EventStream events = fx.subscribe(gatewayIds, List.of(app));

      SimulationReport report = Simulation.run(scenario, SimulationOptions.defaults().withServer(server)
          .withDuration(RUN).withDrain(DRAIN));
      LOG.info("simulation report:\n{}", report.summary());

      assertThat(report.uplinkRecordsTruncated()).isFalse();
      assertThat(report.devices()).isEqualTo(50);

      // What the radio model delivered to at least one gateway, retransmissions folded.
      Set<UplinkKey> deliveredAll = report.uplinkRecords().stream()
          .filter(SimulationReport.UplinkRecord::delivered)
          .map(UplinkKey::of).collect(Collectors.toCollection(LinkedHashSet::new));
      // FPort 0 (MAC only) frames are not forwarded to the application
      Set<UplinkKey> delivered = report.uplinkRecords().stream()
          .filter(r -> r.delivered() && r.fPort() > 0)
          .map(UplinkKey::of).collect(Collectors.toCollection(LinkedHashSet::new));
      assertThat(delivered).as("the run must exercise the data path").hasSizeGreaterThan(60);

      // Wait (polling) until every delivered uplink is forwarded, then a quiet period for duplicates.
      Predicate<JsonNode> forward = named("as.up.data.forward");
      awaitForwarded(events, delivered, CATCH_UP);
      Thread.sleep(Timeouts.QUIET.toMillis());

      List<JsonNode> all = events.events();
      assertThat(events.errors()).as("SSE stream problems").isEmpty();
      assertThat(all.stream().filter(named("events.stream.lag")).toList())
          .as("the subscriber must not lose events (events.stream.lag)").isEmpty();

      LOG.info("drops and failures seen (legitimate ones: duplicates, radio losses, busy gateways): {}",
          dropSummary(all));

      Map<UplinkKey, Integer> forwarded = new TreeMap<>(Comparator.comparing(UplinkKey::toString));
      List<JsonNode> unreadable = new ArrayList<>();
      for (JsonNode e : all) {
        if (forward.test(e)) {
          UplinkKey.ofForward(e).ifPresentOrElse(k -> forwarded.merge(k, 1, Integer::sum), () -> unreadable.add(e));
        }
      }
      assertThat(unreadable).as("as.up.data.forward without end_device_ids.dev_eui/dev_addr").isEmpty();

      // (1) every uplink delivered to >= 1 gateway reaches as.up.data.forward.
      List<UplinkKey> missing = delivered.stream().filter(k -> !forwarded.containsKey(k)).toList();
      assertThat(missing).as("delivered uplinks never forwarded; why, per device:%n%s", explain(all, missing))
          .isEmpty();
      // (2) ... exactly once.
      Map<UplinkKey, Integer> duplicates = forwarded.entrySet().stream().filter(en -> en.getValue() > 1)
          .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      assertThat(duplicates).as("uplinks forwarded more than once").isEmpty();
      // ... and nothing is forwarded that the radio model did not deliver.
      Set<UplinkKey> unexpected = new LinkedHashSet<>(forwarded.keySet());
      unexpected.removeAll(delivered);
      assertThat(unexpected).as("forwarded uplinks the report does not have as delivered").isEmpty();

      // (3) joins: the devices the report says joined are those with as.up.join.forward.
      Set<String> joinedByEvents = all.stream().filter(named("as.up.join.forward"))
          .map(UplinkKey::devEuiOf).flatMap(Optional::stream).collect(Collectors.toSet());
      Set<String> joinedByReport = report.deviceCounts().stream()
          .filter(d -> d.joined() && d.joinRequests() > 0).map(d -> d.devEui().toUpperCase(Locale.ROOT))
          .collect(Collectors.toSet());
      assertThat(joinedByEvents).as("devices with as.up.join.forward vs devices the report has joined")
          .containsAll(joinedByReport);
      Set<String> acceptLost = new LinkedHashSet<>(joinedByEvents);
      acceptLost.removeAll(joinedByReport);
      long downlinksLost = report.downlinks().lostOnAir() + report.downlinks().notListening()
          + report.downlinks().rejectedByDevices()
          + report.downlinks().rejectedByGateways().values().stream().mapToLong(Long::longValue).sum();
      // a join-accept the stack could not schedule on any gateway (all busy) never reached the air
      long notScheduled = all.stream().filter(named("ns.down.join.schedule.fail")).count();
      assertThat((long) acceptLost.size())
          .as("devices the stack accepted but whose join-accept was neither lost on the air (report) nor"
              + " unschedulable (%d ns.down.join.schedule.fail): %s", notScheduled, acceptLost)
          .isLessThanOrEqualTo(downlinksLost + notScheduled);
      // most OTAA devices join within the run (join-requests are retried with back-off;
      // join-accepts may still be lost on the air or refused by a busy gateway)
      assertThat(report.joins().otaaDevices()).isEqualTo(44);
      assertThat(report.joins().joinedDevices()).isGreaterThanOrEqualTo(30);

      // (4) the report's figures match the event counts.
      assertThat(report.joins().joinedDevices()).isEqualTo(joinedByReport.size());
      assertThat(report.uplinks().delivered())
          .isEqualTo(report.uplinkRecords().stream().filter(SimulationReport.UplinkRecord::delivered).count());
      assertThat(report.deviceCounts().stream().mapToLong(SimulationReport.DeviceCounts::delivered).sum())
          .isEqualTo(report.uplinks().delivered());
      // every distinct delivered data uplink is processed once by the Network Server
      assertThat(all.stream().filter(named("ns.up.data.process")).count())
          .as("ns.up.data.process events vs distinct delivered uplinks").isEqualTo(deliveredAll.size());
      // every frame a gateway heard (join-requests included) is received by the Gateway Server
      for (SimulationReport.GatewayCounts g : report.gatewayCounts()) {
        String id = provisioning.gateways().stream().filter(x -> x.eui().toString().equalsIgnoreCase(g.eui()))
            .map(Provisioning::gatewayId).findFirst().orElseThrow();
        assertThat(all.stream().filter(named("gs.up.receive")).filter(Events.gateway(id)).count())
            .as("gs.up.receive on %s vs frames it heard", id).isEqualTo(g.received());
      }
      long forwardEvents = forwarded.values().stream().mapToLong(Integer::longValue).sum();
      assertThat(forwardEvents).as("as.up.data.forward events vs distinct delivered uplinks in the report")
          .isEqualTo(delivered.size());
      // per device: distinct delivered uplinks = forwarded uplinks
      Map<String, Long> deliveredPerDevice = delivered.stream()
          .collect(Collectors.groupingBy(UplinkKey::devEui, TreeMap::new, Collectors.counting()));
      Map<String, Long> forwardedPerDevice = forwarded.keySet().stream()
          .collect(Collectors.groupingBy(UplinkKey::devEui, TreeMap::new, Collectors.counting()));
      assertThat(forwardedPerDevice).isEqualTo(deliveredPerDevice);
      assertThat(forwardedPerDevice.keySet()).isEqualTo(report.deviceCounts().stream()
          .filter(d -> d.delivered() > 0).map(d -> d.devEui().toUpperCase(Locale.ROOT))
          .collect(Collectors.toSet()));
      // the data path was exercised broadly (a device that joined late may have no delivered uplink)
      assertThat(forwardedPerDevice).hasSizeGreaterThanOrEqualTo(30);
    }
  }

  /** Polls until every key in {@code expected} has an {@code as.up.data.forward}, or {@code timeout}. */
  private static void awaitForwarded(EventStream events, Set<UplinkKey> expected, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Set<UplinkKey> seen = events.matching(named("as.up.data.forward")).stream().map(UplinkKey::ofForward)
          .flatMap(Optional::stream).collect(Collectors.toSet());
      if (seen.containsAll(expected)) {
        return;
      }
      Thread.sleep(250);
    }
  }

  /**
   * For each device with missing uplinks: the missing FCnts and the uplink drop events about it;
   * then the other uplink drops, counted by name and message.
   */
  private static String explain(List<JsonNode> all, List<UplinkKey> missing) {
    Map<String, List<Long>> byDevice = new TreeMap<>();
    for (UplinkKey k : missing) {
      byDevice.computeIfAbsent(k.devEui() + "/" + k.devAddr(), x -> new ArrayList<>()).add(k.fCnt());
    }
    Map<String, List<String>> drops = new HashMap<>();
    Map<String, Integer> otherDrops = new TreeMap<>();
    for (JsonNode e : all) {
      String name = e.path("name").asText();
      if (!name.contains(".up.") || !(name.endsWith(".drop") || name.endsWith(".fail"))) {
        continue;
      }
      String line = name + " " + e.path("data").path("message_format").asText(e.path("data").toString());
      UplinkKey.devEuiOf(e).ifPresentOrElse(eui -> drops.computeIfAbsent(eui, x -> new ArrayList<>()).add(line),
          () -> otherDrops.merge(line, 1, Integer::sum));
    }
    StringBuilder b = new StringBuilder();
    byDevice.forEach((dev, fcnts) -> b.append("  ").append(dev).append(" FCnt ").append(fcnts).append(": ")
        .append(drops.getOrDefault(dev.substring(0, dev.indexOf('/')), List.of())).append('\n'));
    b.append("  other uplink drops: ").append(otherDrops);
    return b.toString();
  }

  /** Drop and failure events counted by name and reason, for the log. */
  private static Map<String, Integer> dropSummary(List<JsonNode> all) {
    Map<String, Integer> counts = new TreeMap<>();
    for (JsonNode e : all) {
      String name = e.path("name").asText();
      if (name.endsWith(".drop") || name.endsWith(".fail")) {
        JsonNode attrs = e.path("data").path("attributes");
        String reason = attrs.path("reason").asText(e.path("data").path("result").asText(""));
        counts.merge(name + (reason.isEmpty() ? "" : "[" + reason + "]"), 1, Integer::sum);
      }
    }
    return counts;
  }
}
