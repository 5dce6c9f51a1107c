package dev.loralab.benchmarks;

import dev.loralab.frequencyplans.Band;
import dev.loralab.frequencyplans.Bands;
import dev.loralab.frequencyplans.DataRate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Band#dataRateIndex(DataRate)} as the gateway and network servers call it per uplink (a
 * freshly built data rate, as parsed from a {@code datr}), against the stream search it replaced.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BandDataRateIndexBenchmark {

  private Band eu;
  private Band us;
  private int sf;

  @Setup
  public void setup() {
    eu = Bands.byId("EU_863_870");
    us = Bands.byId("US_902_928");
    sf = 7;
  }

  /** EU868 SF7BW125 (DR5), the most common uplink data rate. */
  @Benchmark
  public Optional<Integer> eu868Sf7() {
    return eu.dataRateIndex(DataRate.lora(sf, 125_000));
  }

  /** US915 SF8BW500 (DR4, also DR12): the lowest index wins. */
  @Benchmark
  public Optional<Integer> us915Sf8Bw500() {
    return us.dataRateIndex(DataRate.lora(sf + 1, 500_000));
  }

  /** The former implementation, for comparison. */
  @Benchmark
  public Optional<Integer> eu868Sf7StreamSearch() {
    DataRate dr = DataRate.lora(sf, 125_000);
    return eu.dataRates().entrySet().stream().filter(e -> e.getValue().equals(dr))
        .map(Map.Entry::getKey).findFirst();
  }
}
