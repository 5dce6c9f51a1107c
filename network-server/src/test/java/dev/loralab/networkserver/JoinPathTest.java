package dev.loralab.networkserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.ErrorDetails;
import dev.loralab.api.v3.JoinRequest;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.TxSchedulePriority;
import dev.loralab.events.Event;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.Eui64;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinPathTest {

  static final AesKey APP_KEY = AesKey.parse("2B7E151628AED2A6ABF7158809CF4F3C");
  static final String DEV_EUI = "70B3D57ED0050EAD";

  @Test
  void joinEmitsTheSeedsEventsInOrderWithCorrelationIds() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice dev = new TestDevice("dev2", DEV_EUI, false);
      h.store.put(dev.otaa());
      h.js.appKeys.put(Eui64.parse(DEV_EUI), APP_KEY);

      h.ns.handleUplink(TestDevice.copy(dev.joinRequest(APP_KEY, 0xAF7C), "gw2", 7, -40,
          "01G76SF01BNW5SKRAND31Z0MGB")).get();
      Fakes.await("join-accept forward", () -> h.bus.has("ns.up.join.accept.forward"));

      assertThat(h.bus.names()).containsExactly(
          "ns.up.join.receive",
          "ns.up.join.cluster.attempt",
          "ns.up.join.cluster.success",
          "ns.up.join.process",
          "ns.down.join.schedule.attempt",
          "ns.down.join.schedule.success",
          "ns.up.join.accept.forward");
      Event receive = h.bus.first("ns.up.join.receive");
      List<String> ids = receive.correlationIds().asList();
      assertThat(ids).anyMatch(i -> i.equals("gs:uplink:01G76SF01BNW5SKRAND31Z0MGB"));
      assertThat(ids).anyMatch(i -> i.startsWith("ns:uplink:"));
      assertThat(ids).anyMatch(i -> i.startsWith("rpc:/ttn.lorawan.v3.GsNs/HandleUplink:"));
      var deviceIds = receive.identifiers().get(0).getDeviceIds();
      assertThat(deviceIds.getDevEui()).isEqualTo(DEV_EUI);
      assertThat(deviceIds.getJoinEui()).isEqualTo("0000000000000000");
      assertThat(deviceIds.getDevAddr()).hasSize(8);

      JoinRequest jr = h.bus.first("ns.up.join.cluster.attempt").dataAs(JoinRequest.class);
      assertThat(jr.getSelectedMacVersion()).isEqualTo(MACVersion.MAC_V1_0_3);
      assertThat(jr.getNetId().toByteArray()).containsExactly(0, 0, 0);
      assertThat(jr.getDownlinkSettings().getRx2Dr()).isEqualTo(3);
      assertThat(jr.getRxDelay()).isEqualTo(5);
      assertThat(jr.getCfList().getFreqList())
          .containsExactly(8671000, 8673000, 8675000, 8677000, 8679000);
      assertThat(jr.getPayload().getJoinRequestPayload().getDevNonce()).isEqualTo("AF7C");

      DownlinkMessage down = h.bus.first("ns.down.join.schedule.attempt")
          .dataAs(DownlinkMessage.class);
      assertThat(down.getPayload().getJoinAcceptPayload().getDevAddr())
          .isEqualTo(deviceIds.getDevAddr());
      assertThat(down.getRequest().getRx1Delay()).isEqualTo(5);
      assertThat(down.getRequest().getRx1Frequency()).isEqualTo(868_100_000L);
      assertThat(down.getRequest().getRx2Frequency()).isEqualTo(869_525_000L);
      assertThat(down.getRequest().getRx2DataRate().getLora().getSpreadingFactor()).isEqualTo(12);
      assertThat(down.getRequest().getPriority()).isEqualTo(TxSchedulePriority.HIGHEST);
      assertThat(down.getRequest().getFrequencyPlanId()).isEqualTo(TestDevice.PLAN);
      assertThat(down.getRequest().getDownlinkPaths(0).getUplinkToken().toStringUtf8())
          .isEqualTo("token-gw2");
      assertThat(down.getCorrelationIdsList()).anyMatch(i -> i.startsWith("ns:downlink:"))
          .anyMatch(i -> i.startsWith("ns:transmission:"));
      assertThat(down.getRawPayload().size()).isEqualTo(33);
      assertThat(h.bus.first("ns.down.join.schedule.attempt").toJson()).doesNotContain("app_s_key")
          .doesNotContain("nwk_s_key");

      // the pending session was stored durably before the join-accept was scheduled
      assertThat(h.order).containsSubsequence("update:true", "schedule");
      EndDevice stored = h.device(dev);
      assertThat(stored.hasPendingSession()).isTrue();
      assertThat(stored.hasSession()).isFalse();
      assertThat(h.as.ups).hasSize(1);
      assertThat(h.as.ups.get(0).getJoinAccept().getPendingSession()).isTrue();
      assertThat(h.bus.first("ns.up.join.accept.forward").toJson()).doesNotContain("app_s_key");
    }
  }

  @Test
  void wrongAppKeyGivesClusterFailAndDropNamingTheMicMismatchAndNoDownlink() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice dev = new TestDevice("dev2", DEV_EUI, false);
      h.store.put(dev.otaa());
      h.js.appKeys.put(Eui64.parse(DEV_EUI), APP_KEY);
      AesKey wrong = AesKey.parse("00000000000000000000000000000001");
      h.ns.handleUplink(TestDevice.copy(dev.joinRequest(wrong, 1), "gw1", 5, -50, "A")).get();
      Fakes.await("join drop", () -> h.bus.has("ns.up.join.drop"));
      assertThat(h.bus.names()).containsExactly("ns.up.join.receive",
          "ns.up.join.cluster.attempt", "ns.up.join.cluster.fail", "ns.up.join.drop");
      ErrorDetails err = h.bus.first("ns.up.join.drop").dataAs(ErrorDetails.class);
      assertThat(err.getMessageFormat()).contains("MIC mismatch");
      // the Join Server's reason is the error name, not the status code's
      ErrorDetails fail = h.bus.first("ns.up.join.cluster.fail").dataAs(ErrorDetails.class);
      assertThat(fail.getName()).isEqualTo("mic_mismatch");
      assertThat(fail.getCode()).isEqualTo(3);
      assertThat(fail.getAttributes().getFieldsOrThrow("reason").getStringValue())
          .isEqualTo("mic_mismatch");
      assertThat(err.getName()).isEqualTo("mic_mismatch");
      assertThat(h.bus.first("ns.up.join.cluster.fail").toJson())
          .contains("\"name\":\"mic_mismatch\"");
      assertThat(h.gs.scheduled).isEmpty();
    }
  }

  @Test
  void replayedDevNonceIsRejected() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice dev = new TestDevice("dev2", DEV_EUI, false);
      h.store.put(dev.otaa());
      h.js.appKeys.put(Eui64.parse(DEV_EUI), APP_KEY);
      byte[] jr = dev.joinRequest(APP_KEY, 7);
      h.ns.handleUplink(TestDevice.copy(jr, "gw1", 5, -50, "A")).get();
      Fakes.await("first join", () -> h.bus.has("ns.up.join.accept.forward"));
      // the same frame again after the cooldown: a fresh server instance has no cooldown memory
      try (Harness h2 = new Harness()) {
        h2.store.put(h.device(dev));
        h2.js.appKeys.putAll(h.js.appKeys);
        h2.js.nonces.putAll(h.js.nonces);
        h2.ns.handleUplink(TestDevice.copy(jr, "gw1", 5, -50, "B")).get();
        Fakes.await("join drop", () -> h2.bus.has("ns.up.join.drop"));
        assertThat(h2.bus.first("ns.up.join.drop").dataAs(ErrorDetails.class).getMessageFormat())
            .contains("DevNonce");
        assertThat(h2.bus.first("ns.up.join.cluster.fail").dataAs(ErrorDetails.class).getName())
            .isEqualTo("dev_nonce_reused");
        assertThat(h2.gs.scheduled).isEmpty();
      }
    }
  }

  @Test
  void unknownDevEuiEmitsNoDeviceEvents() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice dev = new TestDevice("ghost", "0102030405060708", false);
      h.ns.handleUplink(TestDevice.copy(dev.joinRequest(APP_KEY, 1), "gw1", 5, -50, "A")).get();
      Fakes.await("drop counted", () -> h.registry.find("ns_uplink_dropped_total")
          .tag("reason", "unknown_device").counter() != null);
      assertThat(h.bus.events()).isEmpty();
      assertThat(h.gs.scheduled).isEmpty();
    }
  }
}
