package dev.loralab.frequencyplans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DutyCycleLedgerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final long G1 = 868_100_000; // 1 % sub-band 868.0-868.6 MHz
  private static final long G3 = 869_525_000; // 10 % sub-band 869.4-869.65 MHz

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(T0);

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }
  }

  private final ManualClock clock = new ManualClock();
  private final DutyCycleLedger ledger = new DutyCycleLedger(Bands.byId("EU_863_870").subBands(), clock);

  @Test
  void onePercentOfAnHourIs36Seconds() {
    assertThat(ledger.remaining(G1, T0)).isEqualTo(Duration.ofSeconds(36));
    assertThat(ledger.fits(G1, T0, Duration.ofSeconds(36))).isTrue();
    assertThat(ledger.fits(G1, T0, Duration.ofMillis(36_001))).isFalse();
    assertThat(ledger.remaining(G3, T0)).isEqualTo(Duration.ofSeconds(360));
  }

  @Test
  void recordedAirtimeUsesUpTheBudgetPerSubBand() {
    for (int i = 0; i < 30; i++) {
      assertThat(ledger.tryRecord(G1, T0.plusSeconds(10L * i), Duration.ofSeconds(1))).isTrue();
    }
    Instant at = T0.plusSeconds(300);
    assertThat(ledger.used(G1, at)).isEqualTo(Duration.ofSeconds(30));
    assertThat(ledger.remaining(G1, at)).isEqualTo(Duration.ofSeconds(6));
    assertThat(ledger.fits(G1, at, Duration.ofSeconds(6))).isTrue();
    assertThat(ledger.fits(G1, at, Duration.ofSeconds(7))).isFalse();
    assertThat(ledger.tryRecord(G1, at, Duration.ofSeconds(7))).isFalse();
    // Another sub-band (g3, 10 %) is unaffected.
    assertThat(ledger.fits(G3, at, Duration.ofSeconds(300))).isTrue();
    // 868.3 MHz shares g1's budget.
    assertThat(ledger.fits(868_300_000, at, Duration.ofSeconds(7))).isFalse();
  }

  @Test
  void windowRollsOff() {
    ledger.record(G1, T0, Duration.ofSeconds(36));
    assertThat(ledger.fits(G1, T0.plusSeconds(1800), Duration.ofSeconds(1))).isFalse();
    // The emission [T0, T0+36 s] leaves the window ending at T0+1 h+36 s+1 s completely.
    Instant later = T0.plus(Duration.ofHours(1)).plusSeconds(36);
    assertThat(ledger.fits(G1, later, Duration.ofSeconds(1))).isTrue();
    assertThat(ledger.remaining(G1, later.plusSeconds(1))).isEqualTo(Duration.ofSeconds(36));
    // Half of it is still inside the window ending 18 s after the hour.
    assertThat(ledger.used(G1, T0.plus(Duration.ofHours(1)).plusSeconds(18))).isEqualTo(Duration.ofSeconds(18));
    // Once the clock moves on, old records are forgotten.
    clock.advance(Duration.ofHours(3));
    assertThat(ledger.used(G1, clock.instant())).isZero();
  }

  @Test
  void scheduledFutureEmissionsAreProtected() {
    // A downlink already scheduled 30 minutes ahead uses the budget of windows that contain it.
    ledger.record(G1, T0.plus(Duration.ofMinutes(30)), Duration.ofSeconds(30));
    assertThat(ledger.fits(G1, T0, Duration.ofSeconds(10))).isFalse();
    assertThat(ledger.fits(G1, T0, Duration.ofSeconds(6))).isTrue();
  }

  @Test
  void configurableWindow() {
    DutyCycleLedger minute = new DutyCycleLedger(List.of(SubBand.of(868_000_000, 868_600_000, 0.01, 14)), Duration.ofMinutes(1), clock);
    assertThat(minute.remaining(G1, T0)).isEqualTo(Duration.ofMillis(600));
    assertThat(minute.window()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void frequencyOutsideEverySubBandIsAnError() {
    assertThatThrownBy(() -> ledger.fits(875_000_000, T0, Duration.ofMillis(1)))
        .isInstanceOf(FrequencyPlanException.class)
        .hasMessage("duty cycle: frequency 875000000 is outside every sub-band");
  }

  @Test
  void concurrentReservationsNeverExceedTheBudget() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < 100; i++) {
            if (ledger.tryRecord(G1, T0.plusMillis(thread * 100_000L + i * 10L), Duration.ofMillis(100))) {
              ok++;
            }
          }
          return ok;
        }));
      }
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get(60, TimeUnit.SECONDS);
      }
      // 36 s budget / 100 ms = exactly 360 emissions fit.
      assertThat(total).isEqualTo(360);
    } finally {
      pool.shutdownNow();
    }
  }
}
