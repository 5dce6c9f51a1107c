package dev.loralab.gatewayserver;

import dev.loralab.events.Event;
import dev.loralab.events.EventBus;
import dev.loralab.events.EventSink;
import dev.loralab.events.Subscription;
import dev.loralab.events.SubscriptionRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/** Keeps every published event; tests poll it with generous timeouts. */
final class RecordingEventBus implements EventBus {

  final List<Event> events = new CopyOnWriteArrayList<>();

  @Override
  public void publish(Event event) {
    events.add(event);
  }

  @Override
  public Subscription subscribe(SubscriptionRequest request) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Subscription subscribe(SubscriptionRequest request, EventSink sink, Executor executor) {
    throw new UnsupportedOperationException();
  }

  List<String> names() {
    return events.stream().map(Event::name).toList();
  }

  Event await(String name, Predicate<Event> filter) {
    return Polling.await(() -> events.stream().filter(e -> e.name().equals(name)).filter(filter)
        .findFirst(), "event " + name);
  }

  Event await(String name) {
    return await(name, e -> true);
  }

  static final class Polling {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    static <T> T await(java.util.function.Supplier<Optional<T>> probe, String what) {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        Optional<T> v = probe.get();
        if (v.isPresent()) {
          return v.get();
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted waiting for " + what);
        }
      }
      throw new AssertionError("timed out waiting for " + what);
    }
  }
}
