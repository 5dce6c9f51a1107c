package dev.loralab.tests;

import static dev.loralab.tests.support.Events.device;
import static dev.loralab.tests.support.Events.gateway;
import static dev.loralab.tests.support.Events.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loralab.gatewayserver.udp.Txpk;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.frame.CfList;
import dev.loralab.lorawan.frame.JoinAccept;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.tests.support.EventStream;
import dev.loralab.tests.support.Events;
import dev.loralab.tests.support.Radio;
import dev.loralab.tests.support.ReceiveWindows;
import dev.loralab.tests.support.Region;
import dev.loralab.tests.support.SeedJoinFlow;
import dev.loralab.tests.support.StackFixture;
import dev.loralab.tests.support.TestDevice;
import dev.loralab.tests.support.TestGateway;
import dev.loralab.tests.support.Timeouts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 7: the join flow end to end over loopback UDP (Semtech packet forwarder) and HTTP (API and
 * Server-Sent Events), on one stack shared by the tests of this class; every test has its own
 * gateway, application and device.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JoinFlowTest {

  private static final long DEVICE_EUI_PREFIX = 0x70B3D57ED0000000L;

  private StackFixture fx;

  @BeforeAll
  void startStack(@TempDir Path dir) {
    fx = StackFixture.start(dir);
  }

  @AfterAll
  void stopStack() {
    if (fx != null) {
      fx.close();
    }
  }

  static Stream<Arguments> matrix() {
    return Stream.of(
        Arguments.of(MacVersion.V1_0_3, Region.EU868),
        Arguments.of(MacVersion.V1_1, Region.EU868),
        Arguments.of(MacVersion.V1_0_3, Region.US915),
        Arguments.of(MacVersion.V1_1, Region.US915));
  }

  private TestDevice newOtaaDevice(String app, MacVersion version) {
    return TestDevice.otaa(app, fx.uniqueId("dev"), fx.newEui(DEVICE_EUI_PREFIX),
        new Eui64(0x70B3D57ED0000000L), version, fx.newKey(), fx.newKey());
  }

  @ParameterizedTest(name = "LoRaWAN {0} in {1}")
  @MethodSource("matrix")
  void joinFlowMatchesTheSeed(MacVersion version, Region region) {
    String app = fx.createApplication();
    TestGateway gw = fx.createGateway(region.frequencyPlanId());
    TestDevice dev = fx.register(newOtaaDevice(app, version), region.frequencyPlanId(), null);
    EventStream events = fx.subscribe(List.of(gw.id()), List.of(app));

    // The device sends a join-request; the gateway forwards it (PUSH_DATA).
    Radio up = region.uplink(0);
    long tmst = gw.uplink(dev.joinRequest(), up, -60, 7.5);

    // The join-accept comes back as a PULL_RESP timed for RX1 (JOIN_ACCEPT_DELAY1 = 5 s) or RX2 (6 s).
    Txpk txpk = gw.expectDownlink(Timeouts.DOWNLINK);
    ReceiveWindows.assertClassA(txpk, tmst, 5, region, up);
    JoinAccept ja = dev.acceptJoin(txpk.data().toArray());
    assertThat(ja.dlSettings().optNeg()).as("OptNeg").isEqualTo(version.is1_1());
    assertThat(ja.rxDelay()).as("RxDelay").isEqualTo(5);
    assertCfList(ja, region);

    // Every event of the seed's join flow, seed-shaped, in causal order.
    events.expectEvent("as.up.join.forward", "for " + dev.deviceId(), device(dev.deviceId()));
    Predicate<JsonNode> ours = device(dev.deviceId()).or(gateway(gw.id()))
        .and(e -> !e.path("name").asText().startsWith("events."));
    List<JsonNode> flow = events.matching(ours);
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < flow.size(); i++) {
      firstIndex.putIfAbsent(flow.get(i).path("name").asText(), i);
    }
    List<String> names = flow.stream().map(e -> e.path("name").asText()).toList();
    for (SeedJoinFlow.Expected expected : SeedJoinFlow.events()) {
      assertThat(firstIndex).as("events received: %s", names).containsKey(expected.name());
      JsonNode e = flow.get(firstIndex.get(expected.name()));
      assertSeedShaped(e, expected, gw, dev);
    }
    assertCausalOrder(firstIndex, names);
    JsonNode pathIds = flow.get(firstIndex.get("ns.down.join.schedule.success")).path("data").path("downlink_path")
        .path("fixed").path("gateway_ids");
    assertThat(pathIds.path("gateway_id").asText()).as("downlink path gateway").isEqualTo(gw.id());
    assertThat(pathIds.path("eui").asText()).as("downlink path gateway EUI").isEqualTo(gw.eui().toString());

    // The gateway's uplink correlation ID ties the whole flow together; every correlation ID of
    // the flow finds its events through /api/v3/events/related.
    JsonNode receive = flow.get(firstIndex.get("gs.up.receive"));
    String uplinkCid = Events.correlationId(receive, "gs:uplink").orElseThrow();
    for (String name : List.of("ns.up.join.receive", "ns.up.join.process", "gs.up.forward",
        "ns.down.join.schedule.attempt", "gs.down.send", "ns.up.join.accept.forward", "as.up.join.forward")) {
      assertThat(Events.correlationIds(flow.get(firstIndex.get(name))))
          .as("%s carries the uplink's %s", name, uplinkCid).contains(uplinkCid);
    }
    // Every correlation ID of the flow finds, through /api/v3/events/related, every event of
    // the flow that carries it.
    Map<String, Set<String>> byCid = new java.util.TreeMap<>();
    for (JsonNode e : flow) {
      for (String cid : Events.correlationIds(e)) {
        byCid.computeIfAbsent(cid, k -> new java.util.TreeSet<>()).add(e.path("unique_id").asText());
      }
    }
    assertThat(byCid.keySet()).as("the flow's correlation IDs")
        .anyMatch(c -> c.startsWith("ns:downlink:")).anyMatch(c -> c.startsWith("rpc:/ttn.lorawan.v3.NsJs/HandleJoin:"));
    for (Map.Entry<String, Set<String>> c : byCid.entrySet()) {
      Set<String> related = new java.util.TreeSet<>();
      fx.related(c.getKey()).path("events").forEach(r -> related.add(r.path("unique_id").asText()));
      assertThat(related).as("GET /api/v3/events/related?correlation_id=%s", c.getKey()).containsAll(c.getValue());
    }

    // The session keys the device derived are the network's and the application's: a data
    // uplink is processed by the NS and decrypted by the AS.
    Radio dataRadio = region.uplink(region.maxDataRate());
    List<MacCommand> fOpts = version.is1_1() ? List.of(new MacCommand.RekeyInd(1)) : List.of();
    gw.uplink(dev.uplink(TestDevice.Uplink.data(7, (byte) 0xCA, (byte) 0xFE).withFOpts(fOpts), dataRadio),
        dataRadio, -60, 7.5);
    events.expectEvent("ns.up.data.process", "first uplink of " + dev.deviceId(), device(dev.deviceId()));
    JsonNode asUp = events.expectEvent("as.up.data.forward", "first uplink of " + dev.deviceId(),
        device(dev.deviceId()));
    assertThat(asUp.path("data").path("uplink_message").path("frm_payload").asText())
        .as("decrypted FRMPayload (base64)").isEqualTo("yv4=");
  }

  /** The join-accept's CFList sets up the frequency plan's channels (RP002-1.0.4 §2.2.4, §2.5.4). */
  private static void assertCfList(JoinAccept ja, Region region) {
    assertThat(ja.cfList()).as("CFList").isPresent();
    CfList cf = ja.cfList().get();
    if (region == Region.EU868) {
      assertThat(cf).isInstanceOf(CfList.Frequencies.class);
      assertThat(((CfList.Frequencies) cf).frequenciesHz())
          .containsExactly(867_100_000L, 867_300_000L, 867_500_000L, 867_700_000L, 867_900_000L);
    } else {
      assertThat(cf).isInstanceOf(CfList.ChannelMasks.class);
      CfList.ChannelMasks masks = (CfList.ChannelMasks) cf;
      for (int ch = 0; ch < 72; ch++) {
        boolean fsb2 = (ch >= 8 && ch <= 15) || ch == 65;
        assertThat(masks.enabled(ch)).as("US915 FSB 2 channel %d", ch).isEqualTo(fsb2);
      }
    }
  }

  private static void assertSeedShaped(JsonNode e, SeedJoinFlow.Expected expected, TestGateway gw,
      TestDevice dev) {
    String name = expected.name();
    JsonNode id = e.path("identifiers").path(0);
    assertThat(SeedJoinFlow.shape(id)).as("%s identifier shape", name)
        .isEqualTo(expected.identifierShape());
    if (id.has("gateway_ids")) {
      assertThat(id.path("gateway_ids").path("gateway_id").asText()).as(name).isEqualTo(gw.id());
      assertThat(id.path("gateway_ids").path("eui").asText()).as(name).isEqualTo(gw.eui().toString());
    } else {
      JsonNode d = id.path("device_ids");
      assertThat(d.path("device_id").asText()).as(name).isEqualTo(dev.deviceId());
      assertThat(d.path("application_ids").path("application_id").asText()).as(name)
          .isEqualTo(dev.applicationId());
      assertThat(d.path("dev_eui").asText()).as(name).isEqualTo(dev.devEui().toString());
      assertThat(d.path("join_eui").asText()).as(name).isEqualTo(dev.joinEui().toString());
      assertThat(d.path("dev_addr").asText()).as("%s dev_addr: the join-accept's", name)
          .isEqualTo(dev.devAddr().toString());
    }
    if (expected.dataType().isPresent()) {
      assertThat(e.path("data").path("@type").asText()).as("%s data.@type", name)
          .isEqualTo(expected.dataType().get());
      Set<String> fields = new java.util.TreeSet<>();
      e.path("data").fieldNames().forEachRemaining(fields::add);
      assertThat(fields).as("%s data fields: %s", name, e.path("data")).containsAll(expected.dataFields());
      assertThat(SeedJoinFlow.stringLeaves(e.path("data"))).as("%s data: %s", name, e.path("data"))
          .containsAll(SeedJoinFlow.stringLeaves(expected.data()));
      if (expected.dataType().get().endsWith("google.protobuf.Value")) {
        assertThat(e.path("data").path("value")).as("%s data.value", name).isEqualTo(expected.data().path("value"));
      }
    } else {
      assertThat(e.has("data")).as("%s has no data in the seed: %s", name, e.path("data")).isFalse();
    }
    Set<String> prefixes = new java.util.TreeSet<>();
    Events.correlationIds(e).forEach(c -> prefixes.add(Events.prefix(c)));
    assertThat(prefixes).as("%s correlation ID prefixes", name).containsAll(expected.correlationPrefixes());
  }

  private static void assertCausalOrder(Map<String, Integer> at, List<String> names) {
    String[][] before = {
        {"gs.up.receive", "ns.up.join.receive"},
        {"ns.up.join.receive", "ns.up.join.cluster.attempt"},
        {"ns.up.join.cluster.attempt", "js.join.accept"},
        {"js.join.accept", "ns.up.join.cluster.success"},
        {"ns.up.join.cluster.success", "ns.up.join.process"},
        {"ns.up.join.process", "ns.down.join.schedule.attempt"},
        {"ns.down.join.schedule.attempt", "gs.down.schedule.attempt"},
        {"gs.down.schedule.attempt", "gs.down.send"},
        {"gs.down.schedule.attempt", "ns.down.join.schedule.success"},
        {"ns.down.join.schedule.success", "ns.up.join.accept.forward"},
        {"ns.up.join.accept.forward", "as.up.join.receive"},
        {"as.up.join.receive", "as.up.join.forward"},
    };
    for (String[] pair : before) {
      assertThat(at.get(pair[0])).as("%s before %s in %s", pair[0], pair[1], names).isLessThan(at.get(pair[1]));
    }
    assertThat(names.get(0)).as("the first event of the flow").isEqualTo("gs.up.receive");
  }

  static Stream<MacVersion> versions() {
    return Stream.of(MacVersion.V1_0_3, MacVersion.V1_1);
  }

  /** A join-request signed with another key than the registered AppKey (1.0.3) or NwkKey (1.1). */
  @ParameterizedTest(name = "LoRaWAN {0}")
  @MethodSource("versions")
  void wrongAppKeyIsDroppedAsMicMismatchWithoutDownlink(MacVersion version) {
    Region region = Region.EU868;
    String app = fx.createApplication();
    TestGateway gw = fx.createGateway(region.frequencyPlanId());
    TestDevice dev = fx.register(newOtaaDevice(app, version), region.frequencyPlanId(), null);
    EventStream events = fx.subscribe(List.of(gw.id()), List.of(app));

    gw.uplink(dev.joinRequest(fx.newKey()), region.uplink(0), -60, 7.5);

    JsonNode fail = events.expectEvent("ns.up.join.cluster.fail", "for " + dev.deviceId(), device(dev.deviceId()));
    JsonNode drop = events.expectEvent("ns.up.join.drop", "for " + dev.deviceId(), device(dev.deviceId()));
    assertThat(fail.path("data").path("name").asText()).as("cluster.fail reason: %s", fail.path("data"))
        .isEqualTo("mic_mismatch");
    assertThat(drop.path("data").path("name").asText()).as("drop reason: %s", drop.path("data"))
        .isEqualTo("mic_mismatch");
    assertThat(drop.path("data").toString()).as("drop message").containsIgnoringCase("MIC");
    assertThat(events.matching(device(dev.deviceId()).and(named("ns.down.join.schedule.attempt")))).isEmpty();
    assertThat(gw.awaitDownlink(Timeouts.QUIET)).as("no join-accept").isEmpty();
  }

  @ParameterizedTest(name = "LoRaWAN {0}")
  @MethodSource("versions")
  void replayedDevNonceIsRejected(MacVersion version) throws InterruptedException {
    Region region = Region.EU868;
    String app = fx.createApplication();
    TestGateway gw = fx.createGateway(region.frequencyPlanId());
    TestDevice dev = fx.register(newOtaaDevice(app, version), region.frequencyPlanId(), null);
    EventStream events = fx.subscribe(List.of(gw.id()), List.of(app));

    Radio up = region.uplink(0);
    gw.uplink(dev.joinRequest(), up, -60, 7.5);
    dev.acceptJoin(gw.expectDownlink(Timeouts.DOWNLINK).data().toArray());
    DevNonce used = dev.lastDevNonce();
    events.expectEvent("as.up.join.forward", "first join of " + dev.deviceId(), device(dev.deviceId()));

    // Later than the network server's deduplication cooldown: a replay, not a late copy.
    Thread.sleep(1_500);
    gw.uplink(dev.joinRequestWith(used), up, -60, 7.5);
    JsonNode drop = events.expectEvent("ns.up.join.drop", "replayed DevNonce of " + dev.deviceId(),
        device(dev.deviceId()));
    // 1.0.x: a DevNonce used before; 1.1: a DevNonce not above the last one (a counter)
    assertThat(drop.path("data").path("name").asText()).as("drop reason: %s", drop.path("data"))
        .isIn("dev_nonce_reused", version.is1_1() ? "dev_nonce_too_small" : "dev_nonce_reused");
    events.expectEvent("js.join.reject", "replayed DevNonce of " + dev.deviceId(), device(dev.deviceId()));
    assertThat(events.matching(device(dev.deviceId()).and(named("js.join.accept")))).hasSize(1);
    assertThat(gw.awaitDownlink(Timeouts.QUIET)).as("no second join-accept").isEmpty();
  }

  @Test
  void unknownDevEuiIsDroppedWithEventsOnTheGatewayStreamOnly() {
    Region region = Region.EU868;
    String app = fx.createApplication();
    TestGateway gw = fx.createGateway(region.frequencyPlanId());
    // Registered nowhere: same application name only in the device's own view.
    TestDevice stranger = newOtaaDevice(app, MacVersion.V1_0_3);
    EventStream gatewayEvents = fx.subscribe(List.of(gw.id()), List.of());
    EventStream appEvents = fx.subscribe(List.of(), List.of(app));

    gw.uplink(stranger.joinRequest(), region.uplink(0), -60, 7.5);

    String eui = stranger.devEui().toString();
    JsonNode receive = gatewayEvents.expectEvent("gs.up.receive", "join-request of " + eui,
        e -> e.path("data").path("message").path("payload").path("join_request_payload").path("dev_eui")
            .asText().equals(eui));
    String uplinkCid = Events.correlationId(receive, "gs:uplink").orElseThrow();
    gatewayEvents.expectEvent("gs.up.forward", "the join-request of " + eui, Events.correlatedWith(uplinkCid));
    // The network server counts the drop; it has no device to report it on.
    fx.awaitMetric("ns_uplink_dropped_total", "reason=\"unknown_device\"");
    assertThat(gw.awaitDownlink(Timeouts.QUIET)).as("no join-accept").isEmpty();
    assertThat(gatewayEvents.matching(Events.correlatedWith(uplinkCid)))
        .allSatisfy(e -> assertThat(e.path("identifiers").path(0).has("gateway_ids"))
            .as("%s is a gateway event", e.path("name").asText()).isTrue());
    assertThat(appEvents.matching(e -> !e.path("name").asText().startsWith("application.")
        && !e.path("name").asText().startsWith("events.")))
        .as("nothing on the application's stream").isEmpty();
  }
}
