package dev.loralab.networkserver;

import static dev.loralab.networkserver.DataPathTest.fullFCnt;
import static dev.loralab.networkserver.DeduplicationFlowTest.CONFIG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.MACState;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.lorawan.mac.MacCommandCodec;
import dev.loralab.networkserver.UplinksInFlightTest.Setup;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Uplinks the Network Server shed itself (overloaded) are not radio loss for ADR: a device whose
 * every second uplink was shed does not get a LinkADRReq raising NbTrans, while a device that
 * lost the same frames on the radio does. Device work and timers run on virtual time, writes are
 * held until completed: nothing depends on timing.
 */
class AdrShedUplinksTest {

  /** No periodic DevStatusReq: the downlinks these tests count are ADR's. */
  private static final NetworkServerConfig ONE_IN_FLIGHT =
      CONFIG.withMaxUplinksInFlight(1).withStatusCountPeriodicity(0);

  /** An unconfirmed uplink with the ADR bit set. */
  static byte[] adrUplink(TestDevice d, long fCnt) {
    return d.uplink(fCnt, false, 1, new byte[] {(byte) fCnt}, null, true, false);
  }

  @Test
  void uplinksShedByTheInFlightBoundDoNotRaiseNbTrans() throws Exception {
    try (Setup s = new Setup(ONE_IN_FLIGHT)) {
      Harness h = s.h;
      TestDevice d = s.newDevice();
      for (int k = 0; k < 20; k++) {
        // FCnt 2k+1 is in flight (its write held), so FCnt 2k+2 is shed
        s.send(adrUplink(d, 2L * k + 1), "odd-" + k);
        s.send(adrUplink(d, 2L * k + 2), "even-" + k);
        h.runDue();
        s.settle();
      }
      assertThat(s.dropped("overloaded")).isEqualTo(20);
      assertThat(DeduplicationFlowTest.processed(h)).isEqualTo(20);
      MACState ms = h.device(d).getMacState();
      // 20 uplinks at FCnt 1, 3, ..., 39: every gap credited with the uplink shed in it
      assertThat(ms.getRecentUplinksList()).extracting(MACState.UplinkQuality::getFCnt)
          .containsExactlyElementsOf(
              java.util.stream.IntStream.range(0, 20).map(i -> 2 * i + 1).boxed().toList());
      assertThat(ms.getRecentUplinksList())
          .extracting(MACState.UplinkQuality::getServerDroppedBefore)
          .containsExactlyElementsOf(
              java.util.stream.IntStream.range(0, 20).map(i -> i == 0 ? 0 : 1).boxed().toList());
      assertThat(h.counter("ns_adr_shed_uplinks_credited_total")).isEqualTo(19);
      // ADR decided (20 uplinks) with no loss: no change, so no LinkADRReq and no downlink
      assertThat(h.bus.has("ns.mac.link_adr.request")).isFalse();
      assertThat(h.gs.scheduled).isEmpty();
      assertThat(ms.getDesiredParameters().getAdrNbTrans()).isEqualTo(1);
    }
  }

  @Test
  void theSameGapsLostOnTheRadioRaiseNbTrans() throws Exception {
    // the control of the test above: nothing shed, every second frame never arrives
    try (Setup s = new Setup(ONE_IN_FLIGHT)) {
      Harness h = s.h;
      TestDevice d = s.newDevice();
      for (int k = 0; k < 20; k++) {
        s.send(adrUplink(d, 2L * k + 1), "odd-" + k);
        s.settle();
      }
      assertThat(s.dropped("overloaded")).isZero();
      assertThat(h.counter("ns_adr_shed_uplinks_credited_total")).isZero();
      assertThat(h.gs.scheduled).hasSize(1);
      DownlinkMessage down = h.gs.scheduled.get(0);
      DataFrame f = d.downlink(down.getRawPayload().toByteArray(), fullFCnt(down), 39);
      List<MacCommand> cmds = MacCommandCodec.decode(d.downlinkMac(f, fullFCnt(down)), false);
      MacCommand.LinkADRReq req = (MacCommand.LinkADRReq) cmds.get(0);
      // FCnt 1..39: 20 of 39 received, 49 % loss
      assertThat(req.nbTrans()).isEqualTo(3);
      assertThat(h.bus.has("ns.mac.link_adr.request")).isTrue();
    }
  }

  @Test
  void uplinksShedByTheDeduplicationBoundAreCreditedToo() throws Exception {
    try (Setup s = new Setup(CONFIG.withDeduplicationEarlyClose(false)
        .withMaxDeduplicationWindows(1, 100_000))) {
      Harness h = s.h;
      TestDevice d = s.newDevice();
      s.send(adrUplink(d, 1), "a");
      s.settle();
      // FCnt 2's window is open (the only one allowed): FCnt 3 is shed by the deduplicator, and
      // FCnt 2, processed after that, takes the credit
      h.ns.handleUplink(TestDevice.copy(adrUplink(d, 2), "gw1", 5, -60, "b")).get();
      h.ns.handleUplink(TestDevice.copy(adrUplink(d, 3), "gw1", 5, -60, "c")).get();
      h.closeDeduplicationWindows();
      s.settle();
      assertThat(s.dropped("overloaded")).isEqualTo(1);
      s.send(adrUplink(d, 4), "d");
      s.settle();
      assertThat(h.device(d).getMacState().getRecentUplinksList())
          .extracting(MACState.UplinkQuality::getServerDroppedBefore).containsExactly(0, 1, 0);
      assertThat(h.counter("ns_adr_shed_uplinks_credited_total")).isEqualTo(1);
    }
  }

  @Test
  void invalidUplinksAreNotCredited() throws Exception {
    try (Setup s = new Setup(CONFIG)) {
      Harness h = s.h;
      TestDevice d = s.newDevice();
      s.send(adrUplink(d, 1), "a");
      s.settle();
      byte[] corrupt = adrUplink(d, 2);
      corrupt[corrupt.length - 1] ^= 0x01; // one bit of the MIC
      s.send(corrupt, "b");
      s.settle();
      assertThat(s.dropped("mic_mismatch")).isEqualTo(1);
      s.send(adrUplink(d, 3), "c");
      s.settle();
      assertThat(h.device(d).getMacState().getRecentUplinksList())
          .extracting(MACState.UplinkQuality::getServerDroppedBefore).containsExactly(0, 0);
      assertThat(h.counter("ns_adr_shed_uplinks_credited_total")).isZero();
    }
  }

  @Test
  void theNumberOfCountersIsConfiguration() {
    assertThat(NetworkServerConfig.defaults().shedUplinkCounters()).isEqualTo(1 << 16);
    assertThat(NetworkServerConfig.defaults().withShedUplinkCounters(8).shedUplinkCounters())
        .isEqualTo(8);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> NetworkServerConfig.defaults().withShedUplinkCounters(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shedUplinkCounters");
    // the other settings keep it
    assertThat(NetworkServerConfig.defaults().withShedUplinkCounters(8)
        .withMaxUplinksInFlight(7).withInlineEarlyClosedUplinks(false).shedUplinkCounters())
        .isEqualTo(8);
  }
}
