package dev.loralab.frequencyplans;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Duty-cycle accounting of one gateway over a rolling window (default one hour), per sub-band.
 *
 * <p>An emission of {@code airtime} starting at {@code start} fits a sub-band with duty cycle
 * {@code d} if in <em>every</em> window of the configured length that overlaps it, the airtime
 * already recorded (past or scheduled ahead) plus the new airtime in that window is at most
 * {@code d · window}. The window usage is piecewise linear in the window's start, so its maximum lies
 * where a window edge meets an emission edge; the ledger keeps the usage at those instants in a
 * balanced tree with range maxima, so a check costs O(log n) in the emissions of the sub-band, and
 * recording or forgetting an emission O((1 + k) log n), k being the emission edges that lie within
 * its airtime of its own edges (shifted by the window).
 *
 * <p>Thread-safe. Each sub-band has its own lock, so concurrent downlinks on different sub-bands
 * never contend; there is no ledger-wide lock. Records older than one window before the clock's
 * current time are dropped, so questions about the distant past are not meaningful.
 */
public final class DutyCycleLedger {
  /** The ETSI rolling window used by default. */
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

  private final List<Account> accounts;
  private final long windowNanos;
  private final Clock clock;

  /**
   * A ledger over the given sub-bands.
   *
   * @param subBands sub-bands to account (a frequency in several uses the first)
   * @param window rolling window length
   * @param clock time source used to forget old emissions
   */
  public DutyCycleLedger(List<SubBand> subBands, Duration window, Clock clock) {
    if (subBands == null || subBands.isEmpty()) {
      throw new FrequencyPlanException("duty-cycle ledger: at least one sub-band expected");
    }
    if (window == null || window.isZero() || window.isNegative()) {
      throw new FrequencyPlanException("duty-cycle ledger: positive window expected, found " + window);
    }
    if (clock == null) {
      throw new FrequencyPlanException("duty-cycle ledger: clock expected");
    }
    this.windowNanos = window.toNanos();
    List<Account> list = new ArrayList<>(subBands.size());
    for (SubBand s : subBands) {
      list.add(new Account(s, windowNanos, list.size()));
    }
    this.accounts = List.copyOf(list);
    this.clock = clock;
  }

  /** A ledger with the default one-hour window. */
  public DutyCycleLedger(List<SubBand> subBands, Clock clock) {
    this(subBands, DEFAULT_WINDOW, clock);
  }

  /** A ledger over a frequency plan's sub-bands with the default window. */
  public static DutyCycleLedger forPlan(FrequencyPlan plan, Clock clock) {
    return new DutyCycleLedger(plan.subBands(), DEFAULT_WINDOW, clock);
  }

  /** The rolling window length. */
  public Duration window() {
    return Duration.ofNanos(windowNanos);
  }

  /**
   * Whether an emission still fits its sub-band's duty cycle.
   *
   * @throws FrequencyPlanException if the frequency is outside every sub-band
   */
  public boolean fits(long frequencyHz, Instant start, Duration airtime) {
    Account a = account(frequencyHz);
    long s = nanos(start);
    long e = s + checkAirtime(airtime);
    synchronized (a) {
      a.prune(nanos(clock.instant()) - windowNanos);
      return a.fits(s, e, windowNanos);
    }
  }

  /** Records an emission without checking it (e.g. one the gateway reported as sent). */
  public void record(long frequencyHz, Instant start, Duration airtime) {
    Account a = account(frequencyHz);
    long s = nanos(start);
    long e = s + checkAirtime(airtime);
    synchronized (a) {
      a.prune(nanos(clock.instant()) - windowNanos);
      a.add(s, e);
    }
  }

  /** Atomically checks and records an emission; returns whether it fitted (and was recorded). */
  public boolean tryRecord(long frequencyHz, Instant start, Duration airtime) {
    Account a = account(frequencyHz);
    long s = nanos(start);
    long e = s + checkAirtime(airtime);
    synchronized (a) {
      a.prune(nanos(clock.instant()) - windowNanos);
      if (!a.fits(s, e, windowNanos)) {
        return false;
      }
      a.add(s, e);
      return true;
    }
  }

  /** Airtime recorded in the sub-band of a frequency within the window ending at {@code at}. */
  public Duration used(long frequencyHz, Instant at) {
    Account a = account(frequencyHz);
    long end = nanos(at);
    synchronized (a) {
      a.prune(nanos(clock.instant()) - windowNanos);
      return Duration.ofNanos(a.overlap(end - windowNanos, end));
    }
  }

  /** Airtime still available in the sub-band of a frequency within the window ending at {@code at}. */
  public Duration remaining(long frequencyHz, Instant at) {
    Account a = account(frequencyHz);
    long end = nanos(at);
    synchronized (a) {
      a.prune(nanos(clock.instant()) - windowNanos);
      return Duration.ofNanos(Math.max(a.budget(windowNanos) - a.overlap(end - windowNanos, end), 0));
    }
  }

  /** The sub-band that accounts a frequency. */
  public SubBand subBand(long frequencyHz) {
    return account(frequencyHz).subBand;
  }

  private Account account(long frequencyHz) {
    for (Account a : accounts) {
      if (a.subBand.contains(frequencyHz)) {
        return a;
      }
    }
    throw new FrequencyPlanException("duty cycle: frequency " + frequencyHz + " is outside every sub-band");
  }

  private static long checkAirtime(Duration airtime) {
    if (airtime == null || airtime.isNegative()) {
      throw new FrequencyPlanException("duty cycle: non-negative airtime expected, found " + airtime);
    }
    return airtime.toNanos();
  }

  private static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  /** Emissions of one sub-band; guarded by its own monitor. */
  private static final class Account {
    final SubBand subBand;
    private final EmissionTimeline timeline;

    Account(SubBand subBand, long windowNanos, long seed) {
      this.subBand = subBand;
      this.timeline = new EmissionTimeline(windowNanos, seed);
    }

    long budget(long windowNanos) {
      return (long) Math.floor(subBand.dutyCycle() * windowNanos);
    }

    boolean fits(long start, long end, long windowNanos) {
      long budget = budget(windowNanos);
      if (end - start > budget) {
        return false;
      }
      // Every window [ws, ws + W] with ws in [start - W, end] overlaps the new emission.
      return timeline.peakUsageWith(start, end) <= budget;
    }

    long overlap(long from, long to) {
      return timeline.overlap(from, to);
    }

    void add(long start, long end) {
      timeline.add(start, end);
    }

    void prune(long horizon) {
      timeline.forgetEndedBefore(horizon);
    }
  }
}
