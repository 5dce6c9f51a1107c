package dev.loralab.gatewayserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import dev.loralab.api.ApiException;
import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.DownlinkPath;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.GatewayUplinkMessage;
import dev.loralab.api.v3.ScheduleDownlinkResponse;
import dev.loralab.api.v3.TxAcknowledgment;
import dev.loralab.api.v3.TxRequest;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.events.Event;
import dev.loralab.events.testing.RecordingEventBus;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.gatewayserver.udp.Rxpk;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullAck;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullData;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullResp;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushAck;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.gatewayserver.udp.SemtechPacket.TxAck;
import dev.loralab.gatewayserver.udp.SemtechUdpClient;
import dev.loralab.gatewayserver.udp.SemtechUdpCodec;
import dev.loralab.gatewayserver.udp.Stat;
import dev.loralab.gatewayserver.udp.TxpkAck;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Gateway Server against test gateways over real loopback UDP. */
class GatewayServerUdpTest {

  static final Eui64 GW_EUI = Eui64.parse("B827EBFFFE8DB887");
  static final GatewayIdentifiers GW_IDS = GatewayIdentifiers.newBuilder().setGatewayId("gw2")
      .setEui(GW_EUI.toString()).build();
  /** Join-request: MHDR 00, JoinEUI 0, DevEUI 70B3D57ED0050EAD, DevNonce AF7C (LE), MIC. */
  static final Bytes JOIN_REQUEST = Bytes.parse(
      "00" + "0000000000000000" + "AD0E05D07ED5B370" + "7CAF" + "01020304");
  static final Duration WAIT = Duration.ofSeconds(30);

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final RecordingEventBus events = new RecordingEventBus();
  final RecordingNetworkServer ns = new RecordingNetworkServer();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  ExecutorService executor;
  GatewayServer server;

  @BeforeEach
  void start() {
    start(GatewayServerConfig.defaults().withBind("127.0.0.1", 0));
  }

