package dev.loralab.frequencyplans;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
 * {@link DutyCycleLedger} answers exactly as {@link ReferenceDutyCycleLedger} over random sequences
 * of operations: overlapping emissions, emissions recorded without a check (longer than the budget
 * or the window), emissions on window edges, scheduled ahead or in the past, and a clock that moves
 * on so that old emissions are forgotten. Times are a few nanoseconds apart on a 1 µs window, so
 * edges coincide often.
 */
class DutyCycleLedgerReferenceProperties {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final long WINDOW = 1_000;
  private static final long FREQUENCY = 868_100_000;

  /** One call: kind 0 fits, 1 tryRecord, 2 record, 3 used, 4 remaining, 5 clock advance. */
  record Op(int kind, long start, long airtime) {}

  /** A clock the property moves by hand. */
  static final class SteppedClock extends Clock {
    Instant now = T0;

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

  @Provide
  Arbitrary<Op> ops() {
    // Starts on a 25 ns grid (so edges meet) or anywhere; airtimes mostly short, sometimes long.
    Arbitrary<Long> start = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().between(-40, 200).map(k -> k * 25)),
        Tuple.of(1, Arbitraries.longs().between(-1_000, 5_000)));
    Arbitrary<Long> airtime = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().between(0, 12).map(k -> k * 25)),
        Tuple.of(2, Arbitraries.longs().between(0, 300)),
        Tuple.of(1, Arbitraries.longs().between(0, 2_500)));
    Arbitrary<Integer> kind = Arbitraries.frequency(
        Tuple.of(3, 0), Tuple.of(4, 1), Tuple.of(2, 2), Tuple.of(1, 3), Tuple.of(1, 4), Tuple.of(1, 5));
    return Combinators.combine(kind, start, airtime).as(Op::new);
  }

  @Property(tries = 300)
  void answersAsTheReference(
      @ForAll @Size(min = 1, max = 120) List<@From("ops") Op> ops,
      @ForAll("dutyCycles") double dutyCycle) {
    SubBand subBand = SubBand.of(868_000_000, 868_600_000, dutyCycle, 14);
    SteppedClock clock = new SteppedClock();
    DutyCycleLedger ledger = new DutyCycleLedger(List.of(subBand), Duration.ofNanos(WINDOW), clock);
    ReferenceDutyCycleLedger reference = new ReferenceDutyCycleLedger(subBand, Duration.ofNanos(WINDOW), clock);
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      // Operations are relative to the clock, which only moves forward.
      Instant start = clock.now.plusNanos(op.start());
      Duration airtime = Duration.ofNanos(op.airtime());
      String step = "step " + i + " " + op;
      switch (op.kind()) {
        case 0 -> assertThat(ledger.fits(FREQUENCY, start, airtime)).as(step).isEqualTo(reference.fits(start, airtime));
        case 1 -> assertThat(ledger.tryRecord(FREQUENCY, start, airtime)).as(step)
            .isEqualTo(reference.tryRecord(start, airtime));
        case 2 -> {
          ledger.record(FREQUENCY, start, airtime);
          reference.record(start, airtime);
        }
        case 3 -> assertThat(ledger.used(FREQUENCY, start)).as(step).isEqualTo(reference.used(start));
        case 4 -> assertThat(ledger.remaining(FREQUENCY, start)).as(step).isEqualTo(reference.remaining(start));
        default -> clock.now = clock.now.plusNanos(op.airtime() * 2);
      }
    }
  }

  @Provide
  Arbitrary<Double> dutyCycles() {
    return Arbitraries.of(0.01, 0.1, 0.25, 0.333, 0.5, 1.0);
  }

  /** Many overlapping emissions recorded unchecked, then every kind of question over a range of instants. */
  @Property(tries = 100)
  void answersAsTheReferenceOverPiledUpEmissions(
      @ForAll @Size(min = 20, max = 150) List<@From("ops") Op> recorded, @ForAll("dutyCycles") double dutyCycle) {
    SubBand subBand = SubBand.of(868_000_000, 868_600_000, dutyCycle, 14);
    SteppedClock clock = new SteppedClock();
    DutyCycleLedger ledger = new DutyCycleLedger(List.of(subBand), Duration.ofNanos(WINDOW), clock);
    ReferenceDutyCycleLedger reference = new ReferenceDutyCycleLedger(subBand, Duration.ofNanos(WINDOW), clock);
    for (Op op : recorded) {
      Instant start = T0.plusNanos(op.start());
      Duration airtime = Duration.ofNanos(op.airtime() / 8);
      ledger.record(FREQUENCY, start, airtime);
      reference.record(start, airtime);
    }
    for (long at = -1_200; at <= 6_200; at += 37) {
      Instant t = T0.plusNanos(at);
      for (long airtime : new long[] {0, 1, 10, 100, 333, 1_000}) {
        assertThat(ledger.fits(FREQUENCY, t, Duration.ofNanos(airtime))).as("fits %d for %d", at, airtime)
            .isEqualTo(reference.fits(t, Duration.ofNanos(airtime)));
      }
      assertThat(ledger.used(FREQUENCY, t)).isEqualTo(reference.used(t));
    }
  }
}
