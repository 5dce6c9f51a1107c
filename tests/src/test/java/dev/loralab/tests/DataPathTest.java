package dev.loralab.tests;

import static dev.loralab.tests.support.Events.device;
import static dev.loralab.tests.support.Events.gateway;
import static dev.loralab.tests.support.Events.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.gatewayserver.udp.Txpk;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.tests.support.Air;
import dev.loralab.tests.support.EventStream;
import dev.loralab.tests.support.HttpApi;
import dev.loralab.tests.support.Radio;
import dev.loralab.tests.support.ReceiveWindows;
import dev.loralab.tests.support.Region;
import dev.loralab.tests.support.StackFixture;
import dev.loralab.tests.support.TestDevice;
import dev.loralab.tests.support.TestDevice.Uplink;
import dev.loralab.tests.support.TestGateway;
import dev.loralab.tests.support.Timeouts;
import dev.loralab.tests.support.WebhookReceiver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * Issue 8: the data path end to end over loopback UDP and HTTP, on one stack shared by the tests
 * of this class (EU868); every test has its own gateway(s), application and device.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataPathTest {

  private static final Region REGION = Region.EU868;
  private static final long DEVICE_EUI_PREFIX = 0x70B3D57ED0000000L;
  private static final int ABP_RX1_DELAY = 2;

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

  enum Activation { OTAA, ABP }

  /** A device of the given kind, registered in a new application, with a gateway and a stream. */
  private Air newAir(Activation activation, MacVersion version, ObjectNode extra) {
    return newAir(REGION, activation, version, extra);
  }

  private Air newAir(Region region, Activation activation, MacVersion version, ObjectNode extra) {
    String app = fx.createApplication();
    TestGateway gw = fx.createGateway(region.frequencyPlanId());
    TestDevice dev = newDevice(app, activation, version);
    fx.register(dev, region.frequencyPlanId(), extra);
    EventStream events = fx.subscribe(List.of(gw.id()), List.of(app), List.of(dev));
    Air air = new Air(dev, gw, events, region);
    if (activation == Activation.OTAA) {
      air.join();
    }
    return air;
  }

  private TestDevice newDevice(String app, Activation activation, MacVersion version) {
    Eui64 devEui = fx.newEui(DEVICE_EUI_PREFIX);
    if (activation == Activation.OTAA) {
      return TestDevice.otaa(app, fx.uniqueId("dev"), devEui, new Eui64(0x70B3D57ED0000000L), version,
          fx.newKey(), fx.newKey());
    }
    // NetID 000000 (type 0): DevAddr 0000000x..01FFFFFF
    DevAddr addr = new DevAddr((int) (devEui.value() & 0x01FF_FFFFL));
    // RX1 after 2 s rather than the band's 1 s: room for a loaded machine to schedule downlinks
    return TestDevice.abp(app, fx.uniqueId("dev"), devEui, version, addr, fx.newKey(), fx.newKey(), fx.newKey(),
        fx.newKey()).withRx1Delay(ABP_RX1_DELAY);
  }

  private static String b64(byte... b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static Stream<Arguments> kinds() {
    List<Arguments> l = new ArrayList<>();
    for (Activation a : Activation.values()) {
      for (MacVersion v : List.of(MacVersion.V1_0_3, MacVersion.V1_1)) {
        for (boolean confirmed : List.of(false, true)) {
          l.add(Arguments.of(a, v, confirmed));
        }
      }
    }
    return l.stream();
  }

  @ParameterizedTest(name = "{0} LoRaWAN {1} confirmed={2}")
  @MethodSource("kinds")
  void uplinksReachTheApplication(Activation activation, MacVersion version, boolean confirmed) {
    Air air = newAir(activation, version, null);
    for (int i = 0; i < 2; i++) {
      byte[] payload = {(byte) i, 0x11, 0x22};
      air.send(Uplink.data(10 + i, payload).confirmed(confirmed));
      JsonNode fwd = air.expectForwarded();
      JsonNode msg = fwd.path("data").path("uplink_message");
      assertThat(msg.path("f_port").asInt()).isEqualTo(10 + i);
      assertThat(msg.path("frm_payload").asText()).as("decrypted FRMPayload").isEqualTo(b64(payload));
      assertThat(msg.path("rx_metadata")).hasSize(1);
      assertUplinkEventChain(air, fwd);
      if (confirmed) {
        TestDevice.Downlink d = air.expectClassADownlink();
        assertThat(d.ack()).as("the downlink acknowledges the confirmed uplink").isTrue();
        if (i == 0) {
          // MAC commands in FOpts, encrypted with the NwkSEncKey in 1.1
          assertThat(d.commands(MacCommand.DevStatusReq.class)).as("DevStatusReq in %s", d.macCommands())
              .isNotEmpty();
          if (version.is1_1() && activation == Activation.OTAA) {
            assertThat(d.commands(MacCommand.RekeyConf.class)).as("RekeyConf in %s", d.macCommands()).isNotEmpty();
          }
        }
      }
    }
  }

  /**
   * The events of one uplink, tied by the gateway server's {@code gs:uplink} correlation ID, come
   * in causal order: received, processed and forwarded by the NS, received and forwarded by the AS.
   */
  private static void assertUplinkEventChain(Air air, JsonNode asForward) {
    String uplinkCid = dev.loralab.tests.support.Events.correlationId(asForward, "gs:uplink").orElseThrow(
        () -> new AssertionError("as.up.data.forward without a gs:uplink correlation ID: " + asForward));
    List<String> chain = air.events().matching(dev.loralab.tests.support.Events.correlatedWith(uplinkCid)).stream()
        .map(e -> e.path("name").asText()).toList();
    List<String> expected = List.of("gs.up.receive", "ns.up.data.process", "ns.up.data.forward", "as.up.data.receive",
        "as.up.data.forward");
    assertThat(chain).as("events of %s", uplinkCid).containsAll(expected);
    for (int i = 1; i < expected.size(); i++) {
      assertThat(chain.indexOf(expected.get(i - 1))).as("%s before %s in %s", expected.get(i - 1), expected.get(i), chain)
          .isLessThan(chain.indexOf(expected.get(i)));
    }
  }

  @ParameterizedTest(name = "OTAA LoRaWAN {0}")
  @MethodSource("versions")
  void us915ConfirmedUplinksAreAcknowledgedOn500kHzDownlinkChannels(MacVersion version) {
    Air air = newAir(Region.US915, Activation.OTAA, version, null);
    for (int i = 0; i < 2; i++) {
      air.send(Uplink.data(1, (byte) i).confirmed(true));
      air.expectForwarded();
      // RX1: 923.3 + 0.6 * (8 mod 8) MHz at DR13 (SF7BW500); RX2: 923.3 MHz DR8 (SF12BW500)
      TestDevice.Downlink d = air.expectClassADownlink();
      assertThat(d.ack()).isTrue();
    }
  }

  @Test
  void abpDeviceWithoutMacSettingsUsesTheBandsOneSecondRx1Delay() {
    String app = fx.createApplication();
    TestGateway gw = fx.createGateway(REGION.frequencyPlanId());
    Eui64 devEui = fx.newEui(DEVICE_EUI_PREFIX);
    TestDevice dev = fx.register(TestDevice.abp(app, fx.uniqueId("dev"), devEui, MacVersion.V1_0_3,
        new DevAddr((int) (devEui.value() & 0x01FF_FFFFL)), fx.newKey(), null, null, fx.newKey()),
        REGION.frequencyPlanId(), null);
    assertThat(dev.rx1DelaySeconds()).isEqualTo(1);
    Air air = new Air(dev, gw, fx.subscribe(List.of(gw.id()), List.of(app), List.of(dev)), REGION);
    air.send(Uplink.data(1, (byte) 0).confirmed(true));
    // RX1 at uplink tmst + 1 s (RECEIVE_DELAY1), else RX2 at + 2 s
    assertThat(air.expectClassADownlink().ack()).isTrue();
  }

  @Test
  void frameHeardByThreeGatewaysIsProcessedOnce() {
    String app = fx.createApplication();
    List<TestGateway> gws = List.of(fx.createGateway(REGION.frequencyPlanId()),
        fx.createGateway(REGION.frequencyPlanId()), fx.createGateway(REGION.frequencyPlanId()));
    TestDevice dev = fx.register(newDevice(app, Activation.ABP, MacVersion.V1_0_3), REGION.frequencyPlanId(), null);
    EventStream events = fx.subscribe(gws.stream().map(TestGateway::id).toList(), List.of(app));

    Radio radio = REGION.uplink(5);
    byte[] frame = dev.uplink(Uplink.data(3, (byte) 0x42).confirmed(true), radio);
    double[] snr = {9.5, 3.0, -4.25};
    long[] tmst = new long[gws.size()];
    for (int i = 0; i < gws.size(); i++) {
      tmst[i] = gws.get(i).uplink(frame, radio, -50 - 20 * i, snr[i]);
    }

    events.expectEvent("as.up.data.forward", "the frame", device(dev.deviceId()));
    List<JsonNode> processed = events.awaitEvents(device(dev.deviceId()).and(named("ns.up.data.process")), 2,
        Timeouts.QUIET);
    assertThat(processed).as("ns.up.data.process events").hasSize(1);
    JsonNode rx = processed.get(0).path("data").path("rx_metadata");
    assertThat(rx).as("rx_metadata").hasSize(3);
    Set<String> gatewayIds = new HashSet<>();
    rx.forEach(m -> gatewayIds.add(m.path("gateway_ids").path("gateway_id").asText()));
    assertThat(gatewayIds).containsExactlyInAnyOrderElementsOf(gws.stream().map(TestGateway::id).toList());
    assertThat(events.matching(device(dev.deviceId()).and(named("as.up.data.forward")))).hasSize(1);

    // The acknowledgement goes out through the gateway that heard the frame best, timed on its
    // own concentrator counter.
    Txpk ack = gws.get(0).expectDownlink(Timeouts.DOWNLINK);
    ReceiveWindows.assertClassA(ack, tmst[0], dev.rx1DelaySeconds(), REGION, radio);
    assertThat(dev.openDownlink(ack.data().toArray(), 0).ack()).isTrue();
    assertThat(gws.get(1).pollDownlink()).as("PULL_RESP on the second gateway").isEmpty();
    assertThat(gws.get(2).pollDownlink()).as("PULL_RESP on the third gateway").isEmpty();
  }

  @Test
  void replayedFrameIsDropped() throws InterruptedException {
    Air air = newAir(Activation.ABP, MacVersion.V1_0_3, null);
    TestDevice dev = air.dev();
    Radio radio = REGION.uplink(5);
    byte[] first = dev.uplink(Uplink.data(1, (byte) 1), radio);
    air.gateway().uplink(first, radio, -60, 7);
    air.events().expectEvent("as.up.data.forward", "FCnt 0", device(dev.deviceId()));
    air.send(Uplink.data(1, (byte) 2));
    air.expectForwarded();

    // Later than the deduplication cooldown, so this is a replay, not a late copy.
    Thread.sleep(1_500);
    air.gateway().uplink(first, radio, -60, 7);
    JsonNode drop = air.events().expectEvent("ns.up.data.drop", "the replayed FCnt 0",
        device(dev.deviceId()).or(gateway(air.gateway().id())));
    assertThat(drop.path("data").toString()).as("drop reason").isNotEmpty();
    assertThat(air.events().matching(device(dev.deviceId()).and(named("as.up.data.forward"))))
        .as("forwarded uplinks").hasSize(2);
  }

  @ParameterizedTest(name = "OTAA LoRaWAN {0}")
  @MethodSource("versions")
  void queuedDownlinkArrivesInRx1(MacVersion version) {
    Air air = newAir(Activation.OTAA, version, null);
    // Session confirmed (1.1 RekeyInd) and MAC requests of the first downlink answered.
    air.send(Uplink.data(1, (byte) 0).confirmed(true));
    air.expectClassADownlink();

    TestDevice dev = air.dev();
    byte[] payload = {0x0A, 0x0B, 0x0C, 0x0D};
    pushDownlink(dev, 42, payload, false);
    air.send(Uplink.data(1, (byte) 1));
    TestDevice.Downlink d = air.expectClassADownlink();
    assertThat(air.lastSlot()).as("receive window").isEqualTo(ReceiveWindows.Slot.RX1);
    assertThat(d.fPort()).as("FPort").hasValue(42);
    assertThat(d.payload()).as("decrypted FRMPayload").isEqualTo(payload);
  }

  @ParameterizedTest(name = "ABP LoRaWAN {0}")
  @MethodSource("versions")
  void confirmedDownlinkIsAcknowledgedByTheDevice(MacVersion version) {
    Air air = newAir(Activation.ABP, version, null);
    TestDevice dev = air.dev();
    air.send(Uplink.data(1, (byte) 0).confirmed(true));
    air.expectClassADownlink();

    byte[] payload = {0x55, 0x66};
    pushDownlink(dev, 9, payload, true);
    air.send(Uplink.data(1, (byte) 1));
    TestDevice.Downlink d = air.expectClassADownlink();
    assertThat(d.confirmed()).as("confirmed data down").isTrue();
    assertThat(d.fPort()).hasValue(9);
    assertThat(d.payload()).isEqualTo(payload);

    // The ACK bit (and in 1.1 the ConfFCnt in the uplink MIC) acknowledges it.
    air.send(Uplink.data(1, (byte) 2).ack(true));
    air.expectForwarded();
    air.events().expectEvent("as.down.data.ack.forward", "for " + dev.deviceId(), device(dev.deviceId()));
  }

  static Stream<MacVersion> versions() {
    return Stream.of(MacVersion.V1_0_3, MacVersion.V1_1);
  }

  private void pushDownlink(TestDevice dev, int fPort, byte[] payload, boolean confirmed) {
    ObjectNode body = HttpApi.object();
    ObjectNode d = body.putArray("downlinks").addObject();
    d.put("f_port", fPort).put("frm_payload", b64(payload)).put("confirmed", confirmed);
    fx.api().post("/api/v3/as/applications/" + HttpApi.enc(dev.applicationId()) + "/devices/"
        + HttpApi.enc(dev.deviceId()) + "/down/push", body);
  }

  static Stream<Arguments> classCCases() {
    return Stream.of(Arguments.of(Activation.ABP, MacVersion.V1_0_3), Arguments.of(Activation.OTAA, MacVersion.V1_1));
  }

  @ParameterizedTest(name = "{0} LoRaWAN {1}")
  @MethodSource("classCCases")
  void classCDownlinkGoesOutWithoutAnUplink(Activation activation, MacVersion version) {
    ObjectNode extra = HttpApi.object().put("supports_class_c", true);
    Air air = newAir(activation, version, extra);
    // One uplink so that the network server knows a gateway near the device.
    air.send(Uplink.data(1, (byte) 0).confirmed(true));
    air.expectClassADownlink();

    TestDevice dev = air.dev();
    byte[] payload = {0x43};
    pushDownlink(dev, 7, payload, false);
    long deadline = System.nanoTime() + Timeouts.DOWNLINK.toNanos();
    while (true) {
      Optional<Txpk> t = air.gateway().awaitDownlink(java.time.Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      assertThat(t).as("a class C PULL_RESP; events %s", air.events().summary()).isPresent();
      TestDevice.Downlink d = air.open(t.get());
      if (d.fPort().isPresent() && d.fPort().getAsInt() == 7) {
        assertThat(d.payload()).isEqualTo(payload);
        ReceiveWindows.assertTuned(t.get(), REGION.rx2(), "class C (RX2 settings)");
        break;
      }
    }
  }

  static Stream<Arguments> adrCases() {
    // LoRaWAN 1.0.3 at SF12 (DR0); 1.1 (LinkADRReq in encrypted FOpts) at SF10 (DR2) to keep it short
    return Stream.of(Arguments.of(MacVersion.V1_0_3, 0), Arguments.of(MacVersion.V1_1, 2));
  }

  @ParameterizedTest(name = "ABP LoRaWAN {0} from DR{1}")
  @MethodSource("adrCases")
  void adrAfterTwentyStrongUplinksAndTheAnswerIsApplied(MacVersion version, int dataRate) {
    Air air = newAir(Activation.ABP, version, null);
    TestDevice dev = air.dev();
    Radio slow = REGION.uplink(dataRate);
    // The first uplink is confirmed: its downlink's MAC requests (DevStatusReq) are answered.
    air.send(Uplink.data(1, (byte) 0).confirmed(true).adr(true), slow, 10);
    air.expectClassADownlink();
    // Then unconfirmed uplinks with the ADR bit: a downlink only when the network has something
    // to say, e.g. the LinkADRReq.
    MacCommand.LinkADRReq req = null;
    long answeredFCnt = -1;
    for (int i = 1; req == null && i < 40; i++) {
      air.send(Uplink.data(1, (byte) i).adr(true), slow, 10);
      air.expectProcessed();
      var down = air.pollClassADownlink(java.time.Duration.ofMillis(500));
      if (down.isPresent() && !down.get().getValue().commands(MacCommand.LinkADRReq.class).isEmpty()) {
        List<MacCommand.LinkADRReq> reqs = down.get().getValue().commands(MacCommand.LinkADRReq.class);
        req = reqs.get(reqs.size() - 1);
        answeredFCnt = down.get().getKey();
      }
    }
    assertThat(req).as("LinkADRReq within 40 uplinks; events %s", air.events().summary()).isNotNull();
    assertThat(answeredFCnt + 1).as("uplinks before the LinkADRReq").isGreaterThanOrEqualTo(20);
    assertThat(req.dataRate()).as("a faster data rate than DR%d", dataRate).isGreaterThan(dataRate);

    // The next uplink carries LinkADRAns (all ACK) at the new data rate.
    Radio faster = REGION.uplink(req.dataRate());
    air.send(Uplink.data(1, (byte) 0xFF).adr(true), faster, 10);
    air.events().expectEvent("ns.mac.link_adr.answer.accept", "for " + dev.deviceId(), device(dev.deviceId()));
    // The event is published while the uplink is processed; the registry has the new state
    // once the device's update is stored.
    int expectedDr = req.dataRate();
    JsonNode current = fx.awaitEndDevice(dev.applicationId(), dev.deviceId(), "mac_state",
        d -> d.path("mac_state").path("current_parameters").path("adr_data_rate_index").asInt(0) == expectedDr)
        .path("mac_state").path("current_parameters");
    assertThat(current.path("adr_data_rate_index").asInt(0)).isEqualTo(expectedDr);
  }

  @Test
  void devStatusReqIsAnsweredAndStored() {
    Air air = newAir(Activation.ABP, MacVersion.V1_0_3, null).status(128, 7);
    TestDevice dev = air.dev();
    air.send(Uplink.data(1, (byte) 0).confirmed(true));
    TestDevice.Downlink d = air.expectClassADownlink();
    assertThat(d.commands(MacCommand.DevStatusReq.class)).as("DevStatusReq in the first downlink").isNotEmpty();
    air.send(Uplink.data(1, (byte) 1));
    JsonNode answer = air.events().expectEvent("ns.mac.dev_status.answer", "for " + dev.deviceId(),
        device(dev.deviceId()));
    assertThat(answer.path("data").path("battery").asInt()).isEqualTo(128);
    assertThat(answer.path("data").path("margin").asInt()).isEqualTo(7);
    JsonNode stored = fx.awaitEndDevice(dev.applicationId(), dev.deviceId(),
        "battery_percentage,downlink_margin,last_dev_status_received_at",
        device -> device.has("last_dev_status_received_at"));
    assertThat(stored.path("battery_percentage").asDouble()).isCloseTo(127 / 253.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(stored.path("downlink_margin").asInt()).isEqualTo(7);
    assertThat(stored.has("last_dev_status_received_at")).isTrue();
  }

  private static ObjectNode javaScriptUplinkFormatter(String script) {
    ObjectNode extra = HttpApi.object();
    extra.putObject("formatters").put("up_formatter", "FORMATTER_JAVASCRIPT").put("up_formatter_parameter", script);
    return extra;
  }

  @Test
  void javaScriptDecoderResultLandsInDecodedPayload() {
    Air air = newAir(Activation.ABP, MacVersion.V1_0_3,
        javaScriptUplinkFormatter("function decodeUplink(input){return {data:{b:input.bytes[0]}}}"));
    air.send(Uplink.data(5, (byte) 0x2A, (byte) 0x01));
    JsonNode msg = air.expectForwarded().path("data").path("uplink_message");
    assertThat(msg.path("decoded_payload").path("b").asInt()).as("decoded_payload: %s; events %s", msg,
        air.events().summary()).isEqualTo(42);
  }

  @Test
  void applicationFormatterAppliesToDevicesWithoutTheirOwn() {
    Air air = newAir(Activation.ABP, MacVersion.V1_0_3, null);
    TestDevice dev = air.dev();
    ObjectNode f = HttpApi.object().put("up_formatter", "FORMATTER_JAVASCRIPT")
        .put("up_formatter_parameter", "function decodeUplink(input){return {data:{n:input.bytes.length,port:input.fPort}}}");
    fx.api().put("/api/v3/as/applications/" + HttpApi.enc(dev.applicationId()) + "/formatters", f);
    air.send(Uplink.data(6, (byte) 1, (byte) 2, (byte) 3));
    JsonNode decoded = air.expectForwarded().path("data").path("uplink_message").path("decoded_payload");
    assertThat(decoded.path("n").asInt()).as("decoded_payload %s", decoded).isEqualTo(3);
    assertThat(decoded.path("port").asInt()).isEqualTo(6);
  }

  @Test
  void endlessJavaScriptDecoderIsStoppedAndReported() {
    Air air = newAir(Activation.ABP, MacVersion.V1_0_3,
        javaScriptUplinkFormatter("function decodeUplink(input){while(true){}}"));
    TestDevice dev = air.dev();
    air.send(Uplink.data(5, (byte) 0x2A));
    JsonNode fail = air.events().expectEvent("as.up.data.decode.fail", "for " + dev.deviceId(),
        device(dev.deviceId()));
    assertThat(fail.path("data").toString()).as("reported reason").isNotEmpty();
    JsonNode msg = air.expectForwarded().path("data").path("uplink_message");
    assertThat(msg.has("decoded_payload")).isFalse();
    assertThat(msg.path("frm_payload").asText()).isEqualTo(b64((byte) 0x2A));
    // The stack keeps working: the next uplink is forwarded too.
    air.send(Uplink.data(5, (byte) 0x2B));
    air.expectForwarded();
  }

  @Test
  void webhookReceivesEveryUplink() {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Air air = newAir(Activation.ABP, MacVersion.V1_0_3, null);
      TestDevice dev = air.dev();
      ObjectNode body = HttpApi.object();
      ObjectNode wh = body.putObject("webhook");
      wh.putObject("ids").put("webhook_id", "e2e").putObject("application_ids")
          .put("application_id", dev.applicationId());
      wh.put("base_url", receiver.baseUrl()).put("format", "json");
      wh.putObject("uplink_message").put("path", "/up");
      body.putObject("field_mask").putArray("paths").add("base_url").add("format").add("uplink_message");
      fx.api().put("/api/v3/as/webhooks/" + HttpApi.enc(dev.applicationId()) + "/e2e", body);

      int n = 5;
      for (int i = 0; i < n; i++) {
        air.send(Uplink.data(2, (byte) i));
        air.expectForwarded();
      }
      List<WebhookReceiver.Delivery> ups = receiver.await("/up", n, Timeouts.NETWORK);
      assertThat(ups).as("webhook deliveries").hasSize(n);
      List<Long> fCnts = ups.stream().map(u -> u.body().path("uplink_message").path("f_cnt").asLong(0)).sorted().toList();
      assertThat(fCnts).containsExactly(0L, 1L, 2L, 3L, 4L);
      for (WebhookReceiver.Delivery u : ups) {
        assertThat(u.body().path("end_device_ids").path("device_id").asText()).isEqualTo(dev.deviceId());
      }
    }
  }
}
