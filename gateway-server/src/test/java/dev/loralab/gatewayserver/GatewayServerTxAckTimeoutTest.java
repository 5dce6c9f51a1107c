package dev.loralab.gatewayserver;

import static dev.loralab.gatewayserver.GatewayServerUdpTest.GW_EUI;
import static dev.loralab.gatewayserver.GatewayServerUdpTest.GW_IDS;
import static dev.loralab.gatewayserver.GatewayServerUdpTest.WAIT;
import static dev.loralab.gatewayserver.GatewayServerUdpTest.joinAccept;
import static dev.loralab.gatewayserver.GatewayServerUdpTest.joinRequestPush;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.events.testing.RecordingEventBus;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullAck;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullData;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullResp;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushAck;
import dev.loralab.gatewayserver.udp.SemtechPacket.TxAck;
import dev.loralab.gatewayserver.udp.SemtechUdpClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Downlinks awaiting a TX_ACK are forgotten after {@link GatewayServerConfig#txAckTimeout} (at
 * housekeeping, driven here by hand on an injected clock) and beyond
 * {@link GatewayServerConfig#maxPendingTxAcks} per gateway (earliest sent first).
 */
class GatewayServerTxAckTimeoutTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final RecordingEventBus events = new RecordingEventBus();
  final RecordingNetworkServer ns = new RecordingNetworkServer();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final ExecutorService executor = Executors.newFixedThreadPool(2);
  GatewayServer server;

  void start(GatewayServerConfig config, RegisteredGateway gateway) {
    server = GatewayServer.builder()
        .config(config)
        .directory(eui -> eui.equals(GW_EUI) ? Optional.of(gateway) : Optional.empty())
        .frequencyPlans(FrequencyPlanStore.builtIn())
        .networkServer(ns)
        .events(events)
        .meterRegistry(meters)
        .clock(clock)
        .random(new SplittableRandom(1))
        .executor(executor)
        .build();
    server.start();
  }

  void start(GatewayServerConfig config) {
    start(config, RegisteredGateway.of(GW_IDS, "EU_863_870_TTN"));
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
    executor.shutdown();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }

  double txAcks(String result) {
    return meters.get("loralab.gs.txacks").tag("result", result).counter().count();
  }

  double dropped(String reason) {
    return meters.get("loralab.gs.udp.drops").tag("reason", reason).counter().count();
  }

  /** An uplink with {@code tmst}, its join-accept scheduled, and the PULL_RESP received. */
  PullResp downlink(SemtechUdpClient gw, int pushToken, long tmst, int rx1DelaySeconds) {
    int before = ns.uplinks.size();
    gw.send(joinRequestPush(2, pushToken, tmst));
    assertThat(gw.await(PushAck.class, WAIT)).contains(new PushAck(2, pushToken));
    UplinkMessage up = Polling.await(() -> ns.uplinks.stream().skip(before).findFirst(),
        "uplink " + pushToken);
    server.scheduleDownlink(joinAccept(up, rx1DelaySeconds)).join();
    return gw.await(PullResp.class, WAIT).orElseThrow();
  }

  SemtechUdpClient connectedGateway() {
    SemtechUdpClient gw = new SemtechUdpClient(server.localAddress());
    gw.send(new PullData(2, 1, GW_EUI));
    assertThat(gw.await(PullAck.class, WAIT)).contains(new PullAck(2, 1));
    return gw;
  }

  /** Waits until a TX_ACK sent now has been processed and dropped as unmatched. */
  void sendUnmatchedTxAck(SemtechUdpClient gw, int token) {
    double before = dropped("unmatched_tx_ack");
    gw.send(new TxAck(2, token, GW_EUI, Optional.empty()));
    Polling.await(() -> dropped("unmatched_tx_ack") > before ? Optional.of(true)
        : Optional.empty(), "unmatched TX_ACK " + token);
  }

  @Test
  void downlinksOlderThanTheTimeoutAreForgottenAtHousekeepingYoungerOnesStay() {
    start(GatewayServerConfig.defaults().withBind("127.0.0.1", 0));
    try (SemtechUdpClient gw = connectedGateway()) {
      PullResp first = downlink(gw, 3, 10_000_000, 5);                // sent at T0
      clock.advance(Duration.ofSeconds(20));
      PullResp second = downlink(gw, 4, 40_000_000, 5);               // sent at T0 + 20 s
      assertThat(server.pendingTxAcks(GW_EUI))
          .containsExactlyInAnyOrder(first.token(), second.token());

      clock.advance(Duration.ofSeconds(10));                         // first exactly 30 s old
      server.housekeeping();
      assertThat(server.pendingTxAcks(GW_EUI))
          .containsExactlyInAnyOrder(first.token(), second.token());
      assertThat(txAcks("timeout")).isZero();

      clock.advance(Duration.ofMillis(1));                           // first older than 30 s
      // Names only: the uplinks' events may still be being published, none of a new kind.
      Set<String> eventsBefore = Set.copyOf(events.names());
      server.housekeeping();
      assertThat(server.pendingTxAcks(GW_EUI)).containsExactly(second.token());
      assertThat(txAcks("timeout")).isEqualTo(1);
      assertThat(Set.copyOf(events.names())).isEqualTo(eventsBefore);  // no event for a timeout
      assertThat(server.connection(GW_EUI)).isPresent();

      // A late TX_ACK of the forgotten downlink: dropped as unmatched, as any unknown token.
      sendUnmatchedTxAck(gw, first.token());
      assertThat(Set.copyOf(events.names())).isEqualTo(eventsBefore);
      assertThat(events.has("gs.txack.receive")).isFalse();
      assertThat(ns.txAcks).isEmpty();

      // The younger one is still answered.
      gw.send(new TxAck(2, second.token(), GW_EUI, Optional.empty()));
      events.await("gs.down.tx.success");
      assertThat(events.count("gs.txack.receive")).isEqualTo(1);
      assertThat(txAcks("success")).isEqualTo(1);
      assertThat(txAcks("timeout")).isEqualTo(1);
      assertThat(server.pendingTxAcks(GW_EUI)).isEmpty();
    }
  }

  @Test
  void theTimeoutCountsFromTheSendingOfAHeldPullResp() {
    // A late-scheduling v2 gateway: the PULL_RESP is held until 800 ms before RX1 (2 s after
    // the uplink), i.e. sent 1.2 s after scheduling.
    start(GatewayServerConfig.defaults().withBind("127.0.0.1", 0),
        new RegisteredGateway(GW_IDS, "EU_863_870_TTN", true, 0, true));
    try (SemtechUdpClient gw = connectedGateway()) {
      PullResp held = downlink(gw, 3, 10_000_000, 2);
      assertThat(server.pendingTxAcks(GW_EUI)).containsExactly(held.token());
      clock.advance(Duration.ofMillis(30_600));    // 30.6 s after scheduling, 29.4 s after sending
      server.housekeeping();
      assertThat(server.pendingTxAcks(GW_EUI)).containsExactly(held.token());
      clock.advance(Duration.ofSeconds(1));        // 30.4 s after sending
      server.housekeeping();
      assertThat(server.pendingTxAcks(GW_EUI)).isEmpty();
      assertThat(txAcks("timeout")).isEqualTo(1);
    }
  }

  @Test
  void beyondTheBoundTheEarliestSentDownlinkIsForgotten() {
    start(GatewayServerConfig.defaults().withBind("127.0.0.1", 0).withMaxPendingTxAcks(1));
    try (SemtechUdpClient gw = connectedGateway()) {
      PullResp first = downlink(gw, 3, 10_000_000, 5);
      assertThat(txAcks("evicted")).isZero();
      clock.advance(Duration.ofSeconds(20));
      PullResp second = downlink(gw, 4, 40_000_000, 5);
      assertThat(server.pendingTxAcks(GW_EUI)).containsExactly(second.token());
      assertThat(txAcks("evicted")).isEqualTo(1);
      assertThat(txAcks("timeout")).isZero();

      sendUnmatchedTxAck(gw, first.token());
      assertThat(events.has("gs.txack.receive")).isFalse();
      gw.send(new TxAck(2, second.token(), GW_EUI, Optional.empty()));
      events.await("gs.down.tx.success");
      assertThat(events.count("gs.txack.receive")).isEqualTo(1);
    }
  }
}
