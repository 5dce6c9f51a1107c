package dev.loralab.benchmarks;

import dev.loralab.frequencyplans.DutyCycleLedger;
import dev.loralab.frequencyplans.SubBand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Steady-state {@link DutyCycleLedger#tryRecord} on a 10 % sub-band holding an hour of evenly spread
 * emissions: each call moves the clock on by one emission period and records a new emission at
 * "now", so the ledger forgets one emission as it records one and keeps its size. This is the whole
 * per-downlink cost of the ledger (check, record, forget).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DutyCycleLedgerRecordBenchmark {

  private static final long FREQ = 869_525_000L;

  /** Emissions recorded per hour. */
  @Param({"100", "1000", "5000"})
  public int emissions;

  /** A clock the benchmark moves by hand. */
  static final class SteppedClock extends Clock {
    Instant now = Instant.parse("2026-01-15T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final SteppedClock clock = new SteppedClock();
  private DutyCycleLedger ledger;
  private Duration airtime;
  private Duration step;

  @Setup(Level.Trial)
  public void fill() {
    ledger = new DutyCycleLedger(List.of(SubBand.of(869_400_000L, 869_650_000L, 0.1, 27)), clock);
    long hour = Duration.ofHours(1).toNanos();
    airtime = Duration.ofNanos((long) (0.9 * 0.1 * hour / emissions));
    step = Duration.ofNanos(hour / emissions);
    for (int i = 0; i < emissions; i++) {
      record();
    }
  }

  @Benchmark
  public boolean record() {
    clock.now = clock.now.plus(step);
    boolean fitted = ledger.tryRecord(FREQ, clock.now, airtime);
    if (!fitted) {
      throw new IllegalStateException("an emission at 90 % of the duty cycle should fit");
    }
    return fitted;
  }
}
