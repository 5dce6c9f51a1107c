package dev.loralab.gatewayserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ConcentratorClockTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final long WRAP = ConcentratorClock.WRAP;

  @Test
  void unsyncedHasNoMapping() {
    ConcentratorClock c = new ConcentratorClock();
    assertThat(c.synced()).isFalse();
    assertThat(c.toServerTime(5)).isEmpty();
    assertThat(c.toTimestamp(T0)).isEmpty();
  }

  @Test
  void followsARollover() {
    ConcentratorClock c = new ConcentratorClock();
    c.sync(WRAP - 1_000_000, T0);                       // 1 s before the wrap
    c.sync(2_000_000, T0.plusSeconds(3));               // 3 s later, after the wrap
    assertThat(c.toServerTime(3_000_000)).contains(T0.plusSeconds(4));
    assertThat(c.toServerTime(WRAP - 1_000_000)).contains(T0);
    assertThat(c.toTimestamp(T0.plusSeconds(10))).contains(9_000_000L);
  }

  @Test
  void reorderingIsNotARollover() {
    ConcentratorClock c = new ConcentratorClock();
    c.sync(50_000_000, T0);
    c.sync(49_000_000, T0.plusMillis(10)); // an older datagram arriving late
    assertThat(c.toServerTime(50_000_000)).isPresent();
    assertThat(c.toServerTime(51_000_000)).contains(T0.plusSeconds(1));
  }

  @Test
  void countsWholeWindowsThatPassedUnseen() {
    ConcentratorClock c = new ConcentratorClock();
    c.sync(100, T0);
    Instant later = T0.plus(Duration.ofMillis(WRAP / 1000 * 2)).plusSeconds(1);
    c.sync(1_000_100, later); // two full wraps + 1 s later
    assertThat(c.toTimestamp(later.plusSeconds(1))).contains(2_000_100L);
  }

  @Test
  void addWraps() {
    assertThat(ConcentratorClock.add(WRAP - 1, Duration.ofNanos(2000))).isEqualTo(1L);
    assertThat(ConcentratorClock.signedDelta(5, WRAP - 5)).isEqualTo(10L);
    assertThat(ConcentratorClock.signedDelta(WRAP - 5, 5)).isEqualTo(-10L);
  }

  @Property(tries = 300)
  void roundTripsAroundTheSyncPoint(@ForAll @LongRange(max = 0xFFFF_FFFFL) long tmst,
      @ForAll @LongRange(min = -2_000_000_000L, max = 2_000_000_000L) long offsetMicros) {
    ConcentratorClock c = new ConcentratorClock();
    c.sync(tmst, T0);
    Instant t = T0.plusNanos(offsetMicros * 1000);
    long at = c.toTimestamp(t).orElseThrow();
    assertThat(c.toServerTime(at)).contains(t);
  }
}
