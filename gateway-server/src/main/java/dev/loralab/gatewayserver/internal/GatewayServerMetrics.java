package dev.loralab.gatewayserver.internal;

import dev.loralab.gatewayserver.ScheduleException;
import dev.loralab.gatewayserver.udp.DropReason;
import dev.loralab.gatewayserver.udp.PacketType;
import dev.loralab.gatewayserver.udp.TxAckResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** The Gateway Server's Micrometer meters, created once. */
public final class GatewayServerMetrics {

  private final Map<PacketType, Counter> datagrams = new EnumMap<>(PacketType.class);
  private final Map<DropReason, Counter> drops = new EnumMap<>(DropReason.class);
  private final Map<TxAckResult, Counter> txAcks = new EnumMap<>(TxAckResult.class);
  private final Map<ScheduleException.Reason, Counter> refusals =
      new EnumMap<>(ScheduleException.Reason.class);
  private final Counter uplinks;
  private final Counter downlinks;
  private final Counter downlinkChecks;
  private final Counter readPauses;
  private final Counter txAckTimeouts;
  private final Counter txAckEvictions;

  /** Registers the meters; {@code connections} feeds the connection gauge. */
  public GatewayServerMetrics(MeterRegistry registry, Supplier<Number> connections) {
    this(registry, connections, () -> 0);
  }

  /**
   * Registers the meters; {@code connections} feeds the connection gauge, {@code pending} the
   * gauge of datagrams handed off and not yet processed.
   */
  public GatewayServerMetrics(MeterRegistry registry, Supplier<Number> connections,
      Supplier<Number> pending) {
    for (PacketType t : PacketType.values()) {
      datagrams.put(t, Counter.builder("loralab.gs.udp.datagrams").tag("type", t.tag())
          .description("Semtech UDP datagrams received, by type").register(registry));
    }
    for (DropReason r : DropReason.values()) {
      drops.put(r, Counter.builder("loralab.gs.udp.drops").tag("reason", r.tag())
          .description("datagrams and frames dropped, by reason").register(registry));
    }
    for (TxAckResult r : TxAckResult.values()) {
      txAcks.put(r, Counter.builder("loralab.gs.txacks").tag("result", r.tag())
          .description("TX acknowledgments, by result").register(registry));
    }
    // Downlinks forgotten without an answer: same meter, results no TX_ACK can carry.
    txAckTimeouts = Counter.builder("loralab.gs.txacks").tag("result", "timeout")
        .description("TX acknowledgments, by result").register(registry);
    txAckEvictions = Counter.builder("loralab.gs.txacks").tag("result", "evicted")
        .description("TX acknowledgments, by result").register(registry);
    for (ScheduleException.Reason r : ScheduleException.Reason.values()) {
      refusals.put(r, Counter.builder("loralab.gs.downlink.refusals").tag("reason", r.tag())
          .description("downlinks the scheduler refused, by reason").register(registry));
    }
    uplinks = Counter.builder("loralab.gs.uplinks")
        .description("uplink messages received (one per antenna)").register(registry);
    downlinks = Counter.builder("loralab.gs.downlinks")
        .description("downlinks sent to gateways").register(registry);
    downlinkChecks = Counter.builder("loralab.gs.downlink.checks")
        .description("downlink checks answered (NsGs.checkDownlink: nothing reserved or sent);"
            + " their refusals count in loralab.gs.downlink.refusals").register(registry);
    Gauge.builder("loralab.gs.connections", connections).description("connected gateways")
        .register(registry);
    readPauses = Counter.builder("loralab.gs.udp.read.pauses")
        .description("times reading of the UDP socket paused: too many datagrams pending")
        .register(registry);
    Gauge.builder("loralab.gs.udp.pending", pending)
        .description("datagrams handed to the executor and not yet processed").register(registry);
  }

  /** Reading of the UDP socket paused. */
  public void readPause() {
    readPauses.increment();
  }

  public void datagram(PacketType type) {
    datagrams.get(type).increment();
  }

  public void drop(DropReason reason) {
    drops.get(reason).increment();
  }

  public void txAck(TxAckResult result) {
    txAcks.get(result).increment();
  }

  /** Pending downlinks forgotten because no TX_ACK came within the timeout. */
  public void txAckTimeouts(int count) {
    txAckTimeouts.increment(count);
  }

  /** Pending downlinks forgotten to keep a gateway within its bound. */
  public void txAckEvictions(int count) {
    txAckEvictions.increment(count);
  }

  public void refusal(ScheduleException.Reason reason) {
    refusals.get(reason).increment();
  }

  public void uplink() {
    uplinks.increment();
  }

  public void downlink() {
    downlinks.increment();
  }

  public void downlinkCheck() {
    downlinkChecks.increment();
  }
}
