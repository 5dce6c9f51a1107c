package dev.loralab.frequencyplans;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The straightforward duty-cycle check of one sub-band, kept as the reference for
 * {@link DutyCycleLedger}: the usage of every window of length W overlapping the new emission is
 * evaluated at each window start where a window edge meets an emission edge (and at both ends of
 * the range), summing the overlap of every recorded emission. Quadratic, obviously right.
 */
final class ReferenceDutyCycleLedger {
  private final SubBand subBand;
  private final long window;
  private final Clock clock;
  private final List<long[]> emissions = new ArrayList<>();

  ReferenceDutyCycleLedger(SubBand subBand, Duration window, Clock clock) {
    this.subBand = subBand;
    this.window = window.toNanos();
    this.clock = clock;
  }

  boolean fits(Instant start, Duration airtime) {
    prune();
    long s = nanos(start);
    return fits(s, s + airtime.toNanos());
  }

  void record(Instant start, Duration airtime) {
    prune();
    long s = nanos(start);
    emissions.add(new long[] {s, s + airtime.toNanos()});
  }

  boolean tryRecord(Instant start, Duration airtime) {
    prune();
    long s = nanos(start);
    long e = s + airtime.toNanos();
    if (!fits(s, e)) {
      return false;
    }
    emissions.add(new long[] {s, e});
    return true;
  }

  Duration used(Instant at) {
    prune();
    long end = nanos(at);
    return Duration.ofNanos(overlap(end - window, end));
  }

  Duration remaining(Instant at) {
    prune();
    long end = nanos(at);
    return Duration.ofNanos(Math.max(budget() - overlap(end - window, end), 0));
  }

  private long budget() {
    return (long) Math.floor(subBand.dutyCycle() * window);
  }

  private boolean fits(long start, long end) {
    long budget = budget();
    if (end - start > budget) {
      return false;
    }
    return peakUsageWith(start, end) <= budget;
  }

  /**
   * The largest usage of a window overlapping {@code [start, end]} (window starts in
   * {@code [start - W, end]}), the new emission included, evaluated at the range's ends and at every
   * window start where a window edge meets an emission edge.
   */
  long peakUsageWith(long start, long end) {
    long lo = start - window;
    long hi = end;
    List<Long> windowStarts = new ArrayList<>(List.of(lo, hi));
    List<long[]> all = new ArrayList<>(emissions);
    all.add(new long[] {start, end});
    for (long[] e : all) {
      windowStarts.addAll(List.of(e[0] - window, e[1] - window, e[0], e[1]));
    }
    long peak = 0;
    for (long ws : windowStarts) {
      if (ws < lo || ws > hi) {
        continue;
      }
      long own = Math.max(0, Math.min(end, ws + window) - Math.max(start, ws));
      peak = Math.max(peak, overlap(ws, ws + window) + own);
    }
    return peak;
  }

  /** Records without pruning (for tests of the timeline alone). */
  void add(long start, long end) {
    emissions.add(new long[] {start, end});
  }

  /** Forgets emissions that ended before the horizon. */
  void forgetEndedBefore(long horizon) {
    emissions.removeIf(e -> e[1] < horizon);
  }

  long overlap(long from, long to) {
    long sum = 0;
    for (long[] e : emissions) {
      sum += Math.max(0, Math.min(e[1], to) - Math.max(e[0], from));
    }
    return sum;
  }

  private void prune() {
    forgetEndedBefore(nanos(clock.instant()) - window);
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
