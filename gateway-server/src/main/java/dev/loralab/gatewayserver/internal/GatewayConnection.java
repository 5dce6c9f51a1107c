package dev.loralab.gatewayserver.internal;

import dev.loralab.api.v3.DownlinkMessage;
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

  /** A PULL_RESP waiting for its TX_ACK. */
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

  public void countUplink() {
    uplinks.incrementAndGet();
  }

  public void countDownlink() {
    downlinks.incrementAndGet();
  }

  /** What the scheduler needs, with a copy of the clock. */
  public synchronized GatewayTiming timing(boolean enforceDutyCycle) {
    return new GatewayTiming(eui, plan, enforceDutyCycle && gateway.enforceDutyCycle(),
        gateway.antennaGainDb(), roundTrips.percentile90(), clock.copy());
  }

  /** A snapshot. */
  public GatewayConnectionInfo info() {
    return new GatewayConnectionInfo(gateway.ids(), eui, plan.id(), correlationId, connectedAt,
        lastSeen, downlinkAddress(), protocolVersion, roundTrips.last(), uplinks.get(),
        downlinks.get());
  }
}
