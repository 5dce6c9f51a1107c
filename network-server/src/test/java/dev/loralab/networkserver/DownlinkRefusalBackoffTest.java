package dev.loralab.networkserver;

import static dev.loralab.networkserver.DataPathTest.abp10;
import static dev.loralab.networkserver.DeduplicationFlowTest.CONFIG;
import static dev.loralab.networkserver.DeduplicationFlowTest.processed;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.loralab.api.ApiException;
import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.DownlinkQueueRequest;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.lorawan.mac.MacCommandCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The back-off of class A downlinks that carry only MAC requests the Network Server queued itself
 * (here the DevStatusReq every new device gets) after the Gateway Server refused them: the
 * device's next 1, 2, 4, ... uplinks (up to {@code downlinkRefusalBackoffMax}) attempt none,
 * while what the device waits for is attempted on every uplink. Timers and device work run on
 * virtual time, on the test thread.
 */
class DownlinkRefusalBackoffTest {

  static final ApiException BUSY = ApiException.failedPrecondition(
      "downlink not scheduled: conflict");

  private static Harness harness(NetworkServerConfig config) {
    return Harness.withVirtualTime(config, UnaryOperator.identity());
  }

  /** Sends uplink {@code fCnt} and runs everything it causes; true if a downlink was checked. */
  private static boolean uplink(Harness h, TestDevice d, long fCnt, boolean confirmed,
      byte[] mac) throws Exception {
    int checked = h.gs.checked.size();
    long processed = processed(h);
    byte[] raw = d.uplink(fCnt, confirmed, 1, new byte[] {(byte) fCnt}, mac, false, false);
    h.ns.handleUplink(TestDevice.copy(raw, "gw1", 5, -60, d.ids.getDeviceId() + "-" + fCnt))
        .get();
    h.closeDeduplicationWindows();
    h.runDue();
    assertThat(processed(h)).as("uplink %d processed", fCnt).isEqualTo(processed + 1);
    return h.gs.checked.size() > checked;
  }

  private static boolean uplink(Harness h, TestDevice d, long fCnt) throws Exception {
    return uplink(h, d, fCnt, false, null);
  }

  /** The FCntUps of {@code from..to} whose uplink attempted a downlink. */
  private static List<Long> attempts(Harness h, TestDevice d, long from, long to)
      throws Exception {
    List<Long> l = new ArrayList<>();
    for (long f = from; f <= to; f++) {
      if (uplink(h, d, f)) {
        l.add(f);
      }
    }
    return l;
  }

  @Test
  void refusedDevStatusReqsAreAttemptedAtDoublingIntervals() throws Exception {
    try (Harness h = harness(CONFIG)) {
      assertThat(h.registry.find("ns_downlink_attempts_deferred_total").counter())
          .as("registered before the first deferral").isNotNull();
      TestDevice d = abp10(h, "26012A01"); // no status known: DevStatusReq on the first uplink
      h.gs.refuseCheck = BUSY;

      // refused at 1: defers 2; at 3: 4-5; at 6: 7-10; at 11: 12-19; at 20: 21-36; at 37
      assertThat(attempts(h, d, 1, 40)).containsExactly(1L, 3L, 6L, 11L, 20L, 37L);
      assertThat(h.bus.count("ns.down.data.schedule.attempt")).isEqualTo(6);
      assertThat(h.bus.count("ns.down.data.schedule.fail")).isEqualTo(6);
      assertThat(h.counter("ns_downlink_check_refused_total")).isEqualTo(6);
      assertThat(h.counter("ns_downlink_attempts_deferred_total")).isEqualTo(34);
      // deferring wrote nothing: the request is still queued for a later downlink
      assertThat(h.device(d).getMacState().getQueuedRequestsList())
          .anyMatch(c -> c.getCid() == MacCommand.DevStatusReq.CID);
      assertThat(h.gs.scheduled).isEmpty();
    }
  }

  @Test
  void theBackOffIsCappedAtTheConfiguredMaximum() throws Exception {
    try (Harness h = harness(CONFIG.withDownlinkRefusalBackoffMax(3))) {
      TestDevice d = abp10(h, "26012A02");
      h.gs.refuseCheck = BUSY;
      // windows 1, 2, 3, 3, ...
      assertThat(attempts(h, d, 1, 20)).containsExactly(1L, 3L, 6L, 10L, 14L, 18L);
    }
  }

  @Test
  void anAcceptedDownlinkEndsTheBackOffAndTheNextRefusalStartsAgainAtOneUplink()
      throws Exception {
    try (Harness h = harness(CONFIG)) {
      TestDevice d = abp10(h, "26012A03");
      h.gs.refuseCheck = BUSY;
      assertThat(attempts(h, d, 1, 10)).containsExactly(1L, 3L, 6L);
      h.gs.refuseCheck = null;
      assertThat(uplink(h, d, 11)).isTrue();
      assertThat(h.gs.scheduled).hasSize(1);
      assertThat(h.bus.count("ns.down.data.schedule.success")).isEqualTo(1);

      // the DevStatusReq was sent but not answered: uplink 12 queues it again
      h.gs.refuseCheck = BUSY;
      assertThat(attempts(h, d, 12, 20)).containsExactly(12L, 14L, 17L);
    }
  }

