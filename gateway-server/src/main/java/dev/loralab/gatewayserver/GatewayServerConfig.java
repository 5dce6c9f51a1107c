package dev.loralab.gatewayserver;

import dev.loralab.gatewayserver.udp.SemtechUdpLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * Gateway Server settings. Every limit is here rather than in the code.
 *
 * @param bindHost address to bind the UDP socket to, e.g. {@code 0.0.0.0}
 * @param port UDP port (1700; 0 picks a free port)
 * @param udpLimits datagram size and JSON limits
 * @param connectionIdleTimeout a connection without any datagram for this long is closed
 * @param perAddressRate datagrams per second allowed from one IP address (sustained)
 * @param perAddressBurst datagrams allowed from one IP address in a burst
 * @param scheduleAheadMargin minimum lead of a downlink when the gateway's round-trip time is
 *     unknown (300 ms)
 * @param gatewayQueueMargin lead added to half the measured round-trip time (the reference
 *     forwarder rejects packets less than 32.5 ms ahead)
 * @param maxScheduleAhead a downlink further ahead than this is refused
 * @param lateScheduleLead protocol-v1 gateways have no queue: their PULL_RESP is held until this
 *     long before the transmission (800 ms)
 * @param autoAcceptUnknownGateways lab setting: connect gateways that are not registered
 * @param defaultFrequencyPlanId plan of auto-accepted gateways
 * @param enforceDutyCycle global duty-cycle switch (a gateway may also disable it)
 * @param dutyCycleWindow rolling duty-cycle window (1 h, ETSI)
 * @param logInterval at most one log line per drop reason and source in this interval
 * @param housekeepingInterval how often idle connections and rate-limit state are swept
 * @param udpReceiveBufferBytes requested kernel receive buffer of the UDP socket (SO_RCVBUF; the
 *     kernel caps it at net.core.rmem_max): datagrams arriving while the event loop is busy wait
 *     here instead of being dropped
 * @param downlinkGuardMargin kept free before and after each downlink of a gateway, on its
 *     concentrator counter, when checking overlaps (the packet forwarder needs a few ms to start
 *     a transmission and refuses overlapping ones as COLLISION_PACKET); default 10 ms
 * @param udpTransport Netty transport of the UDP socket: native epoll where available
 *     ({@link UdpTransport#AUTO}, the default), or forced
 * @param udpDatagramsPerRead epoll only: datagrams read with one {@code recvmmsg} call (1: one
 *     {@code recvmsg} per datagram). Each read takes a buffer of this many times
 *     {@code udpLimits.maxDatagramBytes() + 1} bytes (pooled and reused); larger datagrams are
 *     truncated to that size and dropped as oversized, as with a single read. 1..1024, default
 *     8.
 * @param maxPendingDatagrams datagrams read and handed to the executor but not yet processed, at
 *     most, for the whole server: beyond it the socket is not read (the kernel's receive buffer
 *     absorbs a burst and drops what overflows) until half of them are processed. 1..1,000,000,
 *     default {@value #DEFAULT_MAX_PENDING_DATAGRAMS} (about 250 ms of work at 16,000
 *     datagrams/s; the backlog of a server keeping up is tens)
 */
public record GatewayServerConfig(
    String bindHost,
    int port,
    SemtechUdpLimits udpLimits,
    Duration connectionIdleTimeout,
    double perAddressRate,
    int perAddressBurst,
    Duration scheduleAheadMargin,
    Duration gatewayQueueMargin,
    Duration maxScheduleAhead,
    Duration lateScheduleLead,
    boolean autoAcceptUnknownGateways,
    String defaultFrequencyPlanId,
    boolean enforceDutyCycle,
    Duration dutyCycleWindow,
    Duration logInterval,
    Duration housekeepingInterval,
    int udpReceiveBufferBytes,
    Duration downlinkGuardMargin,
    UdpTransport udpTransport,
    int udpDatagramsPerRead,
    int maxPendingDatagrams) {

  /** The Semtech UDP port. */
  public static final int DEFAULT_PORT = 1700;

  /** Validates every setting. */
  public GatewayServerConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port: expected 0..65535, found " + port);
    }
    Objects.requireNonNull(udpLimits, "udpLimits");
    positive("connectionIdleTimeout", connectionIdleTimeout);
    if (!(perAddressRate > 0) || perAddressBurst < 1) {
      throw new IllegalArgumentException("perAddressRate/perAddressBurst: expected > 0, found "
          + perAddressRate + "/" + perAddressBurst);
    }
    positive("scheduleAheadMargin", scheduleAheadMargin);
    positive("gatewayQueueMargin", gatewayQueueMargin);
    positive("maxScheduleAhead", maxScheduleAhead);
    positive("lateScheduleLead", lateScheduleLead);
    Objects.requireNonNull(defaultFrequencyPlanId, "defaultFrequencyPlanId");
    positive("dutyCycleWindow", dutyCycleWindow);
    positive("logInterval", logInterval);
    positive("housekeepingInterval", housekeepingInterval);
    if (udpReceiveBufferBytes < 1) {
      throw new IllegalArgumentException("udpReceiveBufferBytes: expected > 0, found " + udpReceiveBufferBytes);
    }
    if (downlinkGuardMargin == null || downlinkGuardMargin.isNegative()
        || downlinkGuardMargin.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException("downlinkGuardMargin: expected 0..1 s, found "
          + downlinkGuardMargin);
    }
    Objects.requireNonNull(udpTransport, "udpTransport");
    if (udpDatagramsPerRead < 1 || udpDatagramsPerRead > MAX_DATAGRAMS_PER_READ) {
      throw new IllegalArgumentException("udpDatagramsPerRead: expected 1.."
          + MAX_DATAGRAMS_PER_READ + ", found " + udpDatagramsPerRead);
    }
    if (maxPendingDatagrams < 1 || maxPendingDatagrams > MAX_PENDING_DATAGRAMS) {
      throw new IllegalArgumentException("maxPendingDatagrams: expected 1.."
          + MAX_PENDING_DATAGRAMS + ", found " + maxPendingDatagrams);
    }
  }

  /** Default {@link #maxPendingDatagrams}. */
  public static final int DEFAULT_MAX_PENDING_DATAGRAMS = 4096;

  /** Largest {@link #maxPendingDatagrams}. */
  public static final int MAX_PENDING_DATAGRAMS = 1_000_000;

  /** Settings with the default {@link #maxPendingDatagrams}. */
  public GatewayServerConfig(String bindHost, int port, SemtechUdpLimits udpLimits,
      Duration connectionIdleTimeout, double perAddressRate, int perAddressBurst,
      Duration scheduleAheadMargin, Duration gatewayQueueMargin, Duration maxScheduleAhead,
      Duration lateScheduleLead, boolean autoAcceptUnknownGateways, String defaultFrequencyPlanId,
      boolean enforceDutyCycle, Duration dutyCycleWindow, Duration logInterval,
      Duration housekeepingInterval, int udpReceiveBufferBytes, Duration downlinkGuardMargin,
      UdpTransport udpTransport, int udpDatagramsPerRead) {
    this(bindHost, port, udpLimits, connectionIdleTimeout, perAddressRate, perAddressBurst,
        scheduleAheadMargin, gatewayQueueMargin, maxScheduleAhead, lateScheduleLead,
        autoAcceptUnknownGateways, defaultFrequencyPlanId, enforceDutyCycle, dutyCycleWindow,
        logInterval, housekeepingInterval, udpReceiveBufferBytes, downlinkGuardMargin,
        udpTransport, udpDatagramsPerRead, DEFAULT_MAX_PENDING_DATAGRAMS);
  }

  /** Default {@link #udpDatagramsPerRead}. */
  public static final int DEFAULT_DATAGRAMS_PER_READ = 8;

  /** Largest {@link #udpDatagramsPerRead} (the kernel's limit of one {@code recvmmsg}). */
  public static final int MAX_DATAGRAMS_PER_READ = 1024;

  /** The default downlink guard margin (10 ms). */
  public static final Duration DEFAULT_DOWNLINK_GUARD_MARGIN = Duration.ofMillis(10);

  /** Settings with the default {@link #downlinkGuardMargin}. */
  public GatewayServerConfig(String bindHost, int port, SemtechUdpLimits udpLimits,
      Duration connectionIdleTimeout, double perAddressRate, int perAddressBurst,
      Duration scheduleAheadMargin, Duration gatewayQueueMargin, Duration maxScheduleAhead,
      Duration lateScheduleLead, boolean autoAcceptUnknownGateways, String defaultFrequencyPlanId,
      boolean enforceDutyCycle, Duration dutyCycleWindow, Duration logInterval,
      Duration housekeepingInterval, int udpReceiveBufferBytes) {
    this(bindHost, port, udpLimits, connectionIdleTimeout, perAddressRate, perAddressBurst,
        scheduleAheadMargin, gatewayQueueMargin, maxScheduleAhead, lateScheduleLead,
        autoAcceptUnknownGateways, defaultFrequencyPlanId, enforceDutyCycle, dutyCycleWindow,
        logInterval, housekeepingInterval, udpReceiveBufferBytes, DEFAULT_DOWNLINK_GUARD_MARGIN,
        UdpTransport.AUTO, DEFAULT_DATAGRAMS_PER_READ);
  }

  /** Settings with {@link UdpTransport#AUTO} and {@link #DEFAULT_DATAGRAMS_PER_READ}. */
  public GatewayServerConfig(String bindHost, int port, SemtechUdpLimits udpLimits,
      Duration connectionIdleTimeout, double perAddressRate, int perAddressBurst,
      Duration scheduleAheadMargin, Duration gatewayQueueMargin, Duration maxScheduleAhead,
      Duration lateScheduleLead, boolean autoAcceptUnknownGateways, String defaultFrequencyPlanId,
      boolean enforceDutyCycle, Duration dutyCycleWindow, Duration logInterval,
      Duration housekeepingInterval, int udpReceiveBufferBytes, Duration downlinkGuardMargin) {
    this(bindHost, port, udpLimits, connectionIdleTimeout, perAddressRate, perAddressBurst,
        scheduleAheadMargin, gatewayQueueMargin, maxScheduleAhead, lateScheduleLead,
        autoAcceptUnknownGateways, defaultFrequencyPlanId, enforceDutyCycle, dutyCycleWindow,
        logInterval, housekeepingInterval, udpReceiveBufferBytes, downlinkGuardMargin,
        UdpTransport.AUTO, DEFAULT_DATAGRAMS_PER_READ);
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + ": expected a positive duration, found " + d);
    }
  }

  /** Defaults: 0.0.0.0:1700, 3 min idle timeout, 50 datagrams/s (burst 200) per address, 300 ms
   *  ahead margin, 40 ms queue margin, 512 s max ahead, 800 ms late lead (v1), unknown
   *  gateways refused, EU_863_870_TTN, duty cycle enforced over 1 h, 4 MiB UDP receive buffer,
   *  10 ms downlink guard margin, native epoll transport where available, 4096 pending
   *  datagrams at most. */
  public static GatewayServerConfig defaults() {
    return new GatewayServerConfig("0.0.0.0", DEFAULT_PORT, SemtechUdpLimits.DEFAULT,
        Duration.ofMinutes(3), 50, 200, Duration.ofMillis(300), Duration.ofMillis(40),
        Duration.ofSeconds(512), Duration.ofMillis(800), false, "EU_863_870_TTN", true,
        Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofSeconds(5), 4 << 20);
  }

  /** A copy bound to {@code host:port}. */
  public GatewayServerConfig withBind(String host, int port) {
    return new GatewayServerConfig(host, port, udpLimits, connectionIdleTimeout, perAddressRate,
        perAddressBurst, scheduleAheadMargin, gatewayQueueMargin, maxScheduleAhead,
        lateScheduleLead, autoAcceptUnknownGateways, defaultFrequencyPlanId, enforceDutyCycle,
        dutyCycleWindow, logInterval, housekeepingInterval, udpReceiveBufferBytes,
        downlinkGuardMargin, udpTransport, udpDatagramsPerRead, maxPendingDatagrams);
  }

  /** A copy with unknown gateways auto-accepted (or not) on {@code planId}. */
  public GatewayServerConfig withAutoAccept(boolean accept, String planId) {
    return new GatewayServerConfig(bindHost, port, udpLimits, connectionIdleTimeout,
        perAddressRate, perAddressBurst, scheduleAheadMargin, gatewayQueueMargin,
        maxScheduleAhead, lateScheduleLead, accept, planId, enforceDutyCycle, dutyCycleWindow,
        logInterval, housekeepingInterval, udpReceiveBufferBytes, downlinkGuardMargin,
        udpTransport, udpDatagramsPerRead, maxPendingDatagrams);
  }

  /** A copy with another per-address rate limit. */
  public GatewayServerConfig withRateLimit(double rate, int burst) {
    return new GatewayServerConfig(bindHost, port, udpLimits, connectionIdleTimeout, rate, burst,
        scheduleAheadMargin, gatewayQueueMargin, maxScheduleAhead, lateScheduleLead,
        autoAcceptUnknownGateways, defaultFrequencyPlanId, enforceDutyCycle, dutyCycleWindow,
        logInterval, housekeepingInterval, udpReceiveBufferBytes, downlinkGuardMargin,
        udpTransport, udpDatagramsPerRead, maxPendingDatagrams);
  }

  /** A copy with another idle timeout. */
  public GatewayServerConfig withConnectionIdleTimeout(Duration timeout) {
    return new GatewayServerConfig(bindHost, port, udpLimits, timeout, perAddressRate,
        perAddressBurst, scheduleAheadMargin, gatewayQueueMargin, maxScheduleAhead,
        lateScheduleLead, autoAcceptUnknownGateways, defaultFrequencyPlanId, enforceDutyCycle,
        dutyCycleWindow, logInterval, housekeepingInterval, udpReceiveBufferBytes,
        downlinkGuardMargin, udpTransport, udpDatagramsPerRead, maxPendingDatagrams);
  }

  /** A copy with another {@link #downlinkGuardMargin}. */
  public GatewayServerConfig withDownlinkGuardMargin(Duration margin) {
    return new GatewayServerConfig(bindHost, port, udpLimits, connectionIdleTimeout,
        perAddressRate, perAddressBurst, scheduleAheadMargin, gatewayQueueMargin,
        maxScheduleAhead, lateScheduleLead, autoAcceptUnknownGateways, defaultFrequencyPlanId,
        enforceDutyCycle, dutyCycleWindow, logInterval, housekeepingInterval,
        udpReceiveBufferBytes, margin, udpTransport, udpDatagramsPerRead, maxPendingDatagrams);
  }

  /** A copy with another {@link #udpDatagramsPerRead}. */
  public GatewayServerConfig withUdpDatagramsPerRead(int datagrams) {
    return new GatewayServerConfig(bindHost, port, udpLimits, connectionIdleTimeout,
        perAddressRate, perAddressBurst, scheduleAheadMargin, gatewayQueueMargin,
        maxScheduleAhead, lateScheduleLead, autoAcceptUnknownGateways, defaultFrequencyPlanId,
        enforceDutyCycle, dutyCycleWindow, logInterval, housekeepingInterval,
        udpReceiveBufferBytes, downlinkGuardMargin, udpTransport, datagrams, maxPendingDatagrams);
  }

  /** A copy with another {@link #udpTransport}. */
  public GatewayServerConfig withUdpTransport(UdpTransport transport) {
    return new GatewayServerConfig(bindHost, port, udpLimits, connectionIdleTimeout,
        perAddressRate, perAddressBurst, scheduleAheadMargin, gatewayQueueMargin,
        maxScheduleAhead, lateScheduleLead, autoAcceptUnknownGateways, defaultFrequencyPlanId,
        enforceDutyCycle, dutyCycleWindow, logInterval, housekeepingInterval,
        udpReceiveBufferBytes, downlinkGuardMargin, transport, udpDatagramsPerRead,
        maxPendingDatagrams);
  }

  /** A copy with another {@link #maxPendingDatagrams}. */
  public GatewayServerConfig withMaxPendingDatagrams(int datagrams) {
    return new GatewayServerConfig(bindHost, port, udpLimits, connectionIdleTimeout,
        perAddressRate, perAddressBurst, scheduleAheadMargin, gatewayQueueMargin,
        maxScheduleAhead, lateScheduleLead, autoAcceptUnknownGateways, defaultFrequencyPlanId,
        enforceDutyCycle, dutyCycleWindow, logInterval, housekeepingInterval,
        udpReceiveBufferBytes, downlinkGuardMargin, udpTransport, udpDatagramsPerRead,
        datagrams);
  }
}
