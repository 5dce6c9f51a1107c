package dev.loralab.events;

import java.time.Duration;

/**
 * A live subscription to an {@link EventBus}. Events are buffered in a bounded queue; when it
 * overflows, the events that did not fit are counted, and the subscriber later receives one
 * {@code events.stream.lag} event per gap carrying the exact number missed
 * ({@link #lagCount(Event)}).
 */
public interface Subscription extends AutoCloseable {

  /** The next event (possibly a lag event), or null when none is queued. Pull mode only. */
  Event poll();

  /** Waits up to {@code timeout} for the next event; null on timeout. Pull mode only. */
  Event poll(Duration timeout) throws InterruptedException;

  /** Re-schedules delivery to the sink (push mode), e.g. when the sink becomes ready again. */
  void wake();

  /** Total events dropped because the queue was full. */
  long droppedTotal();

  /** Unsubscribes. Idempotent. */
  @Override
  void close();

  /** Whether {@link #close()} was called (or the bus closed). */
  boolean isClosed();

  /** The number of missed events a lag event reports, or -1 when {@code e} is not a lag event. */
  static long lagCount(Event e) {
    if (!EventCatalogue.STREAM_LAG.name().equals(e.name()) || e.data() == null) {
      return -1;
    }
    try {
      var s = e.dataAs(com.google.protobuf.Struct.class);
      var v = s.getFieldsMap().get("missed");
      return v == null ? -1 : (long) v.getNumberValue();
    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
      return -1;
    }
  }
}
