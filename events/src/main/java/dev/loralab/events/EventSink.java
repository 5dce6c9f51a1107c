package dev.loralab.events;

/**
 * Receives a push subscription's events, one at a time, never concurrently. Delivery pauses while
 * {@link #ready()} is false; call {@link Subscription#wake()} when it becomes true again.
 */
public interface EventSink {

  /** Whether the sink can take more events now (e.g. the socket is writable). */
  boolean ready();

  /** Delivers one event (possibly an {@code events.stream.lag} event). */
  void accept(Event event);

  /** Called after a batch of events was delivered. */
  default void flush() {
  }

  /** The subscription ended because the bus closed. */
  default void closed() {
  }
}
