package dev.loralab.gatewayserver;

import static dev.loralab.gatewayserver.GatewayServerUdpTest.GW_EUI;
import static dev.loralab.gatewayserver.GatewayServerUdpTest.GW_IDS;
import static dev.loralab.gatewayserver.GatewayServerUdpTest.WAIT;
import static dev.loralab.gatewayserver.GatewayServerUdpTest.joinRequestPush;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loralab.events.testing.RecordingEventBus;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.gatewayserver.internal.DatagramTransport;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullAck;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullData;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushAck;
import dev.loralab.gatewayserver.udp.SemtechUdpClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Back-pressure from the executor to the UDP socket: beyond
 * {@link GatewayServerConfig#maxPendingDatagrams} datagrams handed off and not yet processed, the
 * socket is not read; it is again once half of them are processed. The executor here holds its
 * tasks until the test runs them (no timing: the test decides when work is done).
 */
class GatewayServerBackPressureTest {

  /** Runs nothing until told; may refuse everything. */
  static final class HeldExecutor implements Executor {
    final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
    volatile boolean refuse;

    @Override
    public void execute(Runnable task) {
      if (refuse) {
        throw new RejectedExecutionException("refused by the test");
      }
      held.add(task);
    }

    /** Runs what is held (and what that submits); returns how many tasks ran. */
    int runHeld() {
      int ran = 0;
      for (Runnable task; (task = held.poll()) != null; ran++) {
        task.run();
      }
      return ran;
    }
  }

  static final int MAX_PENDING = 8;
  /** Within a default 208 KiB socket receive buffer while reading is paused. */
  static final int BURST = 48;

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final RecordingNetworkServer ns = new RecordingNetworkServer();
  final HeldExecutor executor = new HeldExecutor();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  GatewayServer server;

  GatewayServer start(UdpTransport transport, int perRead) {
    server = GatewayServer.builder()
        .config(GatewayServerConfig.defaults().withBind("127.0.0.1", 0)
            .withUdpTransport(transport).withUdpDatagramsPerRead(perRead)
            .withRateLimit(1000, 1000).withMaxPendingDatagrams(MAX_PENDING))
        .directory(eui -> Optional.ofNullable(Map.of(GW_EUI,
            RegisteredGateway.of(GW_IDS, "EU_863_870_TTN")).get(eui)))
        .frequencyPlans(FrequencyPlanStore.builtIn())
        .networkServer(ns)
        .events(new RecordingEventBus())
        .meterRegistry(meters)
        .clock(clock)
        .random(new SplittableRandom(1))
        .executor(executor)
        .build();
    server.start();
    return server;
  }

  @AfterEach
  void stop() {
    executor.refuse = false;
    if (server != null) {
      server.close();
    }
    executor.runHeld();
  }

  static Stream<Arguments> reads() {
    return Stream.of(Arguments.of(UdpTransport.EPOLL, 1), Arguments.of(UdpTransport.EPOLL, 8),
        Arguments.of(UdpTransport.NIO, 8));
  }

  double pauses() {
    return meters.get("loralab.gs.udp.read.pauses").counter().count();
  }

  double pendingGauge() {
    return meters.get("loralab.gs.udp.pending").gauge().value();
  }

  /** Connects the gateway: its first datagram is handled on the executor. */
  void connect(SemtechUdpClient gw) {
    gw.send(new PullData(2, 1, GW_EUI));
    Polling.await(() -> executor.runHeld() > 0 ? Optional.of(true) : Optional.empty(),
        "the connecting task");
    assertThat(gw.await(PullAck.class, WAIT)).contains(new PullAck(2, 1));
    assertThat(server.pendingDatagrams()).isZero();
  }

  @ParameterizedTest
  @MethodSource("reads")
  void readingPausesBeyondTheBoundAndResumesAsTheHeldWorkIsDone(UdpTransport transport,
      int perRead) {
    assumeTrue(transport != UdpTransport.EPOLL || DatagramTransport.epollAvailable(),
        "native epoll unavailable");
    start(transport, perRead);
    try (SemtechUdpClient gw = new SemtechUdpClient(server.localAddress())) {
      connect(gw);
      for (int i = 0; i < BURST; i++) {
        gw.send(joinRequestPush(2, i, 1_000_000L + i));
      }
      Polling.await(() -> server.readingPaused() ? Optional.of(true) : Optional.empty(),
          "reading paused");
      // at most the rest of the read that crossed the bound was handed off after it
      assertThat(server.pendingDatagrams()).isGreaterThan(MAX_PENDING)
          .isLessThanOrEqualTo(MAX_PENDING + perRead);
      assertThat(pendingGauge()).isEqualTo(server.pendingDatagrams());
      assertThat(pauses()).isEqualTo(1.0);
      assertThat(ns.uplinks).as("nothing processed yet").isEmpty();

      // doing the held work resumes reading, until every datagram of the burst is processed
      Polling.await(() -> {
        executor.runHeld();
        return ns.uplinks.size() >= BURST ? Optional.of(true) : Optional.empty();
      }, BURST + " uplinks");
      assertThat(ns.uplinks).extracting(u -> u.getSettings().getTimestamp())
          .containsExactlyElementsOf(java.util.stream.IntStream.range(0, BURST)
              .mapToObj(i -> 1_000_000 + i).toList());
      Set<Integer> acknowledged = new HashSet<>();
      while (acknowledged.size() < BURST) {
        acknowledged.add(gw.await(PushAck.class, WAIT).orElseThrow().token());
      }
      assertThat(server.pendingDatagrams()).isZero();
      assertThat(pendingGauge()).isZero();
      assertThat(server.readingPaused()).isFalse();
      assertThat(pauses()).isGreaterThanOrEqualTo(1.0);
    }
  }

  @ParameterizedTest
  @MethodSource("reads")
  void datagramsWhoseWorkTheExecutorRefusesAreNoLongerPending(UdpTransport transport,
      int perRead) {
    assumeTrue(transport != UdpTransport.EPOLL || DatagramTransport.epollAvailable(),
        "native epoll unavailable");
    start(transport, perRead);
    try (SemtechUdpClient gw = new SemtechUdpClient(server.localAddress())) {
      connect(gw);
      executor.refuse = true;
      int refused = 3 * MAX_PENDING;
      for (int i = 0; i < refused; i++) {
        gw.send(joinRequestPush(2, i, 1_000_000L + i));
      }
      Set<Integer> acknowledged = new HashSet<>();
      while (acknowledged.size() < refused) {
        acknowledged.add(gw.await(PushAck.class, WAIT).orElseThrow().token());
      }
      Polling.await(() -> server.pendingDatagrams() == 0 && !server.readingPaused()
          ? Optional.of(true) : Optional.empty(), "no datagram pending");
      assertThat(meters.get("loralab.gs.udp.drops").tag("reason", "handler_error").counter()
          .count()).isPositive();

      // the executor takes work again: the gateway's serial queue was not left stuck
      executor.refuse = false;
      gw.send(joinRequestPush(2, 500, 2_000_000L));
      assertThat(gw.await(PushAck.class, WAIT)).contains(new PushAck(2, 500));
      Polling.await(() -> {
        executor.runHeld();
        return ns.uplinks.isEmpty() ? Optional.empty() : Optional.of(true);
      }, "the uplink after the refusals");
      assertThat(ns.uplinks).extracting(u -> u.getSettings().getTimestamp())
          .containsExactly(2_000_000);
      assertThat(server.pendingDatagrams()).isZero();
    }
  }

  @Test
  void configDefaultsToAboutAThirdOfASecondOfWorkAndRejectsANonPositiveBound() {
    GatewayServerConfig d = GatewayServerConfig.defaults();
    assertThat(d.maxPendingDatagrams())
        .isEqualTo(GatewayServerConfig.DEFAULT_MAX_PENDING_DATAGRAMS).isEqualTo(8192);
    assertThat(d.withMaxPendingDatagrams(10).withRateLimit(10, 20).withBind("0.0.0.0", 1)
        .withUdpDatagramsPerRead(4).withUdpTransport(UdpTransport.NIO)
        .withDownlinkGuardMargin(java.time.Duration.ZERO)
        .withConnectionIdleTimeout(java.time.Duration.ofMinutes(1))
        .withAutoAccept(true, "EU_863_870_TTN").maxPendingDatagrams()).isEqualTo(10);
    assertThatThrownBy(() -> d.withMaxPendingDatagrams(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 0");
    assertThatThrownBy(() -> d.withMaxPendingDatagrams(1_000_001))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 1000001");
  }
}
