package dev.loralab.events;

import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of the event system.
 *
 * @param historyMaxEvents        events kept per entity (default 100)
 * @param historyMaxAge           age after which history events are dropped (default 24 h)
 * @param correlationMaxEvents    events kept per correlation ID for {@code FindRelated} (default 100)
 * @param correlationMaxIds       correlation IDs indexed at most; the oldest are forgotten first (default 100,000)
 * @param subscriberQueueSize     bounded queue per subscriber; overflow is reported in-band as {@code events.stream.lag} (default 4096)
 * @param keepaliveInterval       interval of {@code : keepalive} comments on SSE streams (default 15 s)
 * @param maxTail                 largest accepted {@code tail} (default 1000; larger values are clamped)
 * @param maxIdentifiers          most identifiers in one stream request (default 100)
 * @param deliveryBatch           events delivered per subscriber before yielding the executor (default 256)
 * @param historyMaxTotal         entries kept in all entity histories together, the oldest forgotten first
 *                                (default 50,000; an event of a device that propagates to its application
 *                                counts twice), so history memory does not grow with the number of devices
 * @param historyRingEvents       events the history's storage ring holds at most (default 200,000: the
 *                                50,000 entity entries plus the events of 100,000 correlation IDs at ~7
 *                                events per 5 new IDs, as an uplink has); when the ring is full the oldest
 *                                events leave the history too, whatever the other bounds
 * @param historyRingBytes        bytes of event encodings the ring holds at most (default 96 MiB: ~180,000
 *                                events of the ~550 bytes an uplink's events have on average, more than the
 *                                ~140,000 the correlation bounds retain); when full the oldest events leave
 *                                the history too. Segments are allocated when first needed and then reused in
 *                                turn, so under steady load the segments take this much heap
 * @param historySegmentBytes     size of one byte segment of the ring (default 4 MiB less 64 bytes, so that
 *                                with its array header a segment fills whole G1 regions of 1, 2 or 4 MiB; an
 *                                event encoding larger than this is kept as its own array)
 * @param deliveryLinger          how long a push subscriber's first event after an idle queue waits for more
 *                                before delivery starts (default 5 ms), so that a busy stream is written in
 *                                batches rather than one event per wake-up of the delivery executor and the
 *                                connection; a backlog is delivered without waiting. Zero delivers at once.
 *                                Applies when the delivery executor is a {@code ScheduledExecutorService}
 */
