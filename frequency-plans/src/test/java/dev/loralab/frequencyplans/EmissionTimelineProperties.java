package dev.loralab.frequencyplans;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/**
 * {@link EmissionTimeline} computes the same peak window usage and overlaps as the reference's
 * exhaustive evaluation, as numbers rather than yes/no answers, so that an error of a nanosecond on
 * any piece of the window range shows.
 */
class EmissionTimelineProperties {
  private static final long WINDOW = 1_000;

  /** Kind 0 adds {@code [start, start + airtime]}, 1 forgets emissions ended before {@code start}, 2 queries. */
  record Op(int kind, long start, long airtime) {}

  @Provide
  Arbitrary<Op> ops() {
    Arbitrary<Long> start = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().between(-20, 120).map(k -> k * 25)),
        Tuple.of(1, Arbitraries.longs().between(-500, 3_000)));
    Arbitrary<Long> airtime = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().between(0, 16).map(k -> k * 25)),
        Tuple.of(2, Arbitraries.longs().between(0, 1_000)),
        Tuple.of(1, Arbitraries.longs().between(1_000, 2_500)));
    Arbitrary<Integer> kind = Arbitraries.frequency(Tuple.of(6, 0), Tuple.of(1, 1), Tuple.of(4, 2));
    return Combinators.combine(kind, start, airtime).as(Op::new);
  }

  @Property(tries = 500)
  void peakUsageAndOverlapAsTheReference(@ForAll @Size(min = 1, max = 150) List<@From("ops") Op> ops) {
    EmissionTimeline timeline = new EmissionTimeline(WINDOW, 7);
    ReferenceDutyCycleLedger reference = new ReferenceDutyCycleLedger(
        SubBand.of(868_000_000, 868_600_000, 1.0, 14), Duration.ofNanos(WINDOW), Clock.systemUTC());
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      long s = op.start();
      String step = "step " + i + " " + op;
      switch (op.kind()) {
        case 0 -> {
          timeline.add(s, s + op.airtime());
          reference.add(s, s + op.airtime());
        }
        case 1 -> {
          timeline.forgetEndedBefore(s);
          reference.forgetEndedBefore(s);
        }
        default -> {
          long e = s + Math.min(op.airtime(), WINDOW);
          assertThat(timeline.peakUsageWith(s, e)).as(step).isEqualTo(reference.peakUsageWith(s, e));
          assertThat(timeline.overlap(s - WINDOW, s)).as(step).isEqualTo(reference.overlap(s - WINDOW, s));
          assertThat(timeline.overlap(s, e)).as(step).isEqualTo(reference.overlap(s, e));
        }
      }
    }
  }
}
