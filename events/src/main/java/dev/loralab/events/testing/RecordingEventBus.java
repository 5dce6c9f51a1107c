package dev.loralab.events.testing;

import dev.loralab.events.Event;
import dev.loralab.events.EventBus;
import dev.loralab.events.EventSink;
import dev.loralab.events.Subscription;
import dev.loralab.events.SubscriptionRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * An {@link EventBus} that records published events, for tests and tools. It keeps every event in
 * publication order and offers queries by name and polling waits; it has no subscribers
 * ({@code subscribe} throws {@link UnsupportedOperationException}).
 *
 * <p>Thread-safe: events may be published from any thread while another thread reads or awaits
 * them. Queries return immutable snapshots. Lookups that find nothing throw {@link AssertionError}
 * with the names recorded so far, so a failing test says what it saw.
 */
public final class RecordingEventBus implements EventBus {

  /** How long {@link #await(String)} polls unless told otherwise: generous, for slow machines. */
  public static final Duration DEFAULT_AWAIT_TIMEOUT = Duration.ofSeconds(30);

  private static final long POLL_INTERVAL_MILLIS = 10;

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final Duration awaitTimeout;

  /** A bus whose waits give up after {@link #DEFAULT_AWAIT_TIMEOUT}. */
  public RecordingEventBus() {
    this(DEFAULT_AWAIT_TIMEOUT);
  }

  /** A bus whose waits give up after {@code awaitTimeout} (positive). */
  public RecordingEventBus(Duration awaitTimeout) {
    Objects.requireNonNull(awaitTimeout, "awaitTimeout");
    if (awaitTimeout.isNegative() || awaitTimeout.isZero()) {
      throw new IllegalArgumentException("awaitTimeout: expected positive, found " + awaitTimeout);
    }
    this.awaitTimeout = awaitTimeout;
  }

  /** Records {@code event}. Never blocks. */
  @Override
  public void publish(Event event) {
    events.add(Objects.requireNonNull(event, "event"));
  }

  /** Not supported: this bus only records. */
  @Override
  public Subscription subscribe(SubscriptionRequest request) {
    throw new UnsupportedOperationException("RecordingEventBus has no subscribers");
  }

  /** Not supported: this bus only records. */
  @Override
  public Subscription subscribe(SubscriptionRequest request, EventSink sink, Executor executor) {
    throw new UnsupportedOperationException("RecordingEventBus has no subscribers");
  }

  /** Every event published so far, in publication order (a snapshot). */
  public List<Event> events() {
    return List.copyOf(events);
  }

  /** The names of every event published so far, in publication order. */
  public List<String> names() {
    return events.stream().map(Event::name).toList();
  }

  /** The events named {@code name}, in publication order. */
  public List<Event> named(String name) {
    return events.stream().filter(e -> e.name().equals(name)).toList();
  }

  /** Whether an event named {@code name} was published. */
  public boolean has(String name) {
    return events.stream().anyMatch(e -> e.name().equals(name));
  }

  /** How many events named {@code name} were published. */
  public long count(String name) {
    return events.stream().filter(e -> e.name().equals(name)).count();
  }

  /**
   * The first event named {@code name}.
   *
   * @throws AssertionError if there is none
   */
  public Event first(String name) {
    return events.stream().filter(e -> e.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + names()));
  }

  /**
   * The only event named {@code name}.
   *
   * @throws AssertionError if there is none or more than one
   */
  public Event single(String name) {
    List<Event> found = named(name);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + name + ", found " + names());
    }
    return found.get(0);
  }

  /** The last event matching {@code filter}, if any. */
  public Optional<Event> last(Predicate<Event> filter) {
    Event found = null;
    for (Event e : events) {
      if (filter.test(e)) {
        found = e;
      }
    }
    return Optional.ofNullable(found);
  }

  /** Forgets every event recorded so far. */
  public void clear() {
    events.clear();
  }

  /**
   * Polls until an event named {@code name} has been published and returns the first one.
   *
   * @throws AssertionError if none arrives within the await timeout, or the thread is interrupted
   */
  public Event await(String name) {
    return await(name, e -> true);
  }

  /**
   * Polls until an event named {@code name} and matching {@code filter} has been published and
   * returns the first such event.
   *
   * @throws AssertionError if none arrives within the await timeout, or the thread is interrupted
   */
  public Event await(String name, Predicate<Event> filter) {
    long deadline = System.nanoTime() + awaitTimeout.toNanos();
    while (true) {
      Optional<Event> found = events.stream().filter(e -> e.name().equals(name)).filter(filter)
          .findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError("timed out waiting for event " + name + "; recorded " + names());
      }
      try {
        Thread.sleep(POLL_INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for event " + name);
      }
    }
  }
}
