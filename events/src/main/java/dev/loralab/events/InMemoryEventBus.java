package dev.loralab.events;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.events.internal.SubscriberQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-process {@link EventBus}.
 *
 * <p>Subscribers are indexed by entity key ({@link EntityKeys}), so publishing costs
 * O(identifiers + matching subscribers), not O(all subscribers). Each subscriber has a bounded
 * lock-free queue; publishing never blocks. A device event defined as propagate-to-parent is also
 * delivered to subscribers of its application. Every published event is recorded in the
 * {@link EventHistory} given here (if any).
 *
 * <p>Metrics: {@code events.published} counter, {@code events.subscriber.dropped} counter,
 * {@code events.subscribers} gauge.
 */
public final class InMemoryEventBus implements EventBus, AutoCloseable {

  private final EventsConfig config;
  private final EventHistory history;
  private final EventFactory factory;
  private final ConcurrentHashMap<String, CopyOnWriteArrayList<SubscriberQueue>> index = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<SubscriberQueue> all = new CopyOnWriteArrayList<>();
  private final Counter published;
  private final Counter dropped;
  private final AtomicInteger subscribers = new AtomicInteger();
  private volatile boolean closed;

  /**
   * @param config   queue sizes
   * @param history  where published events are recorded, or null for none
   * @param factory  stamps lag events
   * @param registry metrics
   */
  public InMemoryEventBus(EventsConfig config, EventHistory history, EventFactory factory, MeterRegistry registry) {
    this.config = Objects.requireNonNull(config, "config");
    this.history = history;
    this.factory = Objects.requireNonNull(factory, "factory");
    this.published = Counter.builder("events.published").description("Events published").register(registry);
    this.dropped = Counter.builder("events.subscriber.dropped")
        .description("Events dropped because a subscriber queue was full").register(registry);
    Gauge.builder("events.subscribers", subscribers, AtomicInteger::get).description("Live subscriptions")
        .register(registry);
  }

  /** The history this bus records into, or null. */
  public EventHistory history() {
    return history;
  }

  /** Number of live subscriptions. */
  public int subscriberCount() {
    return subscribers.get();
  }

  /** The configuration. */
  public EventsConfig config() {
    return config;
  }

  @Override
  public void publish(Event event) {
    Objects.requireNonNull(event, "event");
    published.increment();
    String[] keys = event.entityKeys();
    boolean matched = false;
    boolean wanted = false;
    for (String key : keys) {
      if (key != null) {
        List<SubscriberQueue> subs = index.get(key);
        if (subs != null) {
          matched = true;
          wanted = wanted || anyWants(subs, event);
        }
      }
    }
    if (history != null) {
      if (wanted) {
        // Encoded into the event's own cached array, which the history copies and the
        // subscribers' renderings print from; else the history encodes into a reused array.
        event.protoBytes();
      }
      history.record(event);
    }
    if (!matched) {
      return;
    }
    // A subscriber appears once in each key's list; the de-duplication list is only needed (and
    // only allocated) when the event matches the lists of two or more keys.
    List<SubscriberQueue> only = null;
    List<SubscriberQueue> seen = null;
    for (String key : keys) {
      if (key == null) {
        continue;
      }
      List<SubscriberQueue> subs = index.get(key);
      if (subs == null) {
        continue;
      }
      if (only == null) {
        only = subs;
        continue;
      }
      if (seen == null) {
        seen = new ArrayList<>(4);
        deliver(only, event, seen);
      }
      deliver(subs, event, seen);
    }
    if (only != null && seen == null) {
      deliver(only, event, null);
    }
  }

  private static void deliver(List<SubscriberQueue> subs, Event event, List<SubscriberQueue> seen) {
    if (subs == null) {
      return;
    }
    for (SubscriberQueue s : subs) {
      if (seen != null) {
        if (containsIdentity(seen, s)) {
          continue;
        }
        seen.add(s);
      }
      s.offer(event);
    }
  }

  private static boolean anyWants(List<SubscriberQueue> subs, Event event) {
    for (SubscriberQueue s : subs) {
      if (s.wants(event)) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsIdentity(List<SubscriberQueue> list, SubscriberQueue s) {
    for (SubscriberQueue x : list) {
      if (x == s) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Subscription subscribe(SubscriptionRequest request) {
    return register(request, null, null);
  }

  @Override
  public Subscription subscribe(SubscriptionRequest request, EventSink sink, Executor executor) {
    return register(request, Objects.requireNonNull(sink, "sink"), Objects.requireNonNull(executor, "executor"));
  }

  private Subscription register(SubscriptionRequest request, EventSink sink, Executor executor) {
    if (closed) {
      throw dev.loralab.api.ApiException.unavailable("event bus is closed");
    }
    List<String> keys = new ArrayList<>();
    for (EntityIdentifiers id : request.identifiers()) {
      String k = EntityKeys.of(id);
      if (!keys.contains(k)) {
        keys.add(k);
      }
    }
    SubscriberQueue q = new SubscriberQueue(request, dropped, missed -> lagEvent(request, missed), sink, executor,
        config.deliveryBatch(), config.deliveryLinger(), self -> unregister(self, keys));
    for (String k : keys) {
      index.compute(k, (x, list) -> {
        CopyOnWriteArrayList<SubscriberQueue> l = list == null ? new CopyOnWriteArrayList<>() : list;
        l.add(q);
        return l;
      });
    }
    all.add(q);
    subscribers.incrementAndGet();
    return q;
  }

  private void unregister(SubscriberQueue q, List<String> keys) {
    for (String k : keys) {
      index.computeIfPresent(k, (x, list) -> {
        list.remove(q);
        return list.isEmpty() ? null : list;
      });
    }
    if (all.remove(q)) {
      subscribers.decrementAndGet();
    }
  }

  private Event lagEvent(SubscriptionRequest request, long missed) {
    Struct data = Struct.newBuilder().putFields("missed", Value.newBuilder().setNumberValue(missed).build()).build();
    return factory.builder(EventCatalogue.STREAM_LAG).identifiers(request.identifiers()).data(data).build();
  }

  /** Closes every subscription (push sinks are told) and rejects new ones. */
  @Override
  public void close() {
    closed = true;
    for (SubscriberQueue q : all) {
      q.busClosed();
    }
  }
}