public record EventsConfig(
    int historyMaxEvents,
    Duration historyMaxAge,
    int correlationMaxEvents,
    int correlationMaxIds,
    int subscriberQueueSize,
    Duration keepaliveInterval,
    int maxTail,
    int maxIdentifiers,
    int deliveryBatch,
    int historyMaxTotal,
    int historyRingEvents,
    long historyRingBytes,
    int historySegmentBytes,
    Duration deliveryLinger) {

  /** Default {@link #historyRingEvents()}. */
  public static final int DEFAULT_RING_EVENTS = 200_000;
  /** Default {@link #historyRingBytes()}. */
  public static final long DEFAULT_RING_BYTES = 96L << 20;
  /** Default {@link #historySegmentBytes()}. */
  public static final int DEFAULT_SEGMENT_BYTES = (4 << 20) - 64;
  /** Default {@link #deliveryLinger()}. */
  public static final Duration DEFAULT_DELIVERY_LINGER = Duration.ofMillis(5);
  /** Largest accepted {@link #deliveryLinger()}. */
  public static final Duration MAX_DELIVERY_LINGER = Duration.ofSeconds(1);

  /** A configuration with the default storage ring ({@link #DEFAULT_RING_EVENTS} and so on). */
  public EventsConfig(int historyMaxEvents, Duration historyMaxAge, int correlationMaxEvents, int correlationMaxIds,
      int subscriberQueueSize, Duration keepaliveInterval, int maxTail, int maxIdentifiers, int deliveryBatch,
      int historyMaxTotal) {
    this(historyMaxEvents, historyMaxAge, correlationMaxEvents, correlationMaxIds, subscriberQueueSize,
        keepaliveInterval, maxTail, maxIdentifiers, deliveryBatch, historyMaxTotal, DEFAULT_RING_EVENTS,
        DEFAULT_RING_BYTES, DEFAULT_SEGMENT_BYTES, DEFAULT_DELIVERY_LINGER);
  }

  public EventsConfig {
    Objects.requireNonNull(historyMaxAge, "historyMaxAge");
    Objects.requireNonNull(keepaliveInterval, "keepaliveInterval");
    checkDeliveryLinger(deliveryLinger);
    positive("historyMaxEvents", historyMaxEvents);
    positive("correlationMaxEvents", correlationMaxEvents);
    positive("correlationMaxIds", correlationMaxIds);
    positive("subscriberQueueSize", subscriberQueueSize);
    positive("maxTail", maxTail);
    positive("maxIdentifiers", maxIdentifiers);
    positive("deliveryBatch", deliveryBatch);
    positive("historyMaxTotal", historyMaxTotal);
    positive("historyRingEvents", historyRingEvents);
    positive("historySegmentBytes", historySegmentBytes);
    if (historyRingBytes < historySegmentBytes) {
      throw new IllegalArgumentException("historyRingBytes: expected >= historySegmentBytes (" + historySegmentBytes
          + "), found " + historyRingBytes);
    }
    if (historyMaxAge.isNegative() || historyMaxAge.isZero()) {
      throw new IllegalArgumentException("historyMaxAge: expected > 0, found " + historyMaxAge);
    }
    if (keepaliveInterval.isNegative() || keepaliveInterval.isZero()) {
      throw new IllegalArgumentException("keepaliveInterval: expected > 0, found " + keepaliveInterval);
    }
  }

  /**
   * Checks a {@link #deliveryLinger()}: 0 to {@link #MAX_DELIVERY_LINGER}.
   *
   * @throws IllegalArgumentException naming the field, the range and the value
   */
  public static void checkDeliveryLinger(Duration v) {
    Objects.requireNonNull(v, "deliveryLinger");
    if (v.isNegative() || v.compareTo(MAX_DELIVERY_LINGER) > 0) {
      throw new IllegalArgumentException("deliveryLinger: expected 0 to " + MAX_DELIVERY_LINGER.toSeconds()
          + "s, found " + v);
    }
  }

  private static void positive(String field, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(field + ": expected >= 1, found " + v);
    }
  }

  /** The defaults listed above. */
  public static EventsConfig defaults() {
    return new EventsConfig(100, Duration.ofHours(24), 100, 100_000, 4096, Duration.ofSeconds(15), 1000, 100, 256, 50_000);
  }

  public EventsConfig withHistory(int maxEvents, Duration maxAge) {
    return new EventsConfig(maxEvents, maxAge, correlationMaxEvents, correlationMaxIds, subscriberQueueSize,
        keepaliveInterval, maxTail, maxIdentifiers, deliveryBatch, historyMaxTotal, historyRingEvents,
        historyRingBytes, historySegmentBytes, deliveryLinger);
  }

  public EventsConfig withSubscriberQueueSize(int v) {
    return new EventsConfig(historyMaxEvents, historyMaxAge, correlationMaxEvents, correlationMaxIds, v,
        keepaliveInterval, maxTail, maxIdentifiers, deliveryBatch, historyMaxTotal, historyRingEvents,
        historyRingBytes, historySegmentBytes, deliveryLinger);
  }

  public EventsConfig withKeepaliveInterval(Duration v) {
    return new EventsConfig(historyMaxEvents, historyMaxAge, correlationMaxEvents, correlationMaxIds,
        subscriberQueueSize, v, maxTail, maxIdentifiers, deliveryBatch, historyMaxTotal, historyRingEvents,
        historyRingBytes, historySegmentBytes, deliveryLinger);
  }

  /** This configuration with another bound on all entity histories together. */
  public EventsConfig withHistoryMaxTotal(int v) {
    return new EventsConfig(historyMaxEvents, historyMaxAge, correlationMaxEvents, correlationMaxIds,
        subscriberQueueSize, keepaliveInterval, maxTail, maxIdentifiers, deliveryBatch, v, historyRingEvents,
        historyRingBytes, historySegmentBytes, deliveryLinger);
  }

  public EventsConfig withCorrelationIndex(int maxEvents, int maxIds) {
    return new EventsConfig(historyMaxEvents, historyMaxAge, maxEvents, maxIds, subscriberQueueSize,
        keepaliveInterval, maxTail, maxIdentifiers, deliveryBatch, historyMaxTotal, historyRingEvents,
        historyRingBytes, historySegmentBytes, deliveryLinger);
  }

  /**
   * This configuration with another storage ring for the history: at most {@code events} events and
   * {@code bytes} bytes of encodings in segments of {@code segmentBytes}; when full, the oldest
   * events leave the history.
   */
  public EventsConfig withHistoryRing(int events, long bytes, int segmentBytes) {
    return new EventsConfig(historyMaxEvents, historyMaxAge, correlationMaxEvents, correlationMaxIds,
        subscriberQueueSize, keepaliveInterval, maxTail, maxIdentifiers, deliveryBatch, historyMaxTotal, events, bytes,
        segmentBytes, deliveryLinger);
  }

  /** This configuration with another {@link #deliveryLinger()}. */
  public EventsConfig withDeliveryLinger(Duration v) {
    return new EventsConfig(historyMaxEvents, historyMaxAge, correlationMaxEvents, correlationMaxIds,
        subscriberQueueSize, keepaliveInterval, maxTail, maxIdentifiers, deliveryBatch, historyMaxTotal,
        historyRingEvents, historyRingBytes, historySegmentBytes, v);
  }
}