  @Test
  void aRefusedSchedulingAfterAnAcceptedCheckAlsoBacksOff() throws Exception {
    try (Harness h = harness(CONFIG)) {
      TestDevice d = abp10(h, "26012A04");
      h.gs.refuse = BUSY; // the check accepts, the scheduling refuses
      assertThat(attempts(h, d, 1, 6)).containsExactly(1L, 3L, 6L);
      assertThat(h.gs.scheduled).hasSize(3);
      assertThat(h.counter("ns_downlink_failed_total")).isEqualTo(3);
      assertThat(h.counter("ns_downlink_attempts_deferred_total")).isEqualTo(3);
    }
  }

  /** Uplinks 1-3 of a new device, every attempt refused: uplinks 4 and 5 are backing off. */
  private static TestDevice backingOff(Harness h, String addr) throws Exception {
    TestDevice d = abp10(h, addr);
    h.gs.refuseCheck = BUSY;
    assertThat(attempts(h, d, 1, 3)).containsExactly(1L, 3L);
    return d;
  }

  @Test
  void anAckIsAttemptedWhileTheDeviceBacksOff() throws Exception {
    try (Harness h = harness(CONFIG)) {
      TestDevice d = backingOff(h, "26012A05");
      assertThat(uplink(h, d, 4, true, null)).as("confirmed uplink: ACK").isTrue();
      // a refused ACK does not change the back-off: uplink 5 is still deferred
      assertThat(uplink(h, d, 5)).isFalse();
      assertThat(uplink(h, d, 6)).isTrue();
    }
  }

  @Test
  void aMacAnswerIsAttemptedWhileTheDeviceBacksOff() throws Exception {
    try (Harness h = harness(CONFIG)) {
      TestDevice d = backingOff(h, "26012A06");
      byte[] linkCheckReq = MacCommandCodec.encode(List.of(new MacCommand.LinkCheckReq()));
      assertThat(uplink(h, d, 4, false, linkCheckReq)).as("LinkCheckAns queued").isTrue();
      h.gs.refuseCheck = null;
      assertThat(uplink(h, d, 5, false, linkCheckReq)).as("asked again: answered").isTrue();
      assertThat(h.gs.scheduled).hasSize(1);
    }
  }

  @Test
  void aMacAnswerTheRefusedDownlinkDidNotCarryIsNotSentLater() throws Exception {
    try (Harness h = harness(CONFIG)) {
      TestDevice d = backingOff(h, "26012A09");
      byte[] linkCheckReq = MacCommandCodec.encode(List.of(new MacCommand.LinkCheckReq()));
      assertThat(uplink(h, d, 4, false, linkCheckReq)).as("LinkCheckAns queued").isTrue();
      // uplink 5 asks nothing: the answer to uplink 4 is stale, and the DevStatusReq backs off
      assertThat(uplink(h, d, 5)).isFalse();
      assertThat(h.device(d).getMacState().getQueuedResponsesList()).isEmpty();
      h.gs.refuseCheck = null;
      assertThat(uplink(h, d, 6)).as("the DevStatusReq").isTrue();
      assertThat(h.gs.scheduled).hasSize(1);
      var down = h.gs.scheduled.get(0);
      long fCnt = DataPathTest.fullFCnt(down);
      var frame = d.downlink(down.getRawPayload().toByteArray(), fCnt, 1);
      assertThat(MacCommandCodec.decode(d.downlinkMac(frame, fCnt), false))
          .containsExactly(new MacCommand.DevStatusReq());
    }
  }

  @Test
  void anApplicationDownlinkIsAttemptedWhileTheDeviceBacksOff() throws Exception {
    try (Harness h = harness(CONFIG)) {
      TestDevice d = backingOff(h, "26012A07");
      CompletableFuture<Void> pushed = h.ns.downlinkQueuePush(DownlinkQueueRequest.newBuilder()
          .setEndDeviceIds(d.ids).addDownlinks(ApplicationDownlink.newBuilder().setFPort(3)
              .setFCnt(0).setFrmPayload(ByteString.copyFrom(new byte[] {1}))).build());
      h.runDue();
      pushed.get();
      assertThat(uplink(h, d, 4)).as("queued application downlink").isTrue();
      assertThat(uplink(h, d, 5)).as("still queued").isTrue();
      h.gs.refuseCheck = null;
      assertThat(uplink(h, d, 6)).isTrue();
      assertThat(h.gs.scheduled).hasSize(1);
      assertThat(h.gs.scheduled.get(0).getPayload().getMacPayload().getFPort()).isEqualTo(3);
    }
  }

  @Test
  void zeroDisablesTheBackOff() throws Exception {
    try (Harness h = harness(CONFIG.withDownlinkRefusalBackoffMax(0))) {
      TestDevice d = abp10(h, "26012A08");
      h.gs.refuseCheck = BUSY;
      assertThat(attempts(h, d, 1, 40)).hasSize(40);
      assertThat(h.bus.count("ns.down.data.schedule.attempt")).isEqualTo(40);
      assertThat(h.counter("ns_downlink_attempts_deferred_total")).isZero();
    }
  }
}
