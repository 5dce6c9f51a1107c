package dev.loralab.networkserver;

import static dev.loralab.networkserver.DataPathTest.abp10;
import static dev.loralab.networkserver.DataPathTest.awaitDownlink;
import static dev.loralab.networkserver.DataPathTest.fullFCnt;
import static dev.loralab.networkserver.DataPathTest.send;
import static dev.loralab.networkserver.DataPathTest.statusKnown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.lorawan.frame.DataFrame;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A device that missed the ACK of a confirmed uplink retransmits it with the same FCntUp: the
 * Network Server acknowledges it again without processing or forwarding it a second time (found
 * by the simulator end-to-end test: such retransmissions were dropped as "FCnt too low" and never
 * acknowledged).
 */
class ConfirmedRetransmissionTest {

  @Test
  void retransmittedConfirmedUplinkIsAcknowledgedButNotForwardedAgain() throws Exception {
    NetworkServerConfig config = NetworkServerConfig.defaults()
        .withDeduplication(Duration.ofMillis(50), Duration.ofMillis(50));
    // virtual timers: the retransmission arrives after the deduplication cooldown by construction
    try (Harness h = Harness.withManualTimers(config)) {
      TestDevice d = abp10(h, "26011BF1");
      statusKnown(h, d);
      byte[] raw = d.uplink(4, true, 1, new byte[] {1}, null, false, false);
      send(h, raw, "gw1", 5);
      DownlinkMessage first = awaitDownlink(h, 0);
      assertThat(d.downlink(first.getRawPayload().toByteArray(), fullFCnt(first), 4).fHdr().fCtrl().ack())
          .isTrue();

      // the same frame again, as the device retransmits it after missing the ACK, once the
      // deduplication cooldown has passed
      h.timers.advance(config.cooldownWindow());
      h.ns.handleUplink(TestDevice.copy(raw, "gw1", 5, -60, "R")).get();
      h.closeDeduplicationWindows();
      DownlinkMessage second = awaitDownlink(h, 1);
      DataFrame ack = d.downlink(second.getRawPayload().toByteArray(), fullFCnt(second), 4);
      assertThat(ack.fHdr().fCtrl().ack()).isTrue();
      assertThat(fullFCnt(second)).isGreaterThan(fullFCnt(first));

      assertThat(h.bus.count("ns.up.data.process")).isEqualTo(1);
      assertThat(h.bus.count("ns.up.data.drop")).isZero();
      assertThat(h.as.ups.stream().filter(ApplicationUp::hasUplinkMessage).count()).isEqualTo(1);
      assertThat(h.device(d).getSession().getLastFCntUp()).isEqualTo(4);
    }
  }
}
