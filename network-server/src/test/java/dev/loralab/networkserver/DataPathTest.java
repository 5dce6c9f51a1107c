package dev.loralab.networkserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.Class;
import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.DownlinkQueueRequest;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACState;
import dev.loralab.api.v3.ErrorDetails;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.api.v3.PowerState;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.GpsTime;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.FCtrl;
import dev.loralab.lorawan.frame.MType;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.lorawan.mac.MacCommandCodec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataPathTest {

  static final AesKey NWK = AesKey.parse("44024241ED4CE9A68C6A8BC055233FD3");
  static final AesKey APP = AesKey.parse("EC925802AE430CA77FD3DD73CB2CC588");
  static final AesKey F11 = AesKey.parse("000102030405060708090A0B0C0D0E0F");
  static final AesKey S11 = AesKey.parse("101112131415161718191A1B1C1D1E1F");
  static final AesKey E11 = AesKey.parse("202122232425262728292A2B2C2D2E2F");

  static TestDevice abp10(Harness h, String addr) {
    TestDevice d = new TestDevice("dev-" + addr, "00000000000000" + addr.substring(6), false);
    h.store.put(d.abp(addr, NWK, NWK, NWK, APP));
    return d;
  }

  static TestDevice abp11(Harness h, String addr) {
    TestDevice d = new TestDevice("dev-" + addr, "00000000000000" + addr.substring(6), true);
    h.store.put(d.abp(addr, F11, S11, E11, APP));
    return d;
  }

  /** Sends one uplink heard by one gateway and waits until it is processed or dropped. */
  static void send(Harness h, byte[] raw, String gw, float snr) throws Exception {
    long before = h.bus.count("ns.up.data.process") + h.bus.count("ns.up.data.drop");
    h.ns.handleUplink(TestDevice.copy(raw, gw, snr, -60, "U" + before)).get();
    if (h.timers != null) {
      h.closeDeduplicationWindows();
    }
    Fakes.await("uplink handled", () -> h.bus.count("ns.up.data.process")
        + h.bus.count("ns.up.data.drop") > before);
  }

  /** Marks the device's status as known so that no DevStatusReq is added. */
  static void statusKnown(Harness h, TestDevice d) {
    h.store.update(d.ids, e -> e.toBuilder().setLastDevStatusReceivedAt(
        com.google.protobuf.Timestamp.newBuilder().setSeconds(1)).build(), false);
  }

  /** Waits until {@code n} uplinks were forwarded: the event published and the AS called. */
  static void awaitForwarded(Harness h, int n) {
    Fakes.await(n + " forwarded", () -> h.bus.count("ns.up.data.forward") >= n
        && h.as.ups.stream().filter(ApplicationUp::hasUplinkMessage).count() >= n);
  }

  static DownlinkMessage awaitDownlink(Harness h, int index) {
    Fakes.await("downlink " + index, () -> h.gs.scheduled.size() > index);
    return h.gs.scheduled.get(index);
  }

  static long fullFCnt(DownlinkMessage d) {
    return d.getPayload().getMacPayload().getFullFCnt() & 0xFFFFFFFFL;
  }

  @Test
  void lorawan103UplinkIsAcceptedAndForwardedEncrypted() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = abp10(h, "26011BDA");
      statusKnown(h, d);
      byte[] raw = d.uplink(0, false, 1, new byte[] {1, 2, 3}, null, false, false);
      send(h, raw, "gw1", 5);
      // ns.up.data.forward follows ns.up.data.process on the device's lane: wait for it too
      awaitForwarded(h, 1);
      assertThat(h.bus.names()).containsExactly("ns.up.data.receive", "ns.up.data.process",
          "ns.up.data.forward");
      ApplicationUp up = h.as.ups.get(0);
      assertThat(up.getUplinkMessage().getFPort()).isEqualTo(1);
      // still encrypted with the AppSKey: the AS decrypts
      assertThat(up.getUplinkMessage().getFrmPayload().toByteArray()).isEqualTo(
          PayloadCipher.frmPayload(APP, true, d.devAddr, 0, new byte[] {1, 2, 3}));
      assertThat(h.device(d).getSession().getLastFCntUp()).isZero();
      assertThat(h.gs.scheduled).isEmpty();
    }
  }

  @Test
  void lorawan11UplinkWithEncryptedFOptsIsAnsweredWithEncryptedFOpts() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = abp11(h, "26011BDB");
      statusKnown(h, d);
      byte[] mac = MacCommandCodec.encode(List.of(new MacCommand.LinkCheckReq()));
      send(h, d.uplink(3, false, 2, new byte[] {9}, mac, false, false), "gw1", 10);
      awaitForwarded(h, 1);
      assertThat(h.bus.names()).containsSubsequence("ns.up.data.receive",
          "ns.mac.link_check.request", "ns.mac.link_check.answer", "ns.up.data.process",
          "ns.up.data.forward");
      DownlinkMessage down = awaitDownlink(h, 0);
      long fCnt = fullFCnt(down);
      DataFrame f = d.downlink(down.getRawPayload().toByteArray(), fCnt, 3);
      // MAC-only downlink: FPort 0, encrypted with NwkSEncKey
      List<MacCommand> cmds = MacCommandCodec.decode(d.downlinkMac(f, fCnt), false);
      assertThat(cmds).hasSize(1);
      MacCommand.LinkCheckAns ans = (MacCommand.LinkCheckAns) cmds.get(0);
      assertThat(ans.gwCnt()).isEqualTo(1);
      assertThat(ans.margin()).isEqualTo(17); // SNR 10 dB - (-7.5 dB) at SF7
    }
  }

  @Test
  void lorawan11FOptsRoundTripWithApplicationDownlink() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = abp11(h, "26011BDC");
      statusKnown(h, d);
      send(h, d.uplink(0, false, 1, new byte[] {1}, null, false, false), "gw1", 10);
      h.ns.downlinkQueuePush(DownlinkQueueRequest.newBuilder().setEndDeviceIds(d.ids)
          .addDownlinks(ApplicationDownlink.newBuilder().setFPort(5).setFCnt(0)
              .setFrmPayload(ByteString.copyFrom(new byte[] {0x55}))).build()).get();
      byte[] mac = MacCommandCodec.encode(List.of(new MacCommand.DeviceTimeReq()));
      send(h, d.uplink(1, false, 1, new byte[] {2}, mac, false, false), "gw1", 10);
      DownlinkMessage down = awaitDownlink(h, 0);
      long fCnt = fullFCnt(down);
      DataFrame f = d.downlink(down.getRawPayload().toByteArray(), fCnt, 1);
      assertThat(f.fPort().getAsInt()).isEqualTo(5);
      assertThat(f.fHdr().fOpts().length()).isEqualTo(6);
      // FOpts are encrypted with the AFCntDown variant (1.1 errata); decrypting gives the answer
      List<MacCommand> cmds = MacCommandCodec.decode(d.downlinkMac(f, fCnt), false);
      MacCommand.DeviceTimeAns t = (MacCommand.DeviceTimeAns) cmds.get(0);
      assertThat(t.gpsSeconds()).isBetween(GpsTime.fromUtc(java.time.Instant.now()) - 60,
          GpsTime.fromUtc(java.time.Instant.now()) + 60);
      assertThat(f.fHdr().fOpts().toArray()).isNotEqualTo(MacCommandCodec.encode(cmds));
    }
  }

  @Test
  void theAdrHistoryKeepsTheSecondOfEachUplinkAndLastSeenAtTheExactTime() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = abp10(h, "26011BDB");
      statusKnown(h, d);
      long second = Instant.now().getEpochSecond();
      int[] nanos = {250_000_000, 750_000_000};
      for (int f = 0; f < nanos.length; f++) {
        byte[] raw = d.uplink(f, false, 1, new byte[] {(byte) f}, null, false, false);
        long before = h.bus.count("ns.up.data.process");
        h.ns.handleUplink(TestDevice.copy(raw, "gw1", 5, -60, "T" + f).toBuilder()
            .setReceivedAt(Timestamp.newBuilder().setSeconds(second).setNanos(nanos[f]))
            .build()).get();
        Fakes.await("uplink " + f, () -> h.bus.count("ns.up.data.process") > before);
      }
      EndDevice dev = h.device(d);
      assertThat(dev.getMacState().getRecentUplinksList())
          .extracting(MACState.UplinkQuality::getFCnt, u -> u.getReceivedAt())
          .containsExactly(
              tuple(0, Timestamp.newBuilder().setSeconds(second).build()),
              tuple(1, Timestamp.newBuilder().setSeconds(second).build()));
      assertThat(dev.getLastSeenAt())
          .isEqualTo(Timestamp.newBuilder().setSeconds(second).setNanos(nanos[1]).build());
    }
  }

  @Test
  void replayIsDroppedAsFCntTooLow() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = abp10(h, "26011BDD");
      statusKnown(h, d);
      send(h, d.uplink(5, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      send(h, d.uplink(6, false, 1, new byte[] {2}, null, false, false), "gw1", 5);
      // an old frame (FCnt 5) again, new bytes so that deduplication does not catch it
      send(h, d.uplink(5, false, 1, new byte[] {3}, null, false, false), "gw1", 5);
      ErrorDetails err = h.bus.first("ns.up.data.drop").dataAs(ErrorDetails.class);
      assertThat(err.getMessageFormat()).contains("FCnt too low");
      assertThat(h.device(d).getSession().getLastFCntUp()).isEqualTo(6);
    }
  }

  @Test
  void gapOverMaxFCntGapIsDropped() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = abp10(h, "26011BDE");
      statusKnown(h, d);
      send(h, d.uplink(1, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      send(h, d.uplink(1 + 16384 + 2, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      ErrorDetails err = h.bus.first("ns.up.data.drop").dataAs(ErrorDetails.class);
      assertThat(err.getMessageFormat()).contains("FCnt gap too large");
    }
  }

  @Test
  void wrongKeyWithOneCandidateIsDroppedAsMicMismatch() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = abp10(h, "26011BDF");
      d.fNwkSIntKey = APP; // the device uses another key
      send(h, d.uplink(1, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      assertThat(h.bus.first("ns.up.data.drop").dataAs(ErrorDetails.class).getMessageFormat())
          .contains("MIC mismatch");
    }
  }

  @Test
  void threeGatewaysGiveOneProcessEventWithThreeRxMetadataAndLateCopyIsDropped()
      throws Exception {
    // virtual timers: the three copies fall in the window and the fourth in the cooldown, however
    // slowly this thread runs
    try (Harness h = Harness.withManualTimers()) {
      TestDevice d = abp10(h, "26011BE0");
      statusKnown(h, d);
      byte[] raw = d.uplink(1, false, 1, new byte[] {1}, null, false, false);
      h.ns.handleUplink(TestDevice.copy(raw, "gw1", 5, -60, "A")).get();
      h.ns.handleUplink(TestDevice.copy(raw, "gw2", 8, -50, "B")).get();
      h.ns.handleUplink(TestDevice.copy(raw, "gw3", 2, -70, "C")).get();
      h.closeDeduplicationWindows();
      Fakes.await("processed", () -> h.bus.has("ns.up.data.process"));
      UplinkMessage up = h.bus.first("ns.up.data.process").dataAs(UplinkMessage.class);
      assertThat(up.getRxMetadataCount()).isEqualTo(3);
      assertThat(up.getCorrelationIdsList()).contains("gs:uplink:A", "gs:uplink:B",
          "gs:uplink:C");
      h.ns.handleUplink(TestDevice.copy(raw, "gw4", 1, -90, "D")).get();
      assertThat(h.ns.lateDuplicates()).isEqualTo(1);
      assertThat(h.registry.get("ns_uplink_duplicates_total").counter().count()).isEqualTo(1);
      assertThat(h.bus.count("ns.up.data.process")).isEqualTo(1);
      assertThat(h.bus.count("ns.up.data.receive")).isEqualTo(1);
    }
  }

  @Test
  void confirmedUplinkIsAcknowledgedInRx1ThroughTheBestGateway() throws Exception {
    try (Harness h = Harness.withManualTimers()) {
      TestDevice d = abp10(h, "26011BE1");
      statusKnown(h, d);
      byte[] raw = d.uplink(4, true, 1, new byte[] {1}, null, false, false);
      h.ns.handleUplink(TestDevice.copy(raw, "weak", -5, -110, "A")).get();
      h.ns.handleUplink(TestDevice.copy(raw, "strong", 9, -40, "B")).get();
      h.closeDeduplicationWindows();
      DownlinkMessage down = awaitDownlink(h, 0);
      DataFrame f = d.downlink(down.getRawPayload().toByteArray(), fullFCnt(down), 4);
      assertThat(f.fHdr().fCtrl().ack()).isTrue();
      assertThat(f.mType()).isEqualTo(MType.UNCONFIRMED_DATA_DOWN);
      assertThat(down.getRequest().getDownlinkPaths(0).getUplinkToken().toStringUtf8())
          .isEqualTo("token-strong");
      assertThat(down.getRequest().getDownlinkPathsCount()).isEqualTo(2);
      assertThat(down.getRequest().getRx1Frequency()).isEqualTo(TestDevice.FREQUENCY);
      assertThat(down.getRequest().getRx1DataRate().getLora().getSpreadingFactor()).isEqualTo(7);
      assertThat(down.getRequest().getRx1Delay()).isEqualTo(1);
      Fakes.await("scheduled", () -> h.bus.has("ns.down.data.schedule.success"));
      assertThat(h.bus.names()).containsSubsequence("ns.up.data.process",
          "ns.down.data.schedule.attempt", "ns.down.data.schedule.success");
    }
  }

  @Test
  void frameCounterIsStoredDurablyBeforeTheDownlinkIsScheduled() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = abp10(h, "26011BE2");
      statusKnown(h, d);
      h.order.clear();
      send(h, d.uplink(1, true, 1, new byte[] {1}, null, false, false), "gw1", 5);
      awaitDownlink(h, 0);
      int schedule = h.order.indexOf("schedule");
      assertThat(schedule).isPositive();
      assertThat(h.order.subList(0, schedule)).contains("update:true");
      var last = h.store.updates().stream().filter(u -> u.durable()).reduce((a, b) -> b).get();
      assertThat(h.order.lastIndexOf("update:true")).isLessThan(schedule);
      assertThat(last.result().getMacState().hasLastDownlinkAt()).isTrue();
    }
  }

  @Test
  void queuedApplicationDownlinkGoesOutInRx1WithFPendingWhenMoreIsQueued() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = abp10(h, "26011BE3");
      statusKnown(h, d);
      send(h, d.uplink(1, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      h.ns.downlinkQueuePush(DownlinkQueueRequest.newBuilder().setEndDeviceIds(d.ids)
          .addDownlinks(ApplicationDownlink.newBuilder().setFPort(3).setFCnt(0)
              .setFrmPayload(ByteString.copyFrom(new byte[] {1, 2})))
          .addDownlinks(ApplicationDownlink.newBuilder().setFPort(3).setFCnt(1)
              .setFrmPayload(ByteString.copyFrom(new byte[] {3, 4}))).build()).get();
      assertThat(h.ns.downlinkQueueList(d.ids).get().getDownlinksCount()).isEqualTo(2);
      send(h, d.uplink(2, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      DownlinkMessage down = awaitDownlink(h, 0);
      DataFrame f = d.downlink(down.getRawPayload().toByteArray(), 0, 2);
      assertThat(f.fPort().getAsInt()).isEqualTo(3);
      assertThat(f.frmPayload().toArray()).containsExactly(1, 2);
      assertThat(((FCtrl.Downlink) f.fHdr().fCtrl()).fPending()).isTrue();
      Fakes.await("sent", () -> h.as.ups.stream().anyMatch(ApplicationUp::hasDownlinkSent));
      assertThat(h.ns.downlinkQueueList(d.ids).get().getDownlinksCount()).isEqualTo(1);
      send(h, d.uplink(3, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      DownlinkMessage second = awaitDownlink(h, 1);
      DataFrame f2 = d.downlink(second.getRawPayload().toByteArray(), 1, 3);
      assertThat(((FCtrl.Downlink) f2.fHdr().fCtrl()).fPending()).isFalse();
    }
  }

  @Test
  void confirmedDownlinkIsTrackedRetransmittedAndAcknowledged() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = abp10(h, "26011BE4");
      statusKnown(h, d);
      send(h, d.uplink(1, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      h.ns.downlinkQueuePush(DownlinkQueueRequest.newBuilder().setEndDeviceIds(d.ids)
          .addDownlinks(ApplicationDownlink.newBuilder().setFPort(3).setFCnt(0).setConfirmed(true)
              .setFrmPayload(ByteString.copyFrom(new byte[] {7}))).build()).get();
      send(h, d.uplink(2, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      DataFrame first = d.downlink(awaitDownlink(h, 0).getRawPayload().toByteArray(), 0, 2);
      assertThat(first.mType()).isEqualTo(MType.CONFIRMED_DATA_DOWN);
      // no ACK: the same downlink goes out again
      send(h, d.uplink(3, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      DataFrame retry = d.downlink(awaitDownlink(h, 1).getRawPayload().toByteArray(), 0, 3);
      assertThat(retry.mType()).isEqualTo(MType.CONFIRMED_DATA_DOWN);
      assertThat(retry.frmPayload()).isEqualTo(first.frmPayload());
      // ACK: reported to the AS
      send(h, d.uplink(4, false, 1, new byte[] {1}, null, false, true), "gw1", 5);
      Fakes.await("ack", () -> h.as.ups.stream().anyMatch(ApplicationUp::hasDownlinkAck));
      assertThat(h.device(d).getMacState().hasPendingApplicationDownlink()).isFalse();
    }
  }

  @Test
  void classCDownlinkGoesOutOnRx2ThroughTheLastGatewayWithoutUplink() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = abp10(h, "26011BE5");
      h.store.update(d.ids, e -> e.toBuilder().setSupportsClassC(true).build(), false);
      statusKnown(h, d);
      send(h, d.uplink(1, false, 1, new byte[] {1}, null, false, false), "gw7", 5);
      assertThat(h.device(d).getMacState().getDeviceClass()).isEqualTo(Class.CLASS_C);
      int before = h.gs.scheduled.size();
      h.ns.downlinkQueuePush(DownlinkQueueRequest.newBuilder().setEndDeviceIds(d.ids)
          .addDownlinks(ApplicationDownlink.newBuilder().setFPort(3).setFCnt(0)
              .setFrmPayload(ByteString.copyFrom(new byte[] {1}))).build()).get();
      DownlinkMessage down = awaitDownlink(h, before);
      assertThat(down.getRequest().getClass_()).isEqualTo(Class.CLASS_C);
      assertThat(down.getRequest().getDownlinkPaths(0).getFixed().getGatewayIds()
          .getGatewayId()).isEqualTo("gw7");
      assertThat(down.getRequest().getRx2Frequency()).isEqualTo(869_525_000L);
      assertThat(down.getRequest().getRx2DataRate().getLora().getSpreadingFactor()).isEqualTo(12);
      d.downlink(down.getRawPayload().toByteArray(), 0, 0);
    }
  }

  @Test
  void scheduleFailureEmitsFailAndKeepsTheApplicationDownlinkQueued() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = abp10(h, "26011BE6");
      statusKnown(h, d);
      send(h, d.uplink(1, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      h.ns.downlinkQueuePush(DownlinkQueueRequest.newBuilder().setEndDeviceIds(d.ids)
          .addDownlinks(ApplicationDownlink.newBuilder().setFPort(3).setFCnt(0)
              .setFrmPayload(ByteString.copyFrom(new byte[] {1}))).build()).get();
      h.gs.refuse = dev.loralab.api.ApiException.failedPrecondition("too late");
      send(h, d.uplink(2, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      Fakes.await("fail", () -> h.bus.has("ns.down.data.schedule.fail"));
      Fakes.await("requeued", () -> h.device(d).getSession()
          .getQueuedApplicationDownlinksCount() == 1);
      assertThat(h.bus.first("ns.down.data.schedule.fail").dataAs(ErrorDetails.class)
          .getMessageFormat()).contains("too late");
    }
  }

  @Test
  void linkCheckAndDeviceTimeAreAnswered() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = abp10(h, "26011BE7");
      statusKnown(h, d);
      byte[] mac = MacCommandCodec.encode(List.of(new MacCommand.LinkCheckReq(),
          new MacCommand.DeviceTimeReq()));
      send(h, d.uplink(1, false, 1, new byte[] {1}, mac, false, false), "gw1", 0);
      DownlinkMessage down = awaitDownlink(h, 0);
      DataFrame f = d.downlink(down.getRawPayload().toByteArray(), fullFCnt(down), 1);
      List<MacCommand> cmds = MacCommandCodec.decode(d.downlinkMac(f, fullFCnt(down)), false);
      assertThat(cmds).hasSize(2);
      assertThat(cmds.get(0)).isEqualTo(new MacCommand.LinkCheckAns(7, 1));
      assertThat(cmds.get(1)).isInstanceOf(MacCommand.DeviceTimeAns.class);
      assertThat(h.bus.names()).contains("ns.mac.link_check.answer", "ns.mac.device_time.answer");
    }
  }

  @Test
  void devStatusIsRequestedAndTheAnswerApplied() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = abp10(h, "26011BE8");
      send(h, d.uplink(1, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      DownlinkMessage down = awaitDownlink(h, 0);
      DataFrame f = d.downlink(down.getRawPayload().toByteArray(), fullFCnt(down), 1);
      assertThat(MacCommandCodec.decode(d.downlinkMac(f, fullFCnt(down)), false))
          .containsExactly(new MacCommand.DevStatusReq());
      assertThat(h.bus.has("ns.mac.dev_status.request")).isTrue();
      byte[] ans = MacCommandCodec.encode(List.of(new MacCommand.DevStatusAns(128, 12)));
      send(h, d.uplink(2, false, 1, new byte[] {1}, ans, false, false), "gw1", 5);
      EndDevice e = h.device(d);
      assertThat(e.getPowerState()).isEqualTo(PowerState.POWER_BATTERY);
      assertThat(e.getBatteryPercentage()).isBetween(0.49f, 0.51f);
      assertThat(e.getDownlinkMargin()).isEqualTo(12);
      assertThat(e.hasLastDevStatusReceivedAt()).isTrue();
      assertThat(h.bus.first("ns.mac.dev_status.answer").dataAs(MACCommand.DevStatusAns.class)
          .getBattery()).isEqualTo(128);
    }
  }

  @Test
  void theStatusCountStartsAtTheFirstUplinkSeen() throws Exception {
    // A device registered as having reported its status, first heard at FCnt 5000 (moved from
    // another server): not asked at once for being 5000 uplinks past counter 0, but within its
    // next 200 uplinks (statusCountPeriodicity), at its phase.
    try (Harness h = new Harness()) {
      TestDevice d = abp10(h, "26011BF0");
      statusKnown(h, d);
      send(h, d.uplink(5000, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
      assertThat(h.bus.has("ns.mac.dev_status.request")).isFalse();
      assertThat(h.device(d).getMacState().getLastDevStatusFCntUp()).isEqualTo(5000);
      long asked = -1;
      for (long f = 5001; f <= 5200 && asked < 0; f++) {
        send(h, d.uplink(f, false, 1, new byte[] {1}, null, false, false), "gw1", 5);
        if (h.bus.has("ns.mac.dev_status.request")) {
          asked = f;
        }
      }
      assertThat(asked).as("asked within 200 uplinks").isBetween(5001L, 5200L);
      assertThat(h.device(d).getMacState().getLastDevStatusFCntUp()).isEqualTo((int) asked);
    }
  }

  @Test
  void strongUplinksLeadToLinkAdrReqAndTheAnswerIsApplied() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = abp10(h, "26011BE9");
      statusKnown(h, d);
      // SF7 (DR5) already: with SNR 20 the margin allows lowering the TX power
      for (int i = 1; i <= 20; i++) {
        send(h, d.uplink(i, false, 1, new byte[] {1}, null, true, false), "gw1", 20);
      }
      DownlinkMessage down = awaitDownlink(h, 0);
      DataFrame f = d.downlink(down.getRawPayload().toByteArray(), fullFCnt(down), 20);
      List<MacCommand> cmds = MacCommandCodec.decode(d.downlinkMac(f, fullFCnt(down)), false);
      MacCommand.LinkADRReq req = (MacCommand.LinkADRReq) cmds.get(0);
      // margin 20 - (-7.5) - 15 = 12.5 dB: 4 steps, DR5 is the maximum, so TXPower 4
      assertThat(req.dataRate()).isEqualTo(5);
      assertThat(req.txPower()).isEqualTo(4);
      assertThat(req.nbTrans()).isEqualTo(1);
      assertThat(req.chMask()).isEqualTo(0xFF);
      assertThat(h.bus.has("ns.mac.link_adr.request")).isTrue();
      byte[] ans = MacCommandCodec.encode(List.of(new MacCommand.LinkADRAns(true, true, true)));
      send(h, d.uplink(21, false, 1, new byte[] {1}, ans, true, false), "gw1", 20);
      var params = h.device(d).getMacState().getCurrentParameters();
      assertThat(params.getAdrTxPowerIndex()).isEqualTo(4);
      assertThat(params.getAdrDataRateIndex()).isEqualTo(5);
      assertThat(h.bus.has("ns.mac.link_adr.answer.accept")).isTrue();
    }
  }
}
