package dev.loralab.gatewayserver;

import dev.loralab.gatewayserver.udp.SemtechUdpLimits;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

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
 *     default {@value #DEFAULT_MAX_PENDING_DATAGRAMS} (about 350 ms of work at 22,000
 *     datagrams/s; the backlog of a server keeping up is tens, and some thousands for a moment
 *     after a garbage collection pause)
 * @param txAckTimeout a downlink whose TX_ACK has not come this long after its PULL_RESP was
 *     sent is forgotten at the next housekeeping (metric {@code loralab.gs.txacks{result=timeout}},
 *     no event). A forwarder answers a PULL_RESP with its TX_ACK as soon as it has checked and
 *     queued the packet, not after the transmission, so the answer follows within one round trip
 *     (tens to hundreds of ms, a few seconds over a congested cellular backhaul). The clock starts
 *     when the PULL_RESP leaves the server, also when it is held for a late-scheduling gateway
 *     until {@link #lateScheduleLead} before the transmission, so a downlink scheduled up to
 *     {@link #maxScheduleAhead} ahead is not expired before it is sent. Default
 *     {@value #DEFAULT_TX_ACK_TIMEOUT_SECONDS} s: two orders of magnitude above a normal round trip,
 *     and short enough that a gateway which never answers (TX_ACKs lost, or a forwarder that does
 *     not send them) holds at most this many seconds of downlinks. Positive and at most
 *     {@link #connectionIdleTimeout}.
 * @param maxPendingTxAcks downlinks waiting for their TX_ACK, at most, per gateway: a new
 *     PULL_RESP beyond it first forgets the pending downlink sent earliest (metric
 *     {@code loralab.gs.txacks{result=evicted}}). 1..{@value #MAX_PENDING_TX_ACKS} (half of the
 *     16-bit token space, so that a free random token is found in about two draws), default
 *     {@value #DEFAULT_MAX_PENDING_TX_ACKS}: a gateway transmits one packet at a time and its
 *     just-in-time queue holds a few dozen, so even at hundreds of downlinks per second the
 *     entries awaiting an answer within one round trip are far fewer
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
    int maxPendingDatagrams,
    Duration txAckTimeout,
    int maxPendingTxAcks) {

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
    positive("txAckTimeout", txAckTimeout);
    if (txAckTimeout.compareTo(connectionIdleTimeout) > 0) {
      throw new IllegalArgumentException("txAckTimeout: expected at most connectionIdleTimeout "
          + connectionIdleTimeout + ", found " + txAckTimeout);
    }
    if (maxPendingTxAcks < 1 || maxPendingTxAcks > MAX_PENDING_TX_ACKS) {
      throw new IllegalArgumentException("maxPendingTxAcks: expected 1.." + MAX_PENDING_TX_ACKS
          + ", found " + maxPendingTxAcks);
    }
  }

  /** Default {@link #txAckTimeout} in seconds. */
  public static final int DEFAULT_TX_ACK_TIMEOUT_SECONDS = 30;

  /** Default {@link #txAckTimeout}. */
  public static final Duration DEFAULT_TX_ACK_TIMEOUT =
      Duration.ofSeconds(DEFAULT_TX_ACK_TIMEOUT_SECONDS);

  /** Default {@link #maxPendingTxAcks}. */
  public static final int DEFAULT_MAX_PENDING_TX_ACKS = 1024;

  /** Largest {@link #maxPendingTxAcks}: half of the 16-bit PULL_RESP token space. */
  public static final int MAX_PENDING_TX_ACKS = 1 << 15;

  /**
   * Settings with the default {@link #maxPendingTxAcks} and {@link #txAckTimeout} (shortened to
   * {@code connectionIdleTimeout} if that is shorter).
   */
  public GatewayServerConfig(String bindHost, int port, SemtechUdpLimits udpLimits,
      Duration connectionIdleTimeout, double perAddressRate, int perAddressBurst,
      Duration scheduleAheadMargin, Duration gatewayQueueMargin, Duration maxScheduleAhead,
      Duration lateScheduleLead, boolean autoAcceptUnknownGateways, String defaultFrequencyPlanId,
      boolean enforceDutyCycle, Duration dutyCycleWindow, Duration logInterval,
      Duration housekeepingInterval, int udpReceiveBufferBytes, Duration downlinkGuardMargin,
      UdpTransport udpTransport, int udpDatagramsPerRead, int maxPendingDatagrams) {
    this(bindHost, port, udpLimits, connectionIdleTimeout, perAddressRate, perAddressBurst,
        scheduleAheadMargin, gatewayQueueMargin, maxScheduleAhead, lateScheduleLead,
        autoAcceptUnknownGateways, defaultFrequencyPlanId, enforceDutyCycle, dutyCycleWindow,
        logInterval, housekeepingInterval, udpReceiveBufferBytes, downlinkGuardMargin,
        udpTransport, udpDatagramsPerRead, maxPendingDatagrams,
        defaultTxAckTimeout(connectionIdleTimeout), DEFAULT_MAX_PENDING_TX_ACKS);
  }

  /** The default TX_ACK timeout, or {@code idle} if that is shorter (null stays null). */
  private static Duration defaultTxAckTimeout(Duration idle) {
    return idle != null && idle.compareTo(DEFAULT_TX_ACK_TIMEOUT) < 0 ? idle
        : DEFAULT_TX_ACK_TIMEOUT;
  }

  /** Default {@link #maxPendingDatagrams}. */
  public static final int DEFAULT_MAX_PENDING_DATAGRAMS = 8192;

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
   *  10 ms downlink guard margin, native epoll transport where available, 8192 pending
   *  datagrams at most, 30 s TX_ACK timeout, 1024 downlinks awaiting a TX_ACK per gateway. */
  public static GatewayServerConfig defaults() {
    return new GatewayServerConfig("0.0.0.0", DEFAULT_PORT, SemtechUdpLimits.DEFAULT,
        Duration.ofMinutes(3), 50, 200, Duration.ofMillis(300), Duration.ofMillis(40),
        Duration.ofSeconds(512), Duration.ofMillis(800), false, "EU_863_870_TTN", true,
        Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofSeconds(5), 4 << 20);
  }

  /** A copy bound to {@code host:port}. */
  public GatewayServerConfig withBind(String host, int port) {
    return with(c -> {
      c.bindHost = host;
      c.port = port;
    });
  }

  /** A copy with unknown gateways auto-accepted (or not) on {@code planId}. */
  public GatewayServerConfig withAutoAccept(boolean accept, String planId) {
    return with(c -> {
      c.autoAcceptUnknownGateways = accept;
      c.defaultFrequencyPlanId = planId;
    });
  }

  /** A copy with another per-address rate limit. */
  public GatewayServerConfig withRateLimit(double rate, int burst) {
    return with(c -> {
      c.perAddressRate = rate;
      c.perAddressBurst = burst;
    });
  }

  /**
   * A copy with another idle timeout; {@link #txAckTimeout} is shortened to it if it is longer
   * (it may not exceed the idle timeout).
   */
  public GatewayServerConfig withConnectionIdleTimeout(Duration timeout) {
    Duration txAck = timeout != null && txAckTimeout.compareTo(timeout) > 0 ? timeout
        : txAckTimeout;
    return with(c -> {
      c.connectionIdleTimeout = timeout;
      c.txAckTimeout = txAck;
    });
  }

  /** A copy with another {@link #downlinkGuardMargin}. */
  public GatewayServerConfig withDownlinkGuardMargin(Duration margin) {
    return with(c -> c.downlinkGuardMargin = margin);
  }

  /** A copy with another {@link #udpDatagramsPerRead}. */
  public GatewayServerConfig withUdpDatagramsPerRead(int datagrams) {
    return with(c -> c.udpDatagramsPerRead = datagrams);
  }

  /** A copy with another {@link #udpTransport}. */
  public GatewayServerConfig withUdpTransport(UdpTransport transport) {
    return with(c -> c.udpTransport = transport);
  }

  /** A copy with another {@link #maxPendingDatagrams}. */
  public GatewayServerConfig withMaxPendingDatagrams(int datagrams) {
    return with(c -> c.maxPendingDatagrams = datagrams);
  }

  /** A copy with another {@link #txAckTimeout}. */
  public GatewayServerConfig withTxAckTimeout(Duration timeout) {
    return with(c -> c.txAckTimeout = timeout);
  }

  /** A copy with another {@link #maxPendingTxAcks}. */
  public GatewayServerConfig withMaxPendingTxAcks(int downlinks) {
    return with(c -> c.maxPendingTxAcks = downlinks);
  }

  /** Applies {@code change} to a copy of these settings (validated like any other). */
  private GatewayServerConfig with(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** The settings as mutable fields, for the {@code with...} methods. */
  private static final class Copy {
    String bindHost;
    int port;
    SemtechUdpLimits udpLimits;
    Duration connectionIdleTimeout;
    double perAddressRate;
    int perAddressBurst;
    Duration scheduleAheadMargin;
    Duration gatewayQueueMargin;
    Duration maxScheduleAhead;
    Duration lateScheduleLead;
    boolean autoAcceptUnknownGateways;
    String defaultFrequencyPlanId;
    boolean enforceDutyCycle;
    Duration dutyCycleWindow;
    Duration logInterval;
    Duration housekeepingInterval;
    int udpReceiveBufferBytes;
    Duration downlinkGuardMargin;
    UdpTransport udpTransport;
    int udpDatagramsPerRead;
    int maxPendingDatagrams;
    Duration txAckTimeout;
    int maxPendingTxAcks;

    Copy(GatewayServerConfig s) {
      bindHost = s.bindHost;
      port = s.port;
      udpLimits = s.udpLimits;
      connectionIdleTimeout = s.connectionIdleTimeout;
      perAddressRate = s.perAddressRate;
      perAddressBurst = s.perAddressBurst;
      scheduleAheadMargin = s.scheduleAheadMargin;
      gatewayQueueMargin = s.gatewayQueueMargin;
      maxScheduleAhead = s.maxScheduleAhead;
      lateScheduleLead = s.lateScheduleLead;
      autoAcceptUnknownGateways = s.autoAcceptUnknownGateways;
      defaultFrequencyPlanId = s.defaultFrequencyPlanId;
      enforceDutyCycle = s.enforceDutyCycle;
      dutyCycleWindow = s.dutyCycleWindow;
      logInterval = s.logInterval;
      housekeepingInterval = s.housekeepingInterval;
      udpReceiveBufferBytes = s.udpReceiveBufferBytes;
      downlinkGuardMargin = s.downlinkGuardMargin;
      udpTransport = s.udpTransport;
      udpDatagramsPerRead = s.udpDatagramsPerRead;
      maxPendingDatagrams = s.maxPendingDatagrams;
      txAckTimeout = s.txAckTimeout;
      maxPendingTxAcks = s.maxPendingTxAcks;
    }

    GatewayServerConfig build() {
      return new GatewayServerConfig(bindHost, port, udpLimits, connectionIdleTimeout,
          perAddressRate, perAddressBurst, scheduleAheadMargin, gatewayQueueMargin,
          maxScheduleAhead, lateScheduleLead, autoAcceptUnknownGateways, defaultFrequencyPlanId,
          enforceDutyCycle, dutyCycleWindow, logInterval, housekeepingInterval,
          udpReceiveBufferBytes, downlinkGuardMargin, udpTransport, udpDatagramsPerRead,
          maxPendingDatagrams, txAckTimeout, maxPendingTxAcks);
    }
  }
}
