package dev.loralab.benchmarks;

import dev.loralab.events.Event;
import dev.loralab.events.EventsConfig;
import dev.loralab.events.InMemoryEventHistory;
import java.time.Clock;
import java.time.Duration;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The CPU of recording the seven events of one uplink ({@link EventHistoryBenchmark}'s events) into
 * an {@link InMemoryEventHistory} with small bounds (1,000 entity entries and correlation IDs), so
 * that the score is encoding and indexing without the garbage-collection cost and cache misses of
 * the default bounds' large live set (which {@link EventHistoryBenchmark#uplink} includes).
 * {@code record - buildOnly} is the history's share.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EventRecordBenchmark {

  private EventHistoryBenchmark uplinks;
  private InMemoryEventHistory history;

  @Setup
  public void setup() {
    uplinks = new EventHistoryBenchmark();
    uplinks.devices = 10_000;
    uplinks.setup();
    EventsConfig config = EventsConfig.defaults().withHistory(100, Duration.ofHours(24))
        .withHistoryMaxTotal(1000).withCorrelationIndex(100, 1000);
    history = new InMemoryEventHistory(config, Clock.systemUTC());
  }

  /** Builds the seven events of one uplink and records them. */
  @Benchmark
  public void record() {
    for (Event e : uplinks.build()) {
      history.record(e);
    }
  }

  /** Builds the seven events of one uplink (the baseline of {@link #record}). */
  @Benchmark
  public void buildOnly(Blackhole bh) {
    bh.consume(uplinks.build());
  }
}
