package dev.loralab.simulator.gateway;

import dev.loralab.frequencyplans.DataRate;
import dev.loralab.frequencyplans.TimeOnAir;
import dev.loralab.lorawan.Bytes;
import dev.loralab.simulator.SimScheduler;
import dev.loralab.simulator.radio.Medium;
import dev.loralab.simulator.radio.RadioNode;
import dev.loralab.simulator.radio.Reception;
import dev.loralab.simulator.radio.Transmission;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway behaving as the Semtech reference packet forwarder: PULL_DATA keepalives, PUSH_DATA
 * with {@code rxpk} for each frame the radio model lets it hear and a {@code stat} object every
 * stat interval, and PULL_RESP executed on its own free-running, wrapping 32-bit microsecond
 * counter with the reference JIT queue's TX_ACK answers.
 *
 * <p>Runs on the simulation thread: every method must be called from a task of the scheduler.
 */
public final class SimulatedGateway {

  /** PF {@code jitqueue.c}: TX_START_DELAY + TX_MARGIN_DELAY + TX_JIT_DELAY = 32.5 ms. */
  public static final long TOO_LATE_MICROS = 1_500 + 1_000 + 30_000;
  /** PF {@code jitqueue.h}: (3 beacons + 1) · 128 s = 512 s. */
  public static final long TOO_EARLY_MICROS = 512_000_000L;
  private static final long IMMEDIATE_DELAY_NANOS = 1_500_000;

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedGateway.class);

  private final GatewayConfig config;
  private final SimScheduler scheduler;
  private final Medium medium;
  private final SemtechUdpCodec codec;
  private final SplittableRandom random;
  private final Consumer<Transmission> downlinkSink;
  private final RadioNode node;
  private final long counterOffsetMicros;
  private final List<long[]> jitQueue = new ArrayList<>();
  private GatewayLink link;
  private boolean running;
  /** Tokens of upstream datagrams not acknowledged yet (the oldest are forgotten). */
  private final java.util.LinkedHashSet<Integer> pushTokens = new java.util.LinkedHashSet<>();
  private int lastPullToken = -1;
  private static final int MAX_OUTSTANDING_TOKENS = 64;
  // reference-forwarder counters
  private long rxnb;
  private long rxok;
  private long rxfw;
  private long pushSent;
  private long pushAcked;
  private long dwnb;
  private long txnb;
  private long pullAcks;
  private long malformed;
  private final long[] txAckCounts = new long[TxAckError.values().length];

  /**
   * @param config settings
   * @param scheduler the simulation scheduler
   * @param medium the radio model downlinks go through
   * @param codec the datagram codec
   * @param random seeds tokens and the counter's start value
   * @param downlinkSink told of every downlink put on the air, before it starts
   */
  public SimulatedGateway(GatewayConfig config, SimScheduler scheduler, Medium medium, SemtechUdpCodec codec,
      SplittableRandom random, Consumer<Transmission> downlinkSink) {
    this.config = config;
    this.scheduler = scheduler;
    this.medium = medium;
    this.codec = codec;
    this.random = random;
    this.downlinkSink = downlinkSink;
    this.node = RadioNode.gateway(config.eui().toString(), config.position());
    this.counterOffsetMicros = random.nextLong(1L << 32);
  }

  /** The gateway's settings. */
  public GatewayConfig config() {
    return config;
  }

  /** The gateway as a radio node. */
  public RadioNode node() {
    return node;
  }

  /** Connects the gateway and starts keepalives and status reports. */
  public void start(GatewayLink link) {
    this.link = link;
    running = true;
    keepalive();
    scheduler.schedule(config.statInterval(), this::status);
  }

  /** Stops sending; pending downlinks are dropped. */
  public void stop() {
    running = false;
  }

  /** The 32-bit concentrator counter at simulation time {@code nanos}. */
  public long counterAt(long nanos) {
    return (counterOffsetMicros + Math.floorDiv(nanos, 1000)) & 0xFFFF_FFFFL;
  }

  /**
   * Forwards a frame the radio model delivered to this gateway (called when reception ends).
   *
   * @param r the reception (outcome RECEIVED)
   * @param phy the PHYPayload
   */
  public void onUplink(Reception r, Bytes phy) {
    Transmission t = r.transmission();
    rxnb++;
    rxok++;
    if (!running) {
      return;
    }
    RxPacket rx = new RxPacket(Optional.of(scheduler.instant()), counterAt(t.endNanos()), t.frequencyHz(), 0, 0, 1,
        new LoRaDataRate(t.spreadingFactor(), t.bandwidthHz()), "4/5", (int) Math.round(r.rssiDbm()),
        Math.round(r.snrDb() * 10) / 10.0, phy);
    rxfw++;
    sendPush(List.of(rx), Optional.empty());
  }

  /** Handles a downstream datagram (PUSH_ACK, PULL_ACK or PULL_RESP); malformed ones are dropped. */
  public void onDatagram(byte[] datagram) {
    SemtechPacket p;
    try {
      p = codec.decode(datagram);
    } catch (SemtechUdpException e) {
      malformed++;
      LOG.debug("gateway {}: dropped malformed datagram: {}", config.eui(), e.getMessage());
      return;
    }
    if (p.version() != config.protocolVersion()) {
      // the reference forwarder ignores datagrams of another version
      malformed++;
      LOG.debug("gateway {}: dropped datagram of protocol version {}", config.eui(), p.version());
      return;
    }
    if (p instanceof SemtechPacket.PushAck a) {
      if (pushTokens.remove(a.token())) {
        pushAcked++;
      }
    } else if (p instanceof SemtechPacket.PullAck a) {
      if (a.token() == lastPullToken) {
        pullAcks++;
      }
    } else if (p instanceof SemtechPacket.PullResp r) {
      dwnb++;
      TxAckError result = running ? schedule(r.txpk()) : TxAckError.UNKNOWN;
      txAckCounts[result.ordinal()]++;
      if (config.protocolVersion() >= 2) {
        send(new SemtechPacket.TxAck(2, r.token(), config.eui(), result));
      }
    } else {
      malformed++;
      LOG.debug("gateway {}: dropped upstream-type datagram {}", config.eui(), p.type());
    }
  }

  private TxAckError schedule(TxPacket tx) {
    long now = scheduler.nowNanos();
    long start;
    if (tx.immediate()) {
      start = now + IMMEDIATE_DELAY_NANOS;
    } else {
      long delta = (tx.tmst().getAsLong() - counterAt(now)) & 0xFFFF_FFFFL;
      if (delta >= (1L << 31)) {
        delta -= 1L << 32;
      }
      if (delta <= TOO_LATE_MICROS) {
        return TxAckError.TOO_LATE;
      }
      if (delta > TOO_EARLY_MICROS) {
        return TxAckError.TOO_EARLY;
      }
      start = now + delta * 1000 - Math.floorMod(now, 1000);
    }
    DataRate dr = DataRate.lora(tx.dataRate().spreadingFactor(), tx.dataRate().bandwidthHz());
    long end = start + TimeOnAir.downlink(tx.data().length(), dr).toNanos();
    pruneJit(now);
    if (jitQueue.size() >= config.jitQueueSize()) {
      return TxAckError.COLLISION_PACKET;
    }
    for (long[] q : jitQueue) {
      if (start < q[1] && q[0] < end) {
        return TxAckError.COLLISION_PACKET;
      }
    }
    jitQueue.add(new long[] {start, end});
    scheduler.scheduleAt(start, () -> {
      if (!running) {
        return;
      }
      txnb++;
      Transmission t = medium.transmit(node, tx.frequencyHz(), tx.dataRate().spreadingFactor(),
          tx.dataRate().bandwidthHz(), tx.powerDbm() - medium.parameters().gatewayAntennaGainDbi(), start, end, tx.data());
      downlinkSink.accept(t);
    });
    return TxAckError.NONE;
  }

  private void pruneJit(long now) {
    for (Iterator<long[]> it = jitQueue.iterator(); it.hasNext(); ) {
      if (it.next()[1] <= now) {
        it.remove();
      }
    }
  }

  private void keepalive() {
    if (!running) {
      return;
    }
    lastPullToken = random.nextInt(0x10000);
    send(new SemtechPacket.PullData(config.protocolVersion(), lastPullToken, config.eui()));
    scheduler.schedule(config.keepalive(), this::keepalive);
  }

  private void status() {
    if (!running) {
      return;
    }
    double ackr = pushSent == 0 ? 0 : 100.0 * pushAcked / pushSent;
    GatewayStat stat = new GatewayStat(scheduler.instant(), config.latitude(), config.longitude(), config.altitude(),
        rxnb, rxok, rxfw, Math.min(100, ackr), dwnb, txnb);
    sendPush(List.of(), Optional.of(stat));
    scheduler.schedule(config.statInterval(), this::status);
  }

  private void sendPush(List<RxPacket> rxpk, Optional<GatewayStat> stat) {
    int token = random.nextInt(0x10000);
    pushTokens.add(token);
    if (pushTokens.size() > MAX_OUTSTANDING_TOKENS) {
      pushTokens.remove(pushTokens.iterator().next());
    }
    pushSent++;
    send(new SemtechPacket.PushData(config.protocolVersion(), token, config.eui(), rxpk, stat));
  }

  private void send(SemtechPacket p) {
    if (link != null) {
      link.send(codec.encode(p));
    }
  }

  /** Counters of this gateway. */
  public Counters counters() {
    long[] acks = txAckCounts.clone();
    return new Counters(rxnb, rxfw, pushSent, pushAcked, pullAcks, dwnb, txnb, malformed,
        acks[TxAckError.TOO_LATE.ordinal()], acks[TxAckError.TOO_EARLY.ordinal()],
        acks[TxAckError.COLLISION_PACKET.ordinal()]);
  }

  /**
   * Gateway counters.
   *
   * @param received frames heard
   * @param forwarded frames forwarded
   * @param pushDataSent PUSH_DATA datagrams sent
   * @param pushAcks matching PUSH_ACKs
   * @param pullAcks matching PULL_ACKs
   * @param downlinksReceived PULL_RESPs received
   * @param downlinksSent downlinks transmitted
   * @param malformed datagrams dropped
   * @param tooLate TX_ACK TOO_LATE answers
   * @param tooEarly TX_ACK TOO_EARLY answers
   * @param collisionPacket TX_ACK COLLISION_PACKET answers
   */
  public record Counters(long received, long forwarded, long pushDataSent, long pushAcks, long pullAcks,
      long downlinksReceived, long downlinksSent, long malformed, long tooLate, long tooEarly,
      long collisionPacket) {}
}
