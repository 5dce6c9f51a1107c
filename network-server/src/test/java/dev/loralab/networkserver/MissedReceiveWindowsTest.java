package dev.loralab.networkserver;

import static dev.loralab.networkserver.DataPathTest.abp10;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.lorawan.mac.MacCommand;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * An uplink processed after its receive windows have passed (an overloaded server) gets no
 * downlink attempt; what the downlink would carry stays queued for the next uplink.
 */
class MissedReceiveWindowsTest {

  static void sendReceivedAt(Harness h, byte[] raw, Instant receivedAt, String id) throws Exception {
    UplinkMessage up = TestDevice.copy(raw, "gw1", 5, -60, id).toBuilder()
        .setReceivedAt(Timestamp.newBuilder().setSeconds(receivedAt.getEpochSecond())
            .setNanos(receivedAt.getNano()))
        .build();
    h.ns.handleUplink(up).get();
    h.closeDeduplicationWindows();
  }

  @Test
  void noDownlinkIsAttemptedAfterRx2BeganAndTheMacRequestWaitsForTheNextUplink()
      throws Exception {
    try (Harness h = Harness.withVirtualTime(DeduplicationFlowTest.CONFIG,
        UnaryOperator.identity())) {
      // status unknown: the first uplink queues a DevStatusReq
      TestDevice d = abp10(h, "26011D01");
      // received 10 s ago: RX1 (1 s) and RX2 (2 s) are long over
      sendReceivedAt(h, d.uplink(1, false, 1, new byte[] {1}, null, false, false),
          Instant.now().minusSeconds(10), "A");
      assertThat(h.bus.count("ns.up.data.process")).isEqualTo(1);
      assertThat(h.bus.count("ns.up.data.forward")).isEqualTo(1);
      assertThat(h.gs.scheduled).isEmpty();
      assertThat(h.bus.count("ns.down.data.schedule.attempt")).isZero();
      assertThat(h.device(d).getMacState().getQueuedRequestsList())
          .anyMatch(r -> r.getCid() == MacCommand.DevStatusReq.CID);

      // a timely uplink carries the DevStatusReq
      sendReceivedAt(h, d.uplink(2, false, 1, new byte[] {2}, null, false, false), Instant.now(),
          "B");
      assertThat(h.bus.count("ns.up.data.process")).isEqualTo(2);
      assertThat(h.gs.scheduled).hasSize(1);
    }
  }
}
