package dev.loralab.gatewayserver.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** The last round-trip times (PULL_RESP to TX_ACK) of one gateway. Thread-safe. */
public final class RoundTripStats {

  private final long[] samples;
  private int count;
  private int next;

  /** Keeps the last {@code capacity} samples. */
  public RoundTripStats(int capacity) {
    this.samples = new long[capacity];
  }

  /** Adds a sample. */
  public synchronized void record(Duration rtt) {
    samples[next] = rtt.toNanos();
    next = (next + 1) % samples.length;
    count = Math.min(count + 1, samples.length);
  }

  /** The 90th percentile of the kept samples, if any. */
  public synchronized Optional<Duration> percentile90() {
    if (count == 0) {
      return Optional.empty();
    }
    long[] sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(0.9 * count) - 1;
    return Optional.of(Duration.ofNanos(sorted[Math.max(index, 0)]));
  }

  /**
   * Minimum, maximum and median of the kept samples.
   *
   * @param count how many samples are kept (at most the capacity)
   */
  public record Summary(Duration min, Duration max, Duration median, int count) {}

  /** The summary of the kept samples, if any (median: the lower middle of an even count). */
  public synchronized Optional<Summary> summary() {
    if (count == 0) {
      return Optional.empty();
    }
    long[] sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
    return Optional.of(new Summary(Duration.ofNanos(sorted[0]),
        Duration.ofNanos(sorted[count - 1]), Duration.ofNanos(sorted[(count - 1) / 2]), count));
  }

  /** The latest sample, if any. */
  public synchronized Optional<Duration> last() {
    if (count == 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(samples[(next - 1 + samples.length) % samples.length]));
  }
}
