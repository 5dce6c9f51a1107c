package dev.loralab.gatewayserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every {@code with...} copy changes what it names and keeps every other setting. */
class GatewayServerConfigWithersTest {

  final GatewayServerConfig d = GatewayServerConfig.defaults();

  @Test
  void withTheCurrentValuesEveryCopyEqualsTheOriginal() {
    for (GatewayServerConfig copy : new GatewayServerConfig[] {
        d.withBind(d.bindHost(), d.port()),
        d.withAutoAccept(d.autoAcceptUnknownGateways(), d.defaultFrequencyPlanId()),
        d.withRateLimit(d.perAddressRate(), d.perAddressBurst()),
        d.withConnectionIdleTimeout(d.connectionIdleTimeout()),
        d.withDownlinkGuardMargin(d.downlinkGuardMargin()),
        d.withUdpDatagramsPerRead(d.udpDatagramsPerRead()), d.withUdpTransport(d.udpTransport()),
        d.withMaxPendingDatagrams(d.maxPendingDatagrams()), d.withTxAckTimeout(d.txAckTimeout()),
        d.withMaxPendingTxAcks(d.maxPendingTxAcks())}) {
      assertThat(copy).isEqualTo(d);
    }
  }

  @Test
  void everyCopyChangesWhatItNames() {
    GatewayServerConfig bound = d.withBind("127.0.0.2", 1701);
    assertThat(bound.bindHost()).isEqualTo("127.0.0.2");
    assertThat(bound.port()).isEqualTo(1701);
    GatewayServerConfig accepting =
        d.withAutoAccept(!d.autoAcceptUnknownGateways(), "US_902_928_FSB_2");
    assertThat(accepting.autoAcceptUnknownGateways()).isEqualTo(!d.autoAcceptUnknownGateways());
    assertThat(accepting.defaultFrequencyPlanId()).isEqualTo("US_902_928_FSB_2");
    GatewayServerConfig limited = d.withRateLimit(7, 9);
    assertThat(limited.perAddressRate()).isEqualTo(7);
    assertThat(limited.perAddressBurst()).isEqualTo(9);
    GatewayServerConfig idle = d.withConnectionIdleTimeout(Duration.ofSeconds(5));
    assertThat(idle.connectionIdleTimeout()).isEqualTo(Duration.ofSeconds(5));
    // the TX_ACK timeout is shortened to the idle timeout
    assertThat(idle.txAckTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.withDownlinkGuardMargin(Duration.ZERO).downlinkGuardMargin())
        .isEqualTo(Duration.ZERO);
    assertThat(d.withUdpDatagramsPerRead(3).udpDatagramsPerRead()).isEqualTo(3);
    assertThat(d.withUdpTransport(UdpTransport.NIO).udpTransport()).isEqualTo(UdpTransport.NIO);
    assertThat(d.withMaxPendingDatagrams(11).maxPendingDatagrams()).isEqualTo(11);
    assertThat(d.withTxAckTimeout(Duration.ofSeconds(2)).txAckTimeout())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(d.withMaxPendingTxAcks(5).maxPendingTxAcks()).isEqualTo(5);
  }
}
