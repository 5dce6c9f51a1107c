package dev.loralab.gatewayserver.internal;

import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.GatewayConnectionStats;
import dev.loralab.api.v3.GatewayStatus;
import dev.loralab.events.CorrelationIds;
import dev.loralab.frequencyplans.FrequencyPlan;
import dev.loralab.gatewayserver.ConcentratorClock;
import dev.loralab.gatewayserver.GatewayConnectionInfo;
import dev.loralab.gatewayserver.GatewayTiming;
import dev.loralab.gatewayserver.RegisteredGateway;
import dev.loralab.lorawan.Eui64;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * State of one connected gateway. Fields that the event loop writes are volatile; the concentrator
 * clock is guarded by this object's monitor; processing is serialised on {@link #serial()}.
 */
public final class GatewayConnection {

  /**
   * A PULL_RESP waiting for its TX_ACK; {@code sentAt} is when the PULL_RESP leaves (or, held for
   * a late-scheduling gateway, will leave) the server.
   */
  public record PendingDownlink(int token, Instant sentAt, DownlinkMessage message,
      CorrelationIds correlationIds) {}

  private final Eui64 eui;
  private final RegisteredGateway gateway;
  private final FrequencyPlan plan;
  private final String correlationId;
  private final long serialNumber;
  private final Instant connectedAt;
  private final SerialExecutor serial;
  private final ConcentratorClock clock = new ConcentratorClock();
  private final RoundTripStats roundTrips = new RoundTripStats(20);
  private final Map<Integer, PendingDownlink> pending = new ConcurrentHashMap<>();
  private final AtomicLong uplinks = new AtomicLong();
  private final AtomicLong downlinks = new AtomicLong();
  private volatile InetSocketAddress downlinkAddress;
  private volatile int protocolVersion;
  private volatile Instant lastSeen;
  private volatile GatewayStatus lastStatus;
  private volatile Instant lastStatusAt;
  private volatile Instant lastUplinkAt;
  private volatile Instant lastDownlinkAt;
  private volatile boolean closed;

  /** A new connection. */
  public GatewayConnection(Eui64 eui, RegisteredGateway gateway, FrequencyPlan plan,
      String correlationId, long serialNumber, Instant connectedAt, Executor executor) {
    this.eui = Objects.requireNonNull(eui, "eui");
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.plan = Objects.requireNonNull(plan, "plan");
    this.correlationId = Objects.requireNonNull(correlationId, "correlationId");
    this.serialNumber = serialNumber;
    this.connectedAt = connectedAt;
    this.lastSeen = connectedAt;
    this.serial = new SerialExecutor(executor);
  }

  public Eui64 eui() {
    return eui;
  }

  public RegisteredGateway gateway() {
    return gateway;
  }

  public FrequencyPlan plan() {
    return plan;
  }

  public String correlationId() {
    return correlationId;
  }

  public long serialNumber() {
    return serialNumber;
  }

  /** Runs this gateway's processing one task at a time. */
  public Executor serial() {
    return serial;
  }

  public Map<Integer, PendingDownlink> pending() {
    return pending;
  }

  /**
   * Forgets the pending downlinks sent before {@code sentBefore} (their TX_ACK is not coming);
   * returns them.
   */
  public List<PendingDownlink> expirePending(Instant sentBefore) {
    List<PendingDownlink> expired = new ArrayList<>();
    for (PendingDownlink p : pending.values()) {
      if (p.sentAt().isBefore(sentBefore) && pending.remove(p.token(), p)) {
        expired.add(p);
      }
    }
    return expired;
  }

  /**
   * Makes room for one more pending downlink: while {@code max} or more are pending, forgets the
   * one sent earliest. Returns those forgotten. A linear scan of at most {@code max} entries, run
   * only when the map is full, i.e. for a gateway that does not answer PULL_RESPs; an
   * insertion-ordered queue beside the map would cost every downlink of every gateway a node and
   * would still need pruning of the answered ones.
   */
  public List<PendingDownlink> evictPendingBeyond(int max) {
    List<PendingDownlink> evicted = List.of();
    while (pending.size() >= max) {
      PendingDownlink oldest = null;
      for (PendingDownlink p : pending.values()) {
        if (oldest == null || p.sentAt().isBefore(oldest.sentAt())) {
          oldest = p;
        }
      }
      if (oldest == null) {
        break;
      }
      if (pending.remove(oldest.token(), oldest)) {
        if (evicted.isEmpty()) {
          evicted = new ArrayList<>();
        }
        evicted.add(oldest);
      }
    }
    return evicted;
  }

