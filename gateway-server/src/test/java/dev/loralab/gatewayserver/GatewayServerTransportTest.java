package dev.loralab.gatewayserver;

import static dev.loralab.gatewayserver.GatewayServerUdpTest.GW_EUI;
import static dev.loralab.gatewayserver.GatewayServerUdpTest.GW_IDS;
import static dev.loralab.gatewayserver.GatewayServerUdpTest.WAIT;
import static dev.loralab.gatewayserver.GatewayServerUdpTest.joinAccept;
import static dev.loralab.gatewayserver.GatewayServerUdpTest.joinRequestPush;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.events.testing.RecordingEventBus;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.gatewayserver.internal.DatagramTransport;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullAck;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullData;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullResp;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushAck;
import dev.loralab.gatewayserver.udp.SemtechUdpClient;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import dev.loralab.gatewayserver.udp.SemtechPacket;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same UDP round trips on each transport ({@link GatewayServerUdpTest} runs on the default,
 * AUTO); the epoll case is skipped where native epoll is unavailable.
 */
class GatewayServerTransportTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final RecordingNetworkServer ns = new RecordingNetworkServer();
  final ExecutorService executor = Executors.newFixedThreadPool(2);
  GatewayServer server;

  GatewayServer.Builder builder(GatewayServerConfig config) {
    return GatewayServer.builder()
        .config(config)
        .directory(eui -> Optional.ofNullable(Map.of(GW_EUI,
            RegisteredGateway.of(GW_IDS, "EU_863_870_TTN")).get(eui)))
        .frequencyPlans(FrequencyPlanStore.builtIn())
        .networkServer(ns)
        .events(new RecordingEventBus())
        .clock(clock)
        .random(new SplittableRandom(1))
        .executor(executor);
  }

  static GatewayServerConfig config(UdpTransport transport) {
    return GatewayServerConfig.defaults().withBind("127.0.0.1", 0).withUdpTransport(transport);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
    executor.shutdown();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(value = UdpTransport.class, names = {"EPOLL", "NIO"})
  void pushPullAndDownlinkRoundTripsOnAForcedTransport(UdpTransport transport) {
    assumeTrue(transport != UdpTransport.EPOLL || DatagramTransport.epollAvailable(),
        "native epoll unavailable");
    server = builder(config(transport)).build();
    server.start();
    assertThat(server.udpTransport()).isEqualTo(transport);
    try (SemtechUdpClient gw = new SemtechUdpClient(server.localAddress())) {
      gw.send(new PullData(2, 0x1234, GW_EUI));
      assertThat(gw.await(PullAck.class, WAIT)).contains(new PullAck(2, 0x1234));
      gw.send(joinRequestPush(2, 0xBEEF, 1_000_000));
      assertThat(gw.await(PushAck.class, WAIT)).contains(new PushAck(2, 0xBEEF));
      UplinkMessage up = Polling.await(() -> ns.uplinks.stream().findFirst(), "uplink");
      // scheduled from this (non-I/O) thread: the PULL_RESP goes out without any further read
      server.scheduleDownlink(joinAccept(up)).join();
      PullResp resp = gw.await(PullResp.class, WAIT).orElseThrow();
      assertThat(resp.txpk().tmst()).isEqualTo(6_000_000L);
    }
  }

  @ParameterizedTest
  @EnumSource(value = UdpTransport.class, names = {"EPOLL", "NIO"})
  void everyDatagramOfABurstIsAcknowledged(UdpTransport transport) {
    assumeTrue(transport != UdpTransport.EPOLL || DatagramTransport.epollAvailable(),
        "native epoll unavailable");
    int burst = 150;
    server = builder(config(transport).withRateLimit(1000, 1000)).build();
    server.start();
    try (SemtechUdpClient gw = new SemtechUdpClient(server.localAddress())) {
      // back to back, without waiting: the first connects the gateway (acknowledged from the
      // executor), the rest are read in batches and acknowledged when each read completes
      for (int token = 0; token < burst; token++) {
        gw.send(token % 3 == 0 ? new PullData(2, token, GW_EUI)
            : new PushData(2, token, GW_EUI, List.of(), Optional.empty()));
      }
      Set<Integer> acknowledged = new HashSet<>();
      while (acknowledged.size() < burst) {
        SemtechPacket ack = gw.receive(WAIT).orElseThrow(() -> new AssertionError(
            "acknowledgements missing after " + acknowledged.size()));
        acknowledged.add(ack instanceof PushAck p ? p.token() : ((PullAck) ack).token());
      }
      assertThat(acknowledged).hasSize(burst);
    }
  }

  @Test
  void autoPicksEpollWhereAvailable() {
    server = builder(config(UdpTransport.AUTO)).build();
    assertThat(server.udpTransport()).isEqualTo(
        DatagramTransport.epollAvailable() ? UdpTransport.EPOLL : UdpTransport.NIO);
  }

  @Test
  void aSuppliedGroupDecidesTheTransportAndMustMatchAForcedOne() {
    EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      assertThat(builder(config(UdpTransport.AUTO)).eventLoopGroup(nio).build().udpTransport())
          .isEqualTo(UdpTransport.NIO);
      assumeTrue(DatagramTransport.epollAvailable(), "native epoll unavailable");
      assertThatThrownBy(() -> builder(config(UdpTransport.EPOLL)).eventLoopGroup(nio).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("runs NIO");
    } finally {
      nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void configRejectsAMissingTransportAndCopiesKeepIt() {
    GatewayServerConfig nio = config(UdpTransport.NIO);
    assertThat(nio.withRateLimit(10, 20).withAutoAccept(true, "EU_863_870_TTN")
        .withConnectionIdleTimeout(java.time.Duration.ofMinutes(1))
        .withDownlinkGuardMargin(java.time.Duration.ZERO).withBind("0.0.0.0", 1)
        .udpTransport()).isEqualTo(UdpTransport.NIO);
    assertThat(GatewayServerConfig.defaults().udpTransport()).isEqualTo(UdpTransport.AUTO);
    assertThatThrownBy(() -> nio.withUdpTransport(null)).isInstanceOf(NullPointerException.class);
  }
}
