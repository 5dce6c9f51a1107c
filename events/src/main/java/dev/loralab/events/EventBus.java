package dev.loralab.events;

import java.util.concurrent.Executor;

/**
 * In-process publish/subscribe of {@link Event}s. Publishing never blocks and costs O(matching
 * subscribers); slow subscribers lose events from their bounded queue and are told in-band.
 */
public interface EventBus {

  /** Publishes an event to every matching subscriber (and to history, if the bus keeps one). Never blocks. */
  void publish(Event event);

  /** A pull-mode subscription: read it with {@link Subscription#poll}. */
  Subscription subscribe(SubscriptionRequest request);

  /**
   * A push-mode subscription: events are delivered to {@code sink} on {@code executor}, serially,
   * while the sink is ready. An implementation may let delivery wait a moment after an idle
   * period (to deliver events in batches) when {@code executor} is a
   * {@link java.util.concurrent.ScheduledExecutorService}.
   */
  Subscription subscribe(SubscriptionRequest request, EventSink sink, Executor executor);
}
