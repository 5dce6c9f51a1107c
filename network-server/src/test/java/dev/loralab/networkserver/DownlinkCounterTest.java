package dev.loralab.networkserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.ApiException;
import dev.loralab.api.v3.DownlinkMessage;
import org.junit.jupiter.api.Test;

/** Frame counters never go backwards, whatever order the Gateway Server answers in. */
class DownlinkCounterTest {

  @Test
  void aLateSchedulingFailureDoesNotGiveBackCountersALaterDownlinkTook() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = DataPathTest.abp10(h, "26011BF0");
      DataPathTest.statusKnown(h, d);
      // A confirmed uplink needs an ACK: downlink 1, whose scheduling stays open.
      h.gs.hold = true;
      DataPathTest.send(h, d.uplink(1, true, 1, new byte[] {1}, null, false, false), "gw1", 5);
      DownlinkMessage first = DataPathTest.awaitDownlink(h, 0);
      // The next confirmed uplink gets downlink 2, scheduled at once.
      h.gs.hold = false;
      DataPathTest.send(h, d.uplink(2, true, 1, new byte[] {2}, null, false, false), "gw1", 5);
      DownlinkMessage second = DataPathTest.awaitDownlink(h, 1);
      assertThat(DataPathTest.fullFCnt(second)).isGreaterThan(DataPathTest.fullFCnt(first));
      // Only now does downlink 1 fail; the failure is handled (and stored) in the device's lane.
      int updates = h.store.updates().size();
      h.gs.held.get(0).completeExceptionally(ApiException.failedPrecondition("too late"));
      Fakes.await("schedule failure handled", () -> h.bus.has("ns.down.data.schedule.fail")
          && h.store.updates().size() > updates);
      assertThat(h.device(d).getSession().getLastNFCntDown() & 0xFFFFFFFFL)
          .as("NFCntDown after downlink %s was sent and %s failed", DataPathTest.fullFCnt(second),
              DataPathTest.fullFCnt(first))
          .isEqualTo(DataPathTest.fullFCnt(second));
      // The next downlink takes a new counter.
      DataPathTest.send(h, d.uplink(3, true, 1, new byte[] {3}, null, false, false), "gw1", 5);
      assertThat(DataPathTest.fullFCnt(DataPathTest.awaitDownlink(h, 2)))
          .isGreaterThan(DataPathTest.fullFCnt(second));
    }
  }
}
