package dev.loralab.simulator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import dev.loralab.simulator.VirtualScheduler;
import dev.loralab.simulator.radio.Medium;
import dev.loralab.simulator.radio.Position;
import dev.loralab.simulator.radio.RadioNode;
import dev.loralab.simulator.radio.RadioParameters;
import dev.loralab.simulator.radio.Reception;
import dev.loralab.simulator.radio.Transmission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedGatewayTest {

  private static final Eui64 EUI = Eui64.parse("0016C001FF10A235");
  private final SemtechUdpCodec codec = new SemtechUdpCodec();
  private final List<SemtechPacket> sent = new ArrayList<>();
  private final List<Transmission> onAir = new ArrayList<>();
  private VirtualScheduler scheduler;
  private Medium medium;

  @BeforeEach
  void setUp() {
    scheduler = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    medium = new Medium(RadioParameters.defaults(), 1);
  }

  private SimulatedGateway gateway(int version) {
    GatewayConfig cfg = new GatewayConfig(EUI, Position.ORIGIN, 52.0, 4.0, 10, version, Duration.ofSeconds(5),
        Duration.ofSeconds(30), 32);
    SimulatedGateway gw = new SimulatedGateway(cfg, scheduler, medium, codec, new SplittableRandom(3), onAir::add);
    gw.start(new GatewayLink() {
      @Override
      public void send(byte[] datagram) {
        sent.add(codec.decode(datagram));
      }

      @Override
      public void close() {}
    });
    return gw;
  }

  private static TxPacket tx(long tmst) {
    return new TxPacket(false, OptionalLong.of(tmst), 868_100_000L, 0, 14, new LoRaDataRate(7, 125_000), "4/5", true,
        true, Bytes.parse("60040302010000000102030405"));
  }

  private TxAckError pullResp(SimulatedGateway gw, TxPacket tx, int token) {
    gw.onDatagram(codec.encode(new SemtechPacket.PullResp(gw.config().protocolVersion(), token, tx)));
    SemtechPacket last = sent.get(sent.size() - 1);
    assertThat(last).isInstanceOf(SemtechPacket.TxAck.class);
    SemtechPacket.TxAck ack = (SemtechPacket.TxAck) last;
    assertThat(ack.token()).isEqualTo(token);
    assertThat(ack.gatewayEui()).isEqualTo(EUI);
    return ack.error();
  }

  @Test
  void sendsPullDataEveryFiveSecondsAndStatusEveryThirtySeconds() {
    gateway(2);
    scheduler.runUntil(Duration.ofSeconds(60).toNanos());
    assertThat(sent).filteredOn(p -> p instanceof SemtechPacket.PullData).hasSize(13);
    List<SemtechPacket.PushData> stats = sent.stream().filter(p -> p instanceof SemtechPacket.PushData)
        .map(p -> (SemtechPacket.PushData) p).toList();
    assertThat(stats).hasSize(2).allMatch(p -> p.stat().isPresent() && p.rxpk().isEmpty());
    assertThat(stats.get(0).stat().get().latitude()).isEqualTo(52.0);
  }

  @Test
  void countsAcknowledgementsMatchingTheLastToken() {
    SimulatedGateway gw = gateway(2);
    SemtechPacket.PullData pull = (SemtechPacket.PullData) sent.get(0);
    gw.onDatagram(codec.encode(new SemtechPacket.PullAck(2, pull.token())));
    gw.onDatagram(codec.encode(new SemtechPacket.PullAck(2, pull.token() ^ 1)));
    gw.onDatagram(codec.encode(new SemtechPacket.PullAck(1, pull.token()))); // other version: ignored
    gw.onDatagram(new byte[] {2, 0}); // malformed: dropped
    assertThat(gw.counters().pullAcks()).isEqualTo(1);
    assertThat(gw.counters().malformed()).isEqualTo(2);
  }

  @Test
  void forwardsHeardFramesWithItsCounterAtTheEndOfReception() {
    SimulatedGateway gw = gateway(2);
    scheduler.runUntil(2_000_000_000L);
    Transmission t = medium.transmit(RadioNode.device("d", new Position(100, 0)), 868_300_000L, 9, 125_000, 14,
        1_000_000_000L, 1_800_000_000L, Bytes.parse("400102030400010001AABBCCDD"));
    Reception r = medium.receive(t, gw.node());
    gw.onUplink(r, (Bytes) t.payload());
    SemtechPacket.PushData push = (SemtechPacket.PushData) sent.get(sent.size() - 1);
    RxPacket rx = push.rxpk().get(0);
    assertThat(rx.tmst()).isEqualTo(gw.counterAt(1_800_000_000L));
    assertThat(rx.frequencyHz()).isEqualTo(868_300_000L);
    assertThat(rx.dataRate()).isEqualTo(new LoRaDataRate(9, 125_000));
    assertThat(rx.rssi()).isEqualTo((int) Math.round(r.rssiDbm()));
    assertThat(rx.data()).isEqualTo(t.payload());
  }

  @Test
  void answersTxAckAsTheReferenceForwarder() {
    SimulatedGateway gw = gateway(2);
    long now = gw.counterAt(scheduler.nowNanos());
    assertThat(pullResp(gw, tx((now + 10_000) & 0xFFFF_FFFFL), 1)).isEqualTo(TxAckError.TOO_LATE);
    assertThat(pullResp(gw, tx((now + 32_500) & 0xFFFF_FFFFL), 2)).isEqualTo(TxAckError.TOO_LATE);
    assertThat(pullResp(gw, tx((now - 1_000_000) & 0xFFFF_FFFFL), 3)).isEqualTo(TxAckError.TOO_LATE);
    assertThat(pullResp(gw, tx((now + 513_000_000L) & 0xFFFF_FFFFL), 4)).isEqualTo(TxAckError.TOO_EARLY);
    assertThat(pullResp(gw, tx((now + 1_000_000) & 0xFFFF_FFFFL), 5)).isEqualTo(TxAckError.NONE);
    assertThat(pullResp(gw, tx((now + 1_010_000) & 0xFFFF_FFFFL), 6)).isEqualTo(TxAckError.COLLISION_PACKET);
    assertThat(pullResp(gw, tx((now + 2_000_000) & 0xFFFF_FFFFL), 7)).isEqualTo(TxAckError.NONE);
    scheduler.runUntil(3_000_000_000L);
    assertThat(onAir).hasSize(2);
    assertThat(onAir.get(0).startNanos()).isEqualTo(1_000_000_000L);
    assertThat(onAir.get(1).startNanos()).isEqualTo(2_000_000_000L);
    assertThat(gw.counters().tooLate()).isEqualTo(3);
    assertThat(gw.counters().downlinksSent()).isEqualTo(2);
  }

  @Test
  void theCounterWrapsAround32Bits() {
    SimulatedGateway gw = gateway(2);
    // find a time just before the wrap and schedule across it
    long toWrap = (1L << 32) - gw.counterAt(0); // µs until the counter wraps
    scheduler.runUntil((toWrap - 500_000) * 1000);
    long now = gw.counterAt(scheduler.nowNanos());
    long target = (now + 1_000_000) & 0xFFFF_FFFFL;
    assertThat(target).isLessThan(now);
    assertThat(pullResp(gw, tx(target), 9)).isEqualTo(TxAckError.NONE);
  }

  @Test
  void protocolVersionOneSendsNoTxAck() {
    SimulatedGateway gw = gateway(1);
    int before = sent.size();
    gw.onDatagram(codec.encode(new SemtechPacket.PullResp(1, 0,
        new TxPacket(true, OptionalLong.empty(), 869_525_000L, 0, 14, new LoRaDataRate(12, 125_000), "4/5", true,
            true, Bytes.parse("6004030201000000")))));
    assertThat(sent).hasSize(before);
    scheduler.runUntil(1_000_000_000L);
    assertThat(onAir).hasSize(1);
    assertThat(sent.get(0).version()).isEqualTo(1);
    assertThat(Optional.of(gw.counters().downlinksReceived())).contains(1L);
  }
}