  void start(GatewayServerConfig config) {
    if (server != null) {
      server.close();
    }
    executor = executor != null ? executor : Executors.newFixedThreadPool(2);
    server = GatewayServer.builder()
        .config(config)
        .directory(eui -> Optional.ofNullable(Map.of(GW_EUI,
            RegisteredGateway.of(GW_IDS, "EU_863_870_TTN")).get(eui)))
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

  @AfterEach
  void stop() throws InterruptedException {
    server.close();
    executor.shutdown();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }

  SemtechUdpClient gateway() {
    return new SemtechUdpClient(server.localAddress());
  }

  static PushData joinRequestPush(int version, int token, long tmst) {
    Rxpk rxpk = Rxpk.lora(tmst, 868_100_000, 7, 125_000, -35, 5.5, JOIN_REQUEST);
    return new PushData(version, token, GW_EUI, List.of(rxpk), Optional.of(
        Stat.counters("2026-01-01 00:00:00 GMT", 1, 1, 1, 100.0, 0, 0)));
  }

  double dropped(String reason) {
    return meters.get("loralab.gs.udp.drops").tag("reason", reason).counter().count();
  }

  @Test
  void v2PushAndPullAreAcknowledgedWithTheirTokens() {
    try (SemtechUdpClient gw = gateway()) {
      gw.send(new PullData(2, 0x1234, GW_EUI));
      assertThat(gw.await(PullAck.class, WAIT)).contains(new PullAck(2, 0x1234));
      gw.send(joinRequestPush(2, 0xBEEF, 1_000_000));
      assertThat(gw.await(PushAck.class, WAIT)).contains(new PushAck(2, 0xBEEF));
    }
    UplinkMessage up = Polling.await(() -> ns.uplinks.stream().findFirst(), "uplink at the NS");
    assertThat(up.getPayload().getJoinRequestPayload().getDevEui()).isEqualTo("70B3D57ED0050EAD");
    assertThat(up.getPayload().getJoinRequestPayload().getDevNonce()).isEqualTo("AF7C");
    assertThat(up.getRxMetadata(0).getGatewayIds()).isEqualTo(GW_IDS);
    assertThat(up.getSettings().getFrequency()).isEqualTo(868_100_000L);
    assertThat(up.getCorrelationIdsList()).hasSize(3);
    assertThat(up.getCorrelationIdsList().get(0)).startsWith("gs:conn:");
    assertThat(up.getCorrelationIdsList()).contains(server.upHostCorrelationId());
    assertThat(up.getCorrelationIdsList().get(2)).startsWith("gs:uplink:");

    Event receive = events.await("gs.up.receive");
    assertThat(receive.identifiers().get(0).getGatewayIds()).isEqualTo(GW_IDS);
    assertThat(receive.correlationIds().asList()).hasSize(2);
    assertThat(receive.data()).isInstanceOf(GatewayUplinkMessage.class);
    assertThat(((GatewayUplinkMessage) receive.data()).getBandId()).isEqualTo("EU_863_870");
    String json = receive.toJson();
    assertThat(json).contains("\"join_request_payload\"", "\"dev_eui\":\"70B3D57ED0050EAD\"",
        "\"dev_nonce\":\"AF7C\"", "\"eui\":\"B827EBFFFE8DB887\"",
        "type.googleapis.com/ttn.lorawan.v3.GatewayUplinkMessage");
    Event forward = events.await("gs.up.forward");
    assertThat(forward.toJson()).contains("\"value\":\"cluster\"");
    assertThat(forward.correlationIds().asList()).containsAll(up.getCorrelationIdsList());
    events.await("gs.gateway.connect");
    events.await("gs.status.receive");
    assertThat(server.connection(GW_EUI).orElseThrow().protocolVersion()).isEqualTo(2);
  }

  @Test
  void oneUplinkPerAntennaSignal() {
    Rxpk twoAntennas = new Rxpk(null, null, 5_000_000, null, 868_300_000, 1, 0, 0, 1,
        dev.loralab.gatewayserver.udp.Modulation.LORA,
        new dev.loralab.gatewayserver.udp.Datr.LoRa(9, 125_000), "4/5", -40.0, null, 7.0, null,
        null, null, null, List.of(dev.loralab.gatewayserver.udp.Rsig.of(0, -40, 7.0),
            dev.loralab.gatewayserver.udp.Rsig.of(1, -52, 1.5)), JOIN_REQUEST);
    try (SemtechUdpClient gw = gateway()) {
      gw.send(new PushData(2, 9, GW_EUI, List.of(twoAntennas), Optional.empty()));
      assertThat(gw.await(PushAck.class, WAIT)).contains(new PushAck(2, 9));
    }
    Polling.await(() -> ns.uplinks.size() >= 2 ? Optional.of(true) : Optional.empty(),
        "two uplinks");
    assertThat(ns.uplinks).extracting(u -> u.getRxMetadata(0).getAntennaIndex())
        .containsExactlyInAnyOrder(0, 1);
    assertThat(ns.uplinks).extracting(u -> u.getRxMetadata(0).getSnr())
        .containsExactlyInAnyOrder(7.0f, 1.5f);
    assertThat(ns.uplinks).extracting(u -> u.getCorrelationIdsList().get(2)).doesNotHaveDuplicates();
    UplinkToken token = UplinkToken.parse(
        ns.uplinks.get(1).getRxMetadata(0).getUplinkToken().toByteArray());
    assertThat(token.tmst()).isEqualTo(5_000_000L);
    assertThat(token.uplinkFrequencyHz()).isEqualTo(868_300_000L);
  }

  @Test
  void v1GatewaysGetV1AcksAndTokenlessPullResp() {
    try (SemtechUdpClient gw = gateway()) {
      gw.send(new PullData(1, 0x0102, GW_EUI));
      assertThat(gw.await(PullAck.class, WAIT)).contains(new PullAck(1, 0x0102));
      gw.send(joinRequestPush(1, 0x0304, 2_000_000));
      assertThat(gw.await(PushAck.class, WAIT)).contains(new PushAck(1, 0x0304));
      UplinkMessage up = Polling.await(() -> ns.uplinks.stream().findFirst(), "uplink");
      // v1 forwarders have no queue: the PULL_RESP is held until 800 ms before RX1.
      ScheduleDownlinkResponse res = server.scheduleDownlink(joinAccept(up, 1)).join();
      assertThat(res.getRx1()).isTrue();
      PullResp resp = gw.await(PullResp.class, WAIT).orElseThrow();
      assertThat(resp.version()).isEqualTo(1);
      assertThat(resp.token()).isZero();
      assertThat(resp.txpk().tmst()).isEqualTo(3_000_000L); // 2 s + RECEIVE_DELAY1 1 s
    }
  }

  static DownlinkMessage joinAccept(UplinkMessage up) {
    return joinAccept(up, 5);
  }

  static DownlinkMessage joinAccept(UplinkMessage up, int rx1DelaySeconds) {
    return DownlinkMessage.newBuilder()
        .setRawPayload(ByteString.copyFrom(new byte[17]))
        .addAllCorrelationIds(up.getCorrelationIdsList())
        .setRequest(TxRequest.newBuilder()
            .addDownlinkPaths(DownlinkPath.newBuilder()
                .setUplinkToken(up.getRxMetadata(0).getUplinkToken()))
            .setRx1Delay(rx1DelaySeconds)
            .setFrequencyPlanId("EU_863_870_TTN"))
        .build();
  }

  @Test
  void downlinkGoesToTheLatestPullDataAddressAndTxAckClosesTheLoop() {
    try (SemtechUdpClient up = gateway(); SemtechUdpClient down1 = gateway();
        SemtechUdpClient down2 = gateway()) {
      down1.send(new PullData(2, 1, GW_EUI));
      assertThat(down1.await(PullAck.class, WAIT)).isPresent();
      down2.send(new PullData(2, 2, GW_EUI)); // NAT rebinding: a new source port
      assertThat(down2.await(PullAck.class, WAIT)).isPresent();
      up.send(joinRequestPush(2, 3, 10_000_000));
      assertThat(up.await(PushAck.class, WAIT)).isPresent();
      UplinkMessage uplink = Polling.await(() -> ns.uplinks.stream().findFirst(), "uplink");

      ScheduleDownlinkResponse res = server.scheduleDownlink(joinAccept(uplink)).join();
      assertThat(res.getRx1()).isTrue();
      assertThat(res.getDelay().getSeconds()).isEqualTo(5);
      // the seed's ns.down.join.schedule.success: downlink_path.fixed.gateway_ids {gateway_id, eui}
      assertThat(res.getDownlinkPath().getFixed().getGatewayIds().getEui()).isEqualTo(GW_EUI.toString());
      assertThat(res.getDownlinkPath().getFixed().getGatewayIds().getGatewayId()).isNotEmpty();
      PullResp resp = down2.await(PullResp.class, WAIT).orElseThrow();
      assertThat(resp.version()).isEqualTo(2);
      assertThat(resp.txpk().tmst()).isEqualTo(15_000_000L);
      assertThat(resp.txpk().frequencyHz()).isEqualTo(868_100_000L);
      assertThat(resp.txpk().ipol()).isTrue();
      // Nothing went to the old address: the next datagram down1 gets is the PUSH_ACK of a
      // PUSH_DATA it sends now (the server answers one socket's datagrams in order), instead of
      // waiting a fixed time for an absence.
      down1.send(new PushData(2, 5, GW_EUI, List.of(), Optional.empty()));
      assertThat(down1.receive(WAIT)).contains(new PushAck(2, 5));
      events.await("gs.down.schedule.attempt");
      events.await("gs.down.send");

      clock.advance(Duration.ofMillis(30));
      down2.send(new TxAck(2, resp.token(), GW_EUI, Optional.empty()));
      Event success = events.await("gs.down.tx.success");
      assertThat(success.correlationIds().asList())
          .containsAll(uplink.getCorrelationIdsList())
          .anyMatch(id -> id.startsWith("rpc:/ttn.lorawan.v3.NsGs/ScheduleDownlink:"));
      events.await("gs.txack.receive");
      var ack = Polling.await(() -> ns.txAcks.stream().findFirst(), "tx ack at the NS");
      assertThat(ack.getTxAck().getResult()).isEqualTo(TxAcknowledgment.Result.SUCCESS);
      assertThat(ack.getGatewayIds()).isEqualTo(GW_IDS);
      Polling.await(() -> server.connection(GW_EUI).orElseThrow().roundTrip(), "rtt");
      assertThat(server.connection(GW_EUI).orElseThrow().roundTrip())
          .contains(Duration.ofMillis(30));
      // The same connection as The Things Stack's GatewayConnectionStats, by EUI and by ID.
      dev.loralab.api.v3.GatewayConnectionStats stats =
          server.connectionStats(GW_EUI).orElseThrow();
      assertThat(server.connectionStats("gw2")).contains(stats);
      assertThat(server.connectionStats("gw9")).isEmpty();
      assertThat(stats.getProtocol()).isEqualTo("udp");
      assertThat(stats.getConnectedAt().getSeconds())
          .isEqualTo(Instant.parse("2026-01-01T00:00:00Z").getEpochSecond());
      assertThat(stats.getUplinkCount()).isEqualTo(1);
      assertThat(stats.getDownlinkCount()).isEqualTo(1);
      assertThat(stats.hasLastUplinkReceivedAt()).isTrue();
      assertThat(stats.hasLastDownlinkReceivedAt()).isTrue();
      assertThat(stats.hasLastStatusReceivedAt()).isTrue();
      assertThat(stats.getLastStatus().getMetricsMap()).containsKey("rxok");
      assertThat(stats.getRoundTripTimes().getCount()).isEqualTo(1);
      assertThat(stats.getRoundTripTimes().getMin().getNanos()).isEqualTo(30_000_000);
      assertThat(stats.getRoundTripTimes().getMedian()).isEqualTo(stats.getRoundTripTimes().getMin());
      assertThat(stats.getRoundTripTimes().getMax()).isEqualTo(stats.getRoundTripTimes().getMin());

      // A failing TX_ACK: gs.down.tx.fail; an unmatched one is dropped and counted.
      clock.advance(Duration.ofSeconds(20));
      up.send(joinRequestPush(2, 4, 40_000_000));
      assertThat(up.await(PushAck.class, WAIT)).isPresent();
      UplinkMessage second = Polling.await(() -> ns.uplinks.stream().skip(1).findFirst(),
          "second uplink");
      server.scheduleDownlink(joinAccept(second)).join();
      PullResp resp2 = down2.await(PullResp.class, WAIT).orElseThrow();
      down2.send(new TxAck(2, resp2.token(), GW_EUI, Optional.of(TxpkAck.error("TOO_LATE"))));
      Event fail = events.await("gs.down.tx.fail");
      assertThat(((TxAcknowledgment) fail.data()).getResult())
          .isEqualTo(TxAcknowledgment.Result.TOO_LATE);
      down2.send(new TxAck(2, resp2.token(), GW_EUI, Optional.empty()));
      Polling.await(() -> dropped("unmatched_tx_ack") >= 1 ? Optional.of(true) : Optional.empty(),
          "unmatched TX_ACK counted");
    }
  }

  @Test
  void refusalEndsUpInTheEventAndTheResponse() {
    try (SemtechUdpClient gw = gateway()) {
      gw.send(new PullData(2, 1, GW_EUI));
      assertThat(gw.await(PullAck.class, WAIT)).isPresent();
      gw.send(joinRequestPush(2, 2, 1_000_000));
      UplinkMessage up = Polling.await(() -> ns.uplinks.stream().findFirst(), "uplink");
      clock.advance(Duration.ofSeconds(7)); // both RX1 (5 s) and RX2 (6 s) are in the past
      assertThatThrownBy(() -> server.scheduleDownlink(joinAccept(up)).join())
          .hasCauseInstanceOf(ApiException.class)
          .hasMessageContaining("too_late");
      Event fail = events.await("gs.down.schedule.fail");
      assertThat(fail.data().toString()).contains("too_late");
    }
  }

  /**
   * NsGs.checkDownlink: the same answer as scheduling, but nothing sent, reserved or published;
   * refusals are counted with scheduling's.
   */
  @Test
  void checkAnswersLikeSchedulingWithoutSendingReservingOrPublishing() {
    try (SemtechUdpClient gw = gateway()) {
      gw.send(new PullData(2, 1, GW_EUI));
      assertThat(gw.await(PullAck.class, WAIT)).isPresent();
      gw.send(joinRequestPush(2, 2, 1_000_000));
      assertThat(gw.await(PushAck.class, WAIT)).isPresent();
      UplinkMessage up = Polling.await(() -> ns.uplinks.stream().findFirst(), "uplink");
      DownlinkMessage rx1Only = joinAccept(up).toBuilder().setRequest(joinAccept(up).getRequest()
          .toBuilder().setAdvanced(com.google.protobuf.Struct.newBuilder().putFields("windows",
              com.google.protobuf.Value.newBuilder().setStringValue("rx1").build()))).build();

      server.checkDownlink(rx1Only).join();
      server.checkDownlink(rx1Only).join(); // the first check kept nothing
      assertThat(events.has("gs.down.schedule.attempt")).isFalse();
      // nothing was sent: the next datagram the gateway gets is the PUSH_ACK of this PUSH_DATA
      gw.send(new PushData(2, 3, GW_EUI, List.of(), Optional.empty()));
      assertThat(gw.receive(WAIT)).contains(new PushAck(2, 3));
      assertThat(meters.get("loralab.gs.downlink.checks").counter().count()).isEqualTo(2);

      assertThat(server.scheduleDownlink(rx1Only).join().getRx1()).isTrue();
      assertThat(gw.await(PullResp.class, WAIT)).isPresent();
      // now RX1 is taken: check and scheduling refuse it alike
      Throwable checked = catchThrowable(() -> server.checkDownlink(rx1Only).join()).getCause();
      assertThat(events.count("gs.down.schedule.fail")).isZero();
      Throwable scheduled = catchThrowable(() -> server.scheduleDownlink(rx1Only).join())
          .getCause();
      assertThat(checked).isInstanceOf(ApiException.class).hasMessageContaining("conflict");
      assertThat(((ApiException) checked).code()).isEqualTo(((ApiException) scheduled).code());
      assertThat(checked.getMessage()).isEqualTo(scheduled.getMessage());
      assertThat(events.count("gs.down.schedule.fail")).isEqualTo(1);
      assertThat(meters.get("loralab.gs.downlink.refusals").tag("reason", "conflict").counter()
          .count()).isEqualTo(2);

      clock.advance(Duration.ofSeconds(7)); // both windows have passed
      assertThatThrownBy(() -> server.checkDownlink(joinAccept(up)).join())
          .hasCauseInstanceOf(ApiException.class)
          .hasMessageContaining("too_late");
    }
  }

  @Test
  void malformedUplinkTokenIsInvalidArgument() {
    DownlinkMessage down = DownlinkMessage.newBuilder()
        .setRawPayload(ByteString.copyFrom(new byte[17]))
        .setRequest(TxRequest.newBuilder().addDownlinkPaths(DownlinkPath.newBuilder()
            .setUplinkToken(ByteString.copyFrom(new byte[] {1, 2, 3}))).setRx1Delay(1))
        .build();
    assertThatThrownBy(() -> server.scheduleDownlink(down).join())
        .hasCauseInstanceOf(ApiException.class)
        .cause().satisfies(e -> assertThat(((ApiException) e).code())
            .isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void unknownGatewaysAreDroppedAndCounted() {
    Eui64 stranger = Eui64.parse("0000000000000BAD");
    try (SemtechUdpClient gw = gateway()) {
      gw.send(new PullData(2, 7, stranger));
      Polling.await(() -> dropped("unknown_gateway") >= 1 ? Optional.of(true) : Optional.empty(),
          "unknown gateway counted");
      // ... and a registered gateway is still served; its PULL_ACK is the first datagram this
      // socket gets, so the stranger got no answer (no fixed wait for an absence)
      gw.send(new PullData(2, 8, GW_EUI));
      assertThat(gw.receive(WAIT)).contains(new PullAck(2, 8));
    }
    assertThat(server.connection(stranger)).isEmpty();
  }

  @Test
  void autoAcceptConnectsUnknownGatewaysOnTheDefaultPlan() {
    start(GatewayServerConfig.defaults().withBind("127.0.0.1", 0)
        .withAutoAccept(true, "US_902_928_FSB_2"));
    Eui64 lab = Eui64.parse("00000000000000AB");
    try (SemtechUdpClient gw = gateway()) {
      gw.send(new PullData(2, 7, lab));
      assertThat(gw.await(PullAck.class, WAIT)).isPresent();
    }
    GatewayConnectionInfo info = server.connection(lab).orElseThrow();
    assertThat(info.frequencyPlanId()).isEqualTo("US_902_928_FSB_2");
    assertThat(info.ids().getGatewayId()).isEqualTo("eui-00000000000000ab");
  }

  @Test
  void badDatagramsAreDroppedPerReasonAndOthersKeepBeingServed() {
    try (SemtechUdpClient gw = gateway()) {
      gw.sendRaw(new byte[] {2, 0});                                         // truncated
      gw.sendRaw(new byte[] {9, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8});          // wrong version
      gw.sendRaw(new byte[] {2, 0, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8});          // unknown type
      byte[] badJson = new SemtechUdpCodec().encode(joinRequestPush(2, 1, 1));
      badJson[12] = '[';
      gw.sendRaw(badJson);                                                   // invalid JSON
      gw.sendRaw(new byte[20_000]);                                          // oversized (> 16 KiB)
      gw.send(new PullAck(2, 1));                                            // wrong direction
      gw.send(new PullData(2, 99, GW_EUI));
      assertThat(gw.await(PullAck.class, WAIT)).contains(new PullAck(2, 99));
    }
    for (String reason : List.of("truncated", "unsupported_version", "unknown_type",
        "invalid_json", "oversized", "unexpected_type")) {
      Polling.await(() -> dropped(reason) >= 1 ? Optional.of(true) : Optional.empty(), reason);
    }
  }

  @Test
  void aFloodFromOneAddressDoesNotStarveOtherGateways() {
    start(GatewayServerConfig.defaults().withBind("0.0.0.0", 0).withRateLimit(1, 20));
    try (SemtechUdpClient flooder = new SemtechUdpClient("127.0.0.1",
        new java.net.InetSocketAddress("127.0.0.1", server.localAddress().getPort()),
        new SemtechUdpCodec());
        SemtechUdpClient victim = new SemtechUdpClient("127.0.0.2",
            new java.net.InetSocketAddress("127.0.0.1", server.localAddress().getPort()),
            new SemtechUdpCodec())) {
      for (int i = 0; i < 200; i++) {
        flooder.send(new PullData(2, i, GW_EUI));
      }
      // The clock does not move, so the flooder's bucket never refills once it is empty.
      Polling.await(() -> dropped("rate_limited") >= 1 ? Optional.of(true) : Optional.empty(),
          "rate-limited drops");
      // Resent until answered: the kernel may drop a datagram while the flood drains.
      PullAck ack = Polling.await(() -> {
        victim.send(new PullData(2, 4242, GW_EUI));
        return victim.await(PullAck.class, Duration.ofMillis(500));
      }, "PULL_ACK for the other gateway");
      assertThat(ack).isEqualTo(new PullAck(2, 4242));
      double before = dropped("rate_limited");
      Polling.await(() -> {
        flooder.send(new PullData(2, 4343, GW_EUI));
        return dropped("rate_limited") > before ? Optional.of(true) : Optional.empty();
      }, "the flooder's next datagram rate-limited");
    }
  }

  @Test
  void idleConnectionsExpire() {
    try (SemtechUdpClient gw = gateway()) {
      gw.send(new PullData(2, 1, GW_EUI));
      assertThat(gw.await(PullAck.class, WAIT)).isPresent();
    }
    assertThat(server.connection(GW_EUI)).isPresent();
    clock.advance(Duration.ofMinutes(4));
    server.housekeeping();
    assertThat(server.connection(GW_EUI)).isEmpty();
    events.await("gs.gateway.disconnect");
  }
}