  public Instant lastSeen() {
    return lastSeen;
  }

  public int protocolVersion() {
    return protocolVersion;
  }

  public Optional<InetSocketAddress> downlinkAddress() {
    return Optional.ofNullable(downlinkAddress);
  }

  public boolean closed() {
    return closed;
  }

  public void close() {
    closed = true;
  }

  /** Any datagram: renews the connection. */
  public void seen(int version, Instant now) {
    protocolVersion = version;
    lastSeen = now;
  }

  /** A PULL_DATA: its source becomes the downlink path. */
  public void pullData(InetSocketAddress from, int version, Instant now) {
    downlinkAddress = from;
    seen(version, now);
  }

  /** Syncs the concentrator clock on an uplink's {@code tmst}. */
  public synchronized void syncClock(long tmst, Instant at) {
    clock.sync(tmst, at);
  }

  /** Records a round-trip time. */
  public void roundTrip(Duration rtt) {
    roundTrips.record(rtt);
  }

  /** An uplink frame received at {@code at}. */
  public void countUplink(Instant at) {
    uplinks.incrementAndGet();
    lastUplinkAt = at;
  }

  /** A downlink sent to the gateway at {@code at}. */
  public void countDownlink(Instant at) {
    downlinks.incrementAndGet();
    lastDownlinkAt = at;
  }

  /** A status message received at {@code at}. */
  public void status(GatewayStatus status, Instant at) {
    lastStatus = Objects.requireNonNull(status, "status");
    lastStatusAt = at;
  }

  /** What the scheduler needs, with a copy of the clock. */
  public synchronized GatewayTiming timing(boolean enforceDutyCycle) {
    return new GatewayTiming(eui, plan, enforceDutyCycle && gateway.enforceDutyCycle(),
        gateway.antennaGainDb(), roundTrips.percentile90(), clock.copy());
  }

  /**
   * The connection statistics as The Things Stack's {@code GatewayConnectionStats} (protocol
   * {@code udp}; timestamps of the latest status, uplink and downlink, counts and round-trip
   * times of the last PULL_RESP/TX_ACK pairs).
   */
  public GatewayConnectionStats stats() {
    GatewayConnectionStats.Builder b = GatewayConnectionStats.newBuilder()
        .setConnectedAt(timestamp(connectedAt)).setProtocol("udp")
        .setUplinkCount(uplinks.get()).setDownlinkCount(downlinks.get());
    GatewayStatus status = lastStatus;
    Instant statusAt = lastStatusAt;
    if (status != null && statusAt != null) {
      b.setLastStatus(status).setLastStatusReceivedAt(timestamp(statusAt));
    }
    Instant up = lastUplinkAt;
    if (up != null) {
      b.setLastUplinkReceivedAt(timestamp(up));
    }
    Instant down = lastDownlinkAt;
    if (down != null) {
      b.setLastDownlinkReceivedAt(timestamp(down));
    }
    roundTrips.summary().ifPresent(rtt -> b.setRoundTripTimes(
        GatewayConnectionStats.RoundTripTimes.newBuilder().setMin(duration(rtt.min()))
            .setMax(duration(rtt.max())).setMedian(duration(rtt.median()))
            .setCount(rtt.count())));
    return b.build();
  }

  private static com.google.protobuf.Timestamp timestamp(Instant t) {
    return com.google.protobuf.Timestamp.newBuilder().setSeconds(t.getEpochSecond())
        .setNanos(t.getNano()).build();
  }

  private static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds())
        .setNanos(d.getNano()).build();
  }

  /** A snapshot. */
  public GatewayConnectionInfo info() {
    return new GatewayConnectionInfo(gateway.ids(), eui, plan.id(), correlationId, connectedAt,
        lastSeen, downlinkAddress(), protocolVersion, roundTrips.last(), uplinks.get(),
        downlinks.get());
  }
}
