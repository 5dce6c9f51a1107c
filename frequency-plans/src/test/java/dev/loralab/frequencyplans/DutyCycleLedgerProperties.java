package dev.loralab.frequencyplans;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever is reserved, no window of the ledger's length holds more than the duty-cycle budget. */
class DutyCycleLedgerProperties {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Property(tries = 200)
  void noWindowExceedsTheBudget(
      @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 600_000) Integer> startsMs,
      @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 1, max = 3_000) Integer> airtimesMs) {
    Duration window = Duration.ofMinutes(1); // 1 % -> 600 ms budget per minute
    DutyCycleLedger ledger = new DutyCycleLedger(
        List.of(SubBand.of(868_000_000, 868_600_000, 0.01, 14)), window, Clock.fixed(T0, ZoneOffset.UTC));
    List<long[]> accepted = new ArrayList<>();
    for (int i = 0; i < startsMs.size(); i++) {
      long s = startsMs.get(i);
      long a = airtimesMs.get(i % airtimesMs.size());
      if (ledger.tryRecord(868_100_000, T0.plusMillis(s), Duration.ofMillis(a))) {
        accepted.add(new long[] {s, s + a});
      }
    }
    long w = window.toMillis();
    // The usage of a sliding window peaks where a window edge meets an emission edge; check those
    // windows and a coarse sweep.
    List<Long> windowStarts = new ArrayList<>();
    for (long[] e : accepted) {
      windowStarts.add(e[0]);
      windowStarts.add(e[1]);
      windowStarts.add(e[0] - w);
      windowStarts.add(e[1] - w);
    }
    for (long ws = -w; ws <= 610_000; ws += 250) {
      windowStarts.add(ws);
    }
    for (long ws : windowStarts) {
      long used = 0;
      for (long[] e : accepted) {
        used += Math.max(0, Math.min(e[1], ws + w) - Math.max(e[0], ws));
      }
      assertThat(used).as("window starting at %d ms", ws).isLessThanOrEqualTo(600);
    }
  }
}
