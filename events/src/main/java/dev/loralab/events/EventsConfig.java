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
    int historyMaxTotal) {

  public EventsConfig {
    Objects.requireNonNull(historyMaxAge, "historyMaxAge");
    Objects.requireNonNull(keepaliveInterval, "keepaliveInterval");
    positive("historyMaxEvents", historyMaxEvents);
    positive("correlationMaxEvents", correlationMaxEvents);
    positive("correlationMaxIds", correlationMaxIds);
    positive("subscriberQueueSize", subscriberQueueSize);
    positive("maxTail", maxTail);
    positive("maxIdentifiers", maxIdentifiers);
    positive("deliveryBatch", deliveryBatch);
    positive("historyMaxTotal", historyMaxTotal);
    if (historyMaxAge.isNegative() || historyMaxAge.isZero()) {
      throw new IllegalArgumentException("historyMaxAge: expected > 0, found " + historyMaxAge);
    }
    if (keepaliveInterval.isNegative() || keepaliveInterval.isZero()) {
      throw new IllegalArgumentException("keepaliveInterval: expected > 0, found " + keepaliveInterval);
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
        keepaliveInterval, maxTail, maxIdentifiers, deliveryBatch, historyMaxTotal);
  }

  public EventsConfig withSubscriberQueueSize(int v) {
    return new EventsConfig(historyMaxEvents, historyMaxAge, correlationMaxEvents, correlationMaxIds, v,
        keepaliveInterval, maxTail, maxIdentifiers, deliveryBatch, historyMaxTotal);
  }

  public EventsConfig withKeepaliveInterval(Duration v) {
    return new EventsConfig(historyMaxEvents, historyMaxAge, correlationMaxEvents, correlationMaxIds,
        subscriberQueueSize, v, maxTail, maxIdentifiers, deliveryBatch, historyMaxTotal);
  }

  /** This configuration with another bound on all entity histories together. */
  public EventsConfig withHistoryMaxTotal(int v) {
    return new EventsConfig(historyMaxEvents, historyMaxAge, correlationMaxEvents, correlationMaxIds,
        subscriberQueueSize, keepaliveInterval, maxTail, maxIdentifiers, deliveryBatch, v);
  }

  public EventsConfig withCorrelationIndex(int maxEvents, int maxIds) {
    return new EventsConfig(historyMaxEvents, historyMaxAge, maxEvents, maxIds, subscriberQueueSize,
        keepaliveInterval, maxTail, maxIdentifiers, deliveryBatch, historyMaxTotal);
  }
}
