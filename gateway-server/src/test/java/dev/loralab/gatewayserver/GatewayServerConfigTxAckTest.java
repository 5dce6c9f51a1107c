package dev.loralab.gatewayserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.gatewayserver.udp.SemtechUdpLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link GatewayServerConfig#txAckTimeout} and {@link GatewayServerConfig#maxPendingTxAcks}. */
class GatewayServerConfigTxAckTest {

  final GatewayServerConfig d = GatewayServerConfig.defaults();

  @Test
  void defaultsAreThirtySecondsAnd1024() {
    assertThat(d.txAckTimeout()).isEqualTo(GatewayServerConfig.DEFAULT_TX_ACK_TIMEOUT)
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(d.maxPendingTxAcks()).isEqualTo(GatewayServerConfig.DEFAULT_MAX_PENDING_TX_ACKS)
        .isEqualTo(1024);
  }

  @Test
  void everyCopyKeepsTheNewFields() {
    GatewayServerConfig c = d.withTxAckTimeout(Duration.ofSeconds(7)).withMaxPendingTxAcks(9);
    for (GatewayServerConfig copy : new GatewayServerConfig[] {
        c.withBind("127.0.0.1", 0), c.withAutoAccept(true, "EU_863_870_TTN"),
        c.withRateLimit(10, 20), c.withConnectionIdleTimeout(Duration.ofMinutes(1)),
        c.withDownlinkGuardMargin(Duration.ZERO), c.withUdpDatagramsPerRead(4),
        c.withUdpTransport(UdpTransport.NIO), c.withMaxPendingDatagrams(10)}) {
      assertThat(copy.txAckTimeout()).isEqualTo(Duration.ofSeconds(7));
      assertThat(copy.maxPendingTxAcks()).isEqualTo(9);
    }
    assertThat(c.withTxAckTimeout(Duration.ofSeconds(8)).maxPendingTxAcks()).isEqualTo(9);
    assertThat(c.withMaxPendingTxAcks(8).txAckTimeout()).isEqualTo(Duration.ofSeconds(7));
    // the other fields are kept too
    assertThat(c.withTxAckTimeout(d.txAckTimeout()).withMaxPendingTxAcks(d.maxPendingTxAcks()))
        .isEqualTo(d);
  }

  @Test
  void aShorterIdleTimeoutShortensTheTxAckTimeout() {
    assertThat(d.withConnectionIdleTimeout(Duration.ofSeconds(10)).txAckTimeout())
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(d.withConnectionIdleTimeout(Duration.ofMinutes(10)).txAckTimeout())
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theOldConstructorsTakeTheDefaults() {
    GatewayServerConfig old = new GatewayServerConfig(d.bindHost(), d.port(), d.udpLimits(),
        d.connectionIdleTimeout(), d.perAddressRate(), d.perAddressBurst(),
        d.scheduleAheadMargin(), d.gatewayQueueMargin(), d.maxScheduleAhead(),
        d.lateScheduleLead(), d.autoAcceptUnknownGateways(), d.defaultFrequencyPlanId(),
        d.enforceDutyCycle(), d.dutyCycleWindow(), d.logInterval(), d.housekeepingInterval(),
        d.udpReceiveBufferBytes(), d.downlinkGuardMargin(), d.udpTransport(),
        d.udpDatagramsPerRead(), d.maxPendingDatagrams());
    assertThat(old).isEqualTo(d);
    GatewayServerConfig shortIdle = new GatewayServerConfig("0.0.0.0", 0, SemtechUdpLimits.DEFAULT,
        Duration.ofSeconds(5), 50, 200, Duration.ofMillis(300), Duration.ofMillis(40),
        Duration.ofSeconds(512), Duration.ofMillis(800), false, "EU_863_870_TTN", true,
        Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofSeconds(5), 1 << 20);
    assertThat(shortIdle.txAckTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(shortIdle.maxPendingTxAcks()).isEqualTo(1024);
  }

  @Test
  void invalidValuesAreRejectedWithFieldAndFoundValue() {
    assertThatThrownBy(() -> d.withTxAckTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("txAckTimeout")
        .hasMessageContaining("found PT0S");
    assertThatThrownBy(() -> d.withTxAckTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("txAckTimeout");
    assertThatThrownBy(() -> d.withTxAckTimeout(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("txAckTimeout");
    assertThatThrownBy(() -> d.withTxAckTimeout(Duration.ofMinutes(3).plusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("txAckTimeout: expected at most connectionIdleTimeout");
    assertThat(d.withTxAckTimeout(Duration.ofMinutes(3)).txAckTimeout())
        .isEqualTo(Duration.ofMinutes(3));
    assertThatThrownBy(() -> d.withMaxPendingTxAcks(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPendingTxAcks").hasMessageContaining("found 0");
    assertThatThrownBy(() -> d.withMaxPendingTxAcks(GatewayServerConfig.MAX_PENDING_TX_ACKS + 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 32769");
    assertThat(d.withMaxPendingTxAcks(32_768).maxPendingTxAcks()).isEqualTo(32_768);
    assertThat(d.withMaxPendingTxAcks(1).maxPendingTxAcks()).isEqualTo(1);
  }
}
