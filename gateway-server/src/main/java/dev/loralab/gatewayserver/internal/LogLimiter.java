package dev.loralab.gatewayserver.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Allows one log line per key per interval and counts what it suppressed. */
public final class LogLimiter {

  private final Duration interval;
  private final Clock clock;
  private final int maxKeys;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  private static final class Entry {
    volatile Instant last;
    final AtomicLong suppressed = new AtomicLong();

    Entry(Instant last) {
      this.last = last;
    }
  }

  /** One line per key per {@code interval}; at most {@code maxKeys} keys are remembered. */
  public LogLimiter(Duration interval, Clock clock, int maxKeys) {
    this.interval = Objects.requireNonNull(interval, "interval");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxKeys = maxKeys;
  }

  /**
   * Whether to log now for {@code key}: -1 if not, else the number of lines suppressed since the
   * last one.
   */
  public long permit(String key) {
    Instant now = clock.instant();
    if (entries.size() >= maxKeys && !entries.containsKey(key)) {
      entries.clear();
    }
    Entry e = entries.get(key);
    if (e == null) {
      e = entries.putIfAbsent(key, new Entry(now));
      if (e == null) {
        return 0;
      }
    }
    synchronized (e) {
      if (Duration.between(e.last, now).compareTo(interval) >= 0) {
        e.last = now;
        return e.suppressed.getAndSet(0);
      }
    }
    e.suppressed.incrementAndGet();
    return -1;
  }
}
