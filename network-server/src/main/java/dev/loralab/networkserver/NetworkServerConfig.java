package dev.loralab.networkserver;

import dev.loralab.lorawan.NetId;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Network Server settings. Use {@link #defaults()} and the {@code with...} methods.
 *
 * @param netId the NetID whose DevAddr prefix new sessions get (default {@code 000000})
 * @param nwkAddrBits how many low NwkAddr bits are drawn at random for a new DevAddr (at most the
 *     NwkAddr width of the NetID type; default 25, the full width of type 0)
 * @param deduplicationWindow how long copies of one uplink are collected at most (default 200
 *     ms; see {@code deduplicationEarlyClose})
 * @param cooldownWindow how long after the window later copies are dropped as duplicates
 *     (default 1 s)
 * @param adrMarginDb installation margin subtracted from the SNR margin (default 15 dB)
 * @param adrHistory number of recent uplinks the ADR algorithm looks at (default 20)
 * @param defaultRx1DelaySeconds RX1 delay given to devices in the join-accept (default 5 s, as
 *     The Things Stack)
 * @param defaultRx1DataRateOffset RX1DROffset given in the join-accept (default 0)
 * @param confirmedDownlinkMaxAttempts transmissions of a confirmed downlink before it is reported
 *     as not acknowledged (default 3)
 * @param statusCountPeriodicity a DevStatusReq every this many uplinks, at a phase fixed per
 *     DevAddr so that devices counting in step ask at different uplinks (default 200; 0 = never
 *     by count)
 * @param classCRetryInterval delay before a refused class C downlink is tried again (default 5 s)
 * @param classCMaxAttempts class C scheduling attempts per downlink (default 3)
 * @param maxDownlinkPaths gateways offered to the Gateway Server per class A downlink (default 3)
 * @param maxPhyPayloadSize largest PHYPayload accepted from a gateway (default 255)
 * @param maxRxMetadata largest number of rx_metadata kept per uplink (default 32)
 * @param maxQueuedDownlinks largest application downlink queue per device (default 16)
 * @param maxOpenDeduplicationWindows deduplication windows open (still collecting copies) at
 *     once before new uplinks are dropped as overloaded (default 10000); windows in their
 *     cooldown do not count
 * @param maxCoolingDeduplicationWindows windows kept in their cooldown at once (default 100,000;
 *     a cooling window holds only its key and receptions). Beyond it a closing window skips its
 *     cooldown, so a later copy of that uplink is no longer recognised here (the frame counter
 *     check still drops it); no uplink is dropped because of it
 * @param deduplicationEarlyClose close a deduplication window before {@code deduplicationWindow}
 *     ends once it holds a copy from as many distinct gateways (gateway and antenna) as the
 *     previous uplink of its DevAddr had (default true). The first uplink of a DevAddr, and one
 *     that fewer gateways hear than last time, waits the full window; copies arriving after an
 *     early close are dropped as late duplicates in the cooldown (which then lasts at least
 *     until it would have ended after a full window), never processed or acknowledged twice.
 *     The count is updated from every closed window (and raised by late copies from new
 *     gateways). False: every uplink waits the full window.
 * @param deduplicationEarlyCloseDevAddrs how many DevAddrs the early close remembers a gateway
 *     count for (default 1,048,576; 16 bytes each at most, so 16 MiB; beyond it some DevAddrs are
 *     forgotten and their next uplink waits the full window)
 * @param deduplicationCooldownBatch windows whose deduplication cooldown starts within this
 *     period share one timer (default 100 ms; zero: one timer per window). A cooldown is a
 *     minimum: with batching it may last up to this period longer (a later copy is dropped as a
 *     late duplicate a little longer)
 * @param inlineEarlyClosedUplinks a data uplink whose deduplication window closed early, on the
 *     thread handing in its last copy ({@link NetworkServer#handleUplink}), is looked up and
 *     processed up to its durable write on that thread when its DevAddr's and device's lanes are
 *     idle, instead of being handed to the device executor (default true: one hand-off less).
 *     That work is CPU-bound (store reads, matching, MAC commands; the durable write then
 *     continues on the device executor), so the caller of {@code handleUplink} must be allowed
 *     to run it: not a Netty event loop. Windows closed by their timer always hand on
 * @param maxUplinksInFlight data uplinks the Network Server processes at once, from the end of
 *     their deduplication window until their processing ended (forwarded after the durable
 *     write and answered, or dropped); beyond it a new data uplink is dropped at once, counted
 *     as {@code ns_uplink_dropped_total{reason="overloaded"}} (default 8192). Normally tens to a
 *     few hundred uplinks are in flight, and some thousands for a moment after a garbage
 *     collection pause; 8192 is about 350 ms of queue at 22,000 uplinks/s. The bound keeps an
 *     overloaded server from queueing uplinks (and device versions) without end, which would
 *     outlive young collections and make the garbage collector take ever more of the CPU: past
 *     it, uplinks are shed instead of everything slowing down (BENCHMARKS round 14: 4096 shed
 *     uplinks during pauses of steps the stack sustains, 16,384 let an overload slow it down). Join-requests are
 *     not counted
 * @param shedUplinkCounters counters of the data uplinks the Network Server shed itself
 *     (overloaded), indexed by a hash of their DevAddr (rounded up to a power of two; default
 *     65,536, 256 KiB). A device's next processed uplink takes its counter, and ADR counts those
 *     uplinks as received instead of as radio loss (see
 *     {@link dev.loralab.networkserver.adr.MarginAdr}). DevAddrs sharing a counter over-credit
 *     each other, which can only lower the loss ADR estimates
 * @param downlinkRefusalBackoffMax after the Gateway Server refused a class A downlink that
 *     carried only MAC requests the Network Server queued itself (DevStatusReq, LinkADRReq,
 *     NewChannelReq, ...), the device's next 1, 2, 4, 8, ... uplinks (doubling per consecutive
 *     refusal, at most this many) attempt no such downlink; an accepted downlink ends the
 *     back-off. Downlinks the device waits for (an ACK, MAC answers, application downlinks) are
 *     always attempted. Deferred attempts are counted as
 *     {@code ns_downlink_attempts_deferred_total} (default 32 uplinks; 0: no back-off, every
 *     uplink attempts the downlink)
 * @param downlinkBackoffSlots slots of the in-memory back-off state, indexed by a hash of the
 *     DevAddr (rounded up to a power of two; default 65,536, 512 KiB). DevAddrs sharing a slot
 *     can only make a device defer or attempt a network-initiated downlink once more or less
 */
public record NetworkServerConfig(
    NetId netId,
    int nwkAddrBits,
    Duration deduplicationWindow,
    Duration cooldownWindow,
    double adrMarginDb,
    int adrHistory,
    int defaultRx1DelaySeconds,
    int defaultRx1DataRateOffset,
    int confirmedDownlinkMaxAttempts,
    int statusCountPeriodicity,
    Duration classCRetryInterval,
    int classCMaxAttempts,
    int maxDownlinkPaths,
    int maxPhyPayloadSize,
    int maxRxMetadata,
    int maxQueuedDownlinks,
    int maxOpenDeduplicationWindows,
    boolean deduplicationEarlyClose,
    int deduplicationEarlyCloseDevAddrs,
    int maxCoolingDeduplicationWindows,
    Duration deduplicationCooldownBatch,
    boolean inlineEarlyClosedUplinks,
    int maxUplinksInFlight,
    int shedUplinkCounters,
    int downlinkRefusalBackoffMax,
    int downlinkBackoffSlots) {

  /** Validates every setting. */
  public NetworkServerConfig {
    Objects.requireNonNull(netId, "netId");
    requirePositive(deduplicationWindow, "deduplicationWindow");
    Objects.requireNonNull(cooldownWindow, "cooldownWindow");
    if (cooldownWindow.isNegative()) {
      throw new IllegalArgumentException("cooldownWindow: expected >= 0, found " + cooldownWindow);
    }
    Objects.requireNonNull(deduplicationCooldownBatch, "deduplicationCooldownBatch");
    if (deduplicationCooldownBatch.isNegative()) {
      throw new IllegalArgumentException("deduplicationCooldownBatch: expected >= 0, found "
          + deduplicationCooldownBatch);
    }
    requirePositive(classCRetryInterval, "classCRetryInterval");
    range(nwkAddrBits, 1, 31, "nwkAddrBits");
    range(adrHistory, 1, 64, "adrHistory");
    range(defaultRx1DelaySeconds, 1, 15, "defaultRx1DelaySeconds");
    range(defaultRx1DataRateOffset, 0, 7, "defaultRx1DataRateOffset");
    range(confirmedDownlinkMaxAttempts, 1, 32, "confirmedDownlinkMaxAttempts");
    range(statusCountPeriodicity, 0, Integer.MAX_VALUE, "statusCountPeriodicity");
    range(classCMaxAttempts, 1, 32, "classCMaxAttempts");
    range(maxDownlinkPaths, 1, 64, "maxDownlinkPaths");
    range(maxPhyPayloadSize, 12, 255, "maxPhyPayloadSize");
    range(maxRxMetadata, 1, 1024, "maxRxMetadata");
    range(maxQueuedDownlinks, 1, 10_000, "maxQueuedDownlinks");
    range(maxOpenDeduplicationWindows, 1, 10_000_000, "maxOpenDeduplicationWindows");
    range(deduplicationEarlyCloseDevAddrs, 1, 1 << 26, "deduplicationEarlyCloseDevAddrs");
    range(maxCoolingDeduplicationWindows, 0, 10_000_000, "maxCoolingDeduplicationWindows");
    range(maxUplinksInFlight, 1, 10_000_000, "maxUplinksInFlight");
    range(shedUplinkCounters, 1, 1 << 26, "shedUplinkCounters");
    range(downlinkRefusalBackoffMax, 0, 1_000_000, "downlinkRefusalBackoffMax");
    range(downlinkBackoffSlots, 1, 1 << 26, "downlinkBackoffSlots");
    if (!(adrMarginDb >= 0 && adrMarginDb <= 50)) {
      throw new IllegalArgumentException("adrMarginDb: expected 0..50, found " + adrMarginDb);
    }
  }

  /** The defaults listed above. */
  public static NetworkServerConfig defaults() {
    return new NetworkServerConfig(new NetId(0), 25, Duration.ofMillis(200), Duration.ofSeconds(1),
        15, 20, 5, 0, 3, 200, Duration.ofSeconds(5), 3, 3, 255, 32, 16, 10_000, true, 1 << 20,
        100_000, Duration.ofMillis(100), true, 8192, 1 << 16, 32, 1 << 16);
  }

  /** With another NetID. */
  public NetworkServerConfig withNetId(NetId v) {
    return with(c -> c.netId = v);
  }

  /** With other deduplication and cooldown windows. */
  public NetworkServerConfig withDeduplication(Duration window, Duration cooldown) {
    return with(c -> {
      c.deduplicationWindow = window;
      c.cooldownWindow = cooldown;
    });
  }

  /** With another ADR margin. */
  public NetworkServerConfig withAdrMarginDb(double v) {
    return with(c -> c.adrMarginDb = v);
  }

  /** With another DevStatusReq periodicity (0: only when no status was ever received). */
  public NetworkServerConfig withStatusCountPeriodicity(int v) {
    return with(c -> c.statusCountPeriodicity = v);
  }

  /** With another RX1 delay for joining devices. */
  public NetworkServerConfig withDefaultRx1DelaySeconds(int v) {
    return with(c -> c.defaultRx1DelaySeconds = v);
  }

  /** With another class C retry interval. */
  public NetworkServerConfig withClassCRetryInterval(Duration v) {
    return with(c -> c.classCRetryInterval = v);
  }

  /** With the early close of deduplication windows on or off. */
  public NetworkServerConfig withDeduplicationEarlyClose(boolean v) {
    return with(c -> c.deduplicationEarlyClose = v);
  }

  /** With another bound of the DevAddrs the early close remembers. */
  public NetworkServerConfig withDeduplicationEarlyCloseDevAddrs(int v) {
    return with(c -> c.deduplicationEarlyCloseDevAddrs = v);
  }

  /** With other bounds of open and cooling deduplication windows. */
  public NetworkServerConfig withMaxDeduplicationWindows(int open, int cooling) {
    return with(c -> {
      c.maxOpenDeduplicationWindows = open;
      c.maxCoolingDeduplicationWindows = cooling;
    });
  }

  /** With another cooldown batch period (zero: one cooldown timer per window). */
  public NetworkServerConfig withDeduplicationCooldownBatch(Duration v) {
    return with(c -> c.deduplicationCooldownBatch = v);
  }

  /** With early-closed uplinks processed on the thread handing in their last copy, or not. */
  public NetworkServerConfig withInlineEarlyClosedUplinks(boolean v) {
    return with(c -> c.inlineEarlyClosedUplinks = v);
  }

  /** With another bound of the data uplinks in flight. */
  public NetworkServerConfig withMaxUplinksInFlight(int v) {
    return with(c -> c.maxUplinksInFlight = v);
  }

  /** With another number of shed-uplink counters (see {@code shedUplinkCounters}). */
  public NetworkServerConfig withShedUplinkCounters(int v) {
    return with(c -> c.shedUplinkCounters = v);
  }

  /**
   * With another bound of the back-off after refused network-initiated downlinks, in uplinks
   * (see {@code downlinkRefusalBackoffMax}; 0: no back-off).
   */
  public NetworkServerConfig withDownlinkRefusalBackoffMax(int v) {
    return with(c -> c.downlinkRefusalBackoffMax = v);
  }

  /** With another number of back-off slots (see {@code downlinkBackoffSlots}). */
  public NetworkServerConfig withDownlinkBackoffSlots(int v) {
    return with(c -> c.downlinkBackoffSlots = v);
  }

  /** Applies {@code change} to a copy of these settings (validated like any other). */
  private NetworkServerConfig with(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** The settings as mutable fields, for the {@code with...} methods. */
  private static final class Copy {
    NetId netId;
    int nwkAddrBits;
    Duration deduplicationWindow;
    Duration cooldownWindow;
    double adrMarginDb;
    int adrHistory;
    int defaultRx1DelaySeconds;
    int defaultRx1DataRateOffset;
    int confirmedDownlinkMaxAttempts;
    int statusCountPeriodicity;
    Duration classCRetryInterval;
    int classCMaxAttempts;
    int maxDownlinkPaths;
    int maxPhyPayloadSize;
    int maxRxMetadata;
    int maxQueuedDownlinks;
    int maxOpenDeduplicationWindows;
    boolean deduplicationEarlyClose;
    int deduplicationEarlyCloseDevAddrs;
    int maxCoolingDeduplicationWindows;
    Duration deduplicationCooldownBatch;
    boolean inlineEarlyClosedUplinks;
    int maxUplinksInFlight;
    int shedUplinkCounters;
    int downlinkRefusalBackoffMax;
    int downlinkBackoffSlots;

    Copy(NetworkServerConfig s) {
      netId = s.netId;
      nwkAddrBits = s.nwkAddrBits;
      deduplicationWindow = s.deduplicationWindow;
      cooldownWindow = s.cooldownWindow;
      adrMarginDb = s.adrMarginDb;
      adrHistory = s.adrHistory;
      defaultRx1DelaySeconds = s.defaultRx1DelaySeconds;
      defaultRx1DataRateOffset = s.defaultRx1DataRateOffset;
      confirmedDownlinkMaxAttempts = s.confirmedDownlinkMaxAttempts;
      statusCountPeriodicity = s.statusCountPeriodicity;
      classCRetryInterval = s.classCRetryInterval;
      classCMaxAttempts = s.classCMaxAttempts;
      maxDownlinkPaths = s.maxDownlinkPaths;
      maxPhyPayloadSize = s.maxPhyPayloadSize;
      maxRxMetadata = s.maxRxMetadata;
      maxQueuedDownlinks = s.maxQueuedDownlinks;
      maxOpenDeduplicationWindows = s.maxOpenDeduplicationWindows;
      deduplicationEarlyClose = s.deduplicationEarlyClose;
      deduplicationEarlyCloseDevAddrs = s.deduplicationEarlyCloseDevAddrs;
      maxCoolingDeduplicationWindows = s.maxCoolingDeduplicationWindows;
      deduplicationCooldownBatch = s.deduplicationCooldownBatch;
      inlineEarlyClosedUplinks = s.inlineEarlyClosedUplinks;
      maxUplinksInFlight = s.maxUplinksInFlight;
      shedUplinkCounters = s.shedUplinkCounters;
      downlinkRefusalBackoffMax = s.downlinkRefusalBackoffMax;
      downlinkBackoffSlots = s.downlinkBackoffSlots;
    }

    NetworkServerConfig build() {
      return new NetworkServerConfig(netId, nwkAddrBits, deduplicationWindow, cooldownWindow,
          adrMarginDb, adrHistory, defaultRx1DelaySeconds, defaultRx1DataRateOffset,
          confirmedDownlinkMaxAttempts, statusCountPeriodicity, classCRetryInterval,
          classCMaxAttempts, maxDownlinkPaths, maxPhyPayloadSize, maxRxMetadata, maxQueuedDownlinks,
          maxOpenDeduplicationWindows, deduplicationEarlyClose, deduplicationEarlyCloseDevAddrs,
          maxCoolingDeduplicationWindows, deduplicationCooldownBatch, inlineEarlyClosedUplinks,
          maxUplinksInFlight, shedUplinkCounters, downlinkRefusalBackoffMax, downlinkBackoffSlots);
    }
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + ": expected a positive duration, found " + d);
    }
  }

  private static void range(int v, int min, int max, String name) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + ": expected " + min + ".." + max + ", found " + v);
    }
  }
}
