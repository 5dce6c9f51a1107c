package dev.loralab.benchmarks;

import dev.loralab.frequencyplans.DutyCycleLedger;
import dev.loralab.frequencyplans.SubBand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * The duty-cycle check of {@link DutyCycleLedger#tryRecord} on a sub-band (869.4–869.65 MHz,
 * 10 %) that already holds a full hour of emissions, evenly spread and using 90 % of the budget.
 * The benchmark calls {@link DutyCycleLedger#fits} for a short emission at "now", which is the whole
 * cost of {@code tryRecord} except an O(1) append, so the ledger keeps its size across invocations.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DutyCycleLedgerBenchmark {

  private static final long FREQ = 869_525_000L;
  private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

  /** Emissions already recorded in the last hour. */
  @Param({"100", "1000", "5000"})
  public int emissions;

  private DutyCycleLedger ledger;
  private final Duration airtime = Duration.ofMillis(50);

  @Setup(Level.Trial)
  public void fill() {
    ledger = new DutyCycleLedger(List.of(SubBand.of(869_400_000L, 869_650_000L, 0.1, 27)),
        Clock.fixed(NOW, ZoneOffset.UTC));
    long hour = Duration.ofHours(1).toNanos();
    long each = (long) (0.9 * 0.1 * hour / emissions);
    long step = hour / emissions;
    Instant from = NOW.minus(Duration.ofHours(1));
    for (int i = 0; i < emissions; i++) {
      ledger.record(FREQ, from.plusNanos(i * step), Duration.ofNanos(each));
    }
    if (!ledger.fits(FREQ, NOW, airtime)) {
      throw new IllegalStateException("a 50 ms emission should fit the remaining 10 % of the budget");
    }
  }

  @Benchmark
  public boolean fits() {
    return ledger.fits(FREQ, NOW, airtime);
  }
}
