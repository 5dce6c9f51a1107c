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
import dev.loralab.gatewayserver.udp.SemtechUdpCodec;
import dev.loralab.gatewayserver.udp.SemtechUdpLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.stream.Stream;
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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same UDP round trips on each transport ({@link GatewayServerUdpTest} runs on the default,
 * AUTO); the epoll case is skipped where native epoll is unavailable.
 */
class GatewayServerTransportTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final RecordingNetworkServer ns = new RecordingNetworkServer();
  final ExecutorService executor = Executors.newFixedThreadPool(2);
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  GatewayServer server;

  GatewayServer.Builder builder(GatewayServerConfig config) {
    return GatewayServer.builder()
        .config(config)
        .directory(eui -> Optional.ofNullable(Map.of(GW_EUI,
            RegisteredGateway.of(GW_IDS, "EU_863_870_TTN")).get(eui)))
        .frequencyPlans(FrequencyPlanStore.builtIn())
        .networkServer(ns)
        .events(new RecordingEventBus())
        .meterRegistry(meters)
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
      // the sender as the gateway sees itself: IPv4, also on epoll's dual-stack socket
      assertThat(server.connection(GW_EUI).orElseThrow().downlinkAddress())
          .contains(gw.localAddress());
      assertThat(server.connection(GW_EUI).orElseThrow().downlinkAddress().orElseThrow()
          .getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      gw.send(joinRequestPush(2, 0xBEEF, 1_000_000));
      assertThat(gw.await(PushAck.class, WAIT)).contains(new PushAck(2, 0xBEEF));
      UplinkMessage up = Polling.await(() -> ns.uplinks.stream().findFirst(), "uplink");
      // scheduled from this (non-I/O) thread: the PULL_RESP goes out without any further read
      server.scheduleDownlink(joinAccept(up)).join();
      PullResp resp = gw.await(PullResp.class, WAIT).orElseThrow();
      assertThat(resp.txpk().tmst()).isEqualTo(6_000_000L);
    }
  }

  /** Each transport, epoll with one datagram per read and with several (recvmmsg). */
  static Stream<Arguments> reads() {
    return Stream.of(Arguments.of(UdpTransport.EPOLL, 1), Arguments.of(UdpTransport.EPOLL, 8),
        Arguments.of(UdpTransport.EPOLL, 64), Arguments.of(UdpTransport.NIO, 8));
  }

  @ParameterizedTest
  @MethodSource("reads")
  void everyDatagramOfABurstIsAcknowledged(UdpTransport transport, int perRead) {
    assumeTrue(transport != UdpTransport.EPOLL || DatagramTransport.epollAvailable(),
        "native epoll unavailable");
    int burst = 64; // within a default 208 KiB socket receive buffer
    server = builder(config(transport).withRateLimit(1000, 1000)
        .withUdpDatagramsPerRead(perRead)).build();
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

  @ParameterizedTest
  @MethodSource("reads")
  void aBurstOfUplinksReachesTheNetworkServerInOrder(UdpTransport transport, int perRead) {
    assumeTrue(transport != UdpTransport.EPOLL || DatagramTransport.epollAvailable(),
        "native epoll unavailable");
    int burst = 64; // within a default 208 KiB socket receive buffer
    server = builder(config(transport).withRateLimit(1000, 1000)
        .withUdpDatagramsPerRead(perRead)).build();
    server.start();
    try (SemtechUdpClient gw = new SemtechUdpClient(server.localAddress())) {
      gw.send(new PullData(2, 1, GW_EUI)); // connect first: the rest is read in batches
      assertThat(gw.await(PullAck.class, WAIT)).isPresent();
      for (int i = 0; i < burst; i++) {
        gw.send(joinRequestPush(2, i, 1_000_000L + i));
      }
      Polling.await(() -> ns.uplinks.size() >= burst ? Optional.of(true) : Optional.empty(),
          burst + " uplinks");
    }
    // one gateway's uplinks are processed serially, in the order they were received
    assertThat(ns.uplinks).extracting(u -> u.getSettings().getTimestamp())
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, burst)
            .mapToObj(i -> 1_000_000 + i).toList());
  }

  /** {@code encoded} (a PUSH_DATA) with spaces after the body's opening brace, to {@code length}. */
  static byte[] padded(byte[] encoded, int length) {
    assertThat(encoded[12]).isEqualTo((byte) '{');
    byte[] out = new byte[length];
    java.util.Arrays.fill(out, (byte) ' ');
    System.arraycopy(encoded, 0, out, 0, 13);
    System.arraycopy(encoded, 13, out, length - (encoded.length - 13), encoded.length - 13);
    return out;
  }

  @ParameterizedTest
  @MethodSource("reads")
  void datagramsUpToTheLimitAreReadWholeAndLargerOnesDroppedInTheSameBatch(
      UdpTransport transport, int perRead) {
    assumeTrue(transport != UdpTransport.EPOLL || DatagramTransport.epollAvailable(),
        "native epoll unavailable");
    int max = 600;
    SemtechUdpLimits limits = new SemtechUdpLimits(max, 8, 4, 8);
    GatewayServerConfig d = config(transport).withRateLimit(1000, 1000)
        .withUdpDatagramsPerRead(perRead);
    server = builder(new GatewayServerConfig(d.bindHost(), d.port(), limits,
        d.connectionIdleTimeout(), d.perAddressRate(), d.perAddressBurst(),
        d.scheduleAheadMargin(), d.gatewayQueueMargin(), d.maxScheduleAhead(),
        d.lateScheduleLead(), d.autoAcceptUnknownGateways(), d.defaultFrequencyPlanId(),
        d.enforceDutyCycle(), d.dutyCycleWindow(), d.logInterval(), d.housekeepingInterval(),
        d.udpReceiveBufferBytes(), d.downlinkGuardMargin(), d.udpTransport(),
        d.udpDatagramsPerRead())).build();
    server.start();
    SemtechUdpCodec codec = new SemtechUdpCodec(limits);
    try (SemtechUdpClient gw = new SemtechUdpClient(server.localAddress())) {
      gw.send(new PullData(2, 1, GW_EUI)); // connect first: the rest is read in batches
      assertThat(gw.await(PullAck.class, WAIT)).contains(new PullAck(2, 1));
      for (int token = 10; token < 30; token++) {
        byte[] push = codec.encode(new PushData(2, token, GW_EUI, List.of(), Optional.empty()));
        int length = switch (token % 4) {
          case 0 -> max;          // exactly the limit: accepted
          case 1 -> max + 1;      // one byte over: oversized
          case 2 -> 5_000;        // far over (truncated to a slot): oversized
          default -> push.length; // small
        };
        gw.sendRaw(padded(push, length));
      }
      Set<Integer> acknowledged = new HashSet<>();
      while (acknowledged.size() < 10) {
        acknowledged.add(gw.await(PushAck.class, WAIT).orElseThrow().token());
      }
      // the next datagram answered is this PULL_DATA's: no other acknowledgement was pending
      gw.send(new PullData(2, 2, GW_EUI));
      assertThat(gw.receive(WAIT)).contains(new PullAck(2, 2));
      assertThat(acknowledged).allMatch(t -> t % 4 == 0 || t % 4 == 3).hasSize(10);
    }
    assertThat(meters.get("loralab.gs.udp.drops").tag("reason", "oversized").counter().count())
        .isEqualTo(10.0);
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
    assertThat(nio.withUdpDatagramsPerRead(32).withBind("0.0.0.0", 1).udpDatagramsPerRead())
        .isEqualTo(32);
    assertThat(GatewayServerConfig.defaults().udpDatagramsPerRead())
        .isEqualTo(GatewayServerConfig.DEFAULT_DATAGRAMS_PER_READ);
    assertThatThrownBy(() -> nio.withUdpDatagramsPerRead(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 0");
    assertThatThrownBy(() -> nio.withUdpDatagramsPerRead(1025))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 1025");
  }
}
