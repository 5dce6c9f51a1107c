package dev.loralab.networkserver.internal;

import static dev.loralab.networkserver.internal.DeduplicatorTest.copy;
import static dev.loralab.networkserver.internal.DeduplicatorTest.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.networkserver.ManualScheduler;
import dev.loralab.networkserver.NetworkServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Cooldowns in batches: windows closing within one batch period share their cooldown timers; a
 * cooldown never ends early and ends at most one period late. Virtual time throughout.
 */
class DeduplicatorCooldownBatchTest {

  static final Duration WINDOW = Duration.ofMillis(50);
  static final Duration COOLDOWN = Duration.ofSeconds(60);
  static final Duration BATCH = Duration.ofMillis(10);
  static final DevAddr ADDR = new DevAddr(0x26011BDA);

  static Deduplicator batching(ManualScheduler timer, List<UplinkMessage> out, boolean early,
      int maxCooling) {
    return new Deduplicator(WINDOW, COOLDOWN, BATCH, 10_000, maxCooling, 8, early, 1024, timer,
        (m, onAddingThread) -> out.add(m));
  }

  static Duration ms(long n) {
    return Duration.ofMillis(n);
  }

  @Test
  void aBatchsFirstWindowEndsItsCooldownExactlyAndLaterOnesNeitherEarlyNorAPeriodLate() {
    ManualScheduler timer = new ManualScheduler();
    try {
      List<UplinkMessage> out = new CopyOnWriteArrayList<>();
      Deduplicator d = batching(timer, out, false, 1000);
      d.add(frame(1), copy("a", "x:1")); // closes at 50: opens a batch, sealed at 60
      timer.advance(ms(5));
      d.add(frame(2), copy("a", "x:2")); // closes at 55: joins it
      timer.advance(ms(15));
      d.add(frame(3), copy("a", "x:3")); // closes at 70: after the seal, a new batch
      timer.advance(ms(50));
      assertThat(out).hasSize(3);
      assertThat(d.size()).isEqualTo(3);

      // now 70 ms; frame 1's cooldown ends at 60,050 ms, exactly
      timer.advance(COOLDOWN.minus(ms(20)).minusNanos(1));
      assertThat(d.add(frame(1), copy("b", "x:4"))).isEqualTo(Deduplicator.Outcome.LATE_DUPLICATE);
      timer.advance(Duration.ofNanos(1));
      assertThat(d.size()).isEqualTo(2);
      assertThat(d.add(frame(1), copy("b", "x:5"))).isEqualTo(Deduplicator.Outcome.OPENED);

      // frame 2's cooldown ends at 60,055 ms at the earliest, 60,065 at the latest (one period)
      timer.advance(ms(5).minusNanos(1));
      assertThat(d.add(frame(2), copy("b", "x:6"))).isEqualTo(Deduplicator.Outcome.LATE_DUPLICATE);
      timer.advance(BATCH.plusNanos(1));
      assertThat(d.add(frame(2), copy("b", "x:7"))).isEqualTo(Deduplicator.Outcome.OPENED);

      // frame 3 opened the next batch: exact again (60,070 ms)
      timer.advance(ms(5).minusNanos(1));
      assertThat(d.add(frame(3), copy("b", "x:8"))).isEqualTo(Deduplicator.Outcome.LATE_DUPLICATE);
      timer.advance(Duration.ofNanos(1));
      assertThat(d.add(frame(3), copy("b", "x:9"))).isEqualTo(Deduplicator.Outcome.OPENED);
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void windowsClosingInOnePeriodShareTwoTimersInsteadOfOneEach() {
    ManualScheduler timer = new ManualScheduler();
    try {
      List<UplinkMessage> out = new CopyOnWriteArrayList<>();
      Deduplicator d = batching(timer, out, false, 1000);
      for (int i = 0; i < 100; i++) {
        d.add(frame(i), copy("a", "x:" + i));
      }
      assertThat(timer.pendingCount()).isEqualTo(100); // the window ends
      timer.advance(WINDOW);
      assertThat(out).hasSize(100);
      // the first window's cooldown and the batch's seal (one timer per window before)
      assertThat(timer.pendingCount()).isEqualTo(2);
      timer.advance(BATCH);
      // the first window's cooldown and the batch's
      assertThat(timer.pendingCount()).isEqualTo(2);
      assertThat(d.size()).isEqualTo(100);
      timer.advance(COOLDOWN);
      assertThat(d.size()).isZero();
      assertThat(timer.pendingCount()).isZero();
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void afterAnEarlyCloseTheBatchedCooldownStillLastsAsLongAsAfterAFullWindow() {
    ManualScheduler timer = new ManualScheduler();
    try {
      List<UplinkMessage> out = new CopyOnWriteArrayList<>();
      Deduplicator d = batching(timer, out, true, 1000);
      d.add(frame(1), ADDR, copy("a", "x:1"));
      timer.advance(WINDOW); // full window: from now on one gateway closes at once
      d.add(frame(2), ADDR, copy("a", "x:2")); // closed early at 50: opens a batch
      timer.advance(ms(3));
      d.add(frame(3), ADDR, copy("a", "x:3")); // closed early at 53: joins it
      assertThat(out).hasSize(3);
      // frame 3: not before 53 + window + cooldown
      timer.advance(WINDOW.plus(COOLDOWN).minusNanos(1));
      assertThat(d.add(frame(3), ADDR, copy("b", "x:4")))
          .isEqualTo(Deduplicator.Outcome.LATE_DUPLICATE);
      timer.advance(BATCH);
      assertThat(d.size()).isZero();
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void beyondTheCoolingBoundBatchedWindowsSkipTheirCooldownAsBefore() {
    ManualScheduler timer = new ManualScheduler();
    try {
      List<UplinkMessage> out = new CopyOnWriteArrayList<>();
      Deduplicator d = batching(timer, out, false, 2);
      for (int i = 0; i < 4; i++) {
        d.add(frame(i), copy("a", "x:" + i));
      }
      timer.advance(WINDOW);
      assertThat(out).hasSize(4);
      assertThat(d.size()).isEqualTo(2);
      timer.advance(BATCH.plus(COOLDOWN));
      assertThat(d.size()).isZero();
      // the count of cooling windows is back to zero: two more may cool down
      for (int i = 10; i < 14; i++) {
        d.add(frame(i), copy("a", "x:" + i));
      }
      timer.advance(WINDOW);
      assertThat(d.size()).isEqualTo(2);
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void theBatchPeriodIsConfigurationDefaulting100MsAndZeroMeansExact() {
    NetworkServerConfig c = NetworkServerConfig.defaults();
    assertThat(c.deduplicationCooldownBatch()).isEqualTo(Duration.ofMillis(100));
    assertThat(c.withDeduplicationCooldownBatch(Duration.ZERO).deduplicationCooldownBatch())
        .isZero();
    assertThatThrownBy(() -> c.withDeduplicationCooldownBatch(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deduplicationCooldownBatch");
    assertThatThrownBy(() -> new Deduplicator(WINDOW, COOLDOWN, Duration.ofMillis(-1), 1, 1, 1,
        false, 1, new ManualScheduler(), (m, onAddingThread) -> { }))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Real timers and four threads adding copies at once: every window is handed on once and, once
   * the cooldowns are over, forgotten (no batch is left unsealed or unforgotten).
   */
  @Test
  void concurrentlyClosedWindowsAreAllForgottenInTheEnd() throws Exception {
    java.util.concurrent.ScheduledExecutorService timer =
        java.util.concurrent.Executors.newScheduledThreadPool(2);
    java.util.concurrent.ExecutorService senders =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.concurrent.atomic.AtomicInteger handedOn =
          new java.util.concurrent.atomic.AtomicInteger();
      // a cooldown far longer than a thread may stall between a frame's two copies: a second
      // copy never finds its window forgotten (which would open and hand on a second one)
      Deduplicator d = new Deduplicator(Duration.ofMillis(1), Duration.ofSeconds(2),
          Duration.ofMillis(50), 1_000_000, 1_000_000, 8, true, 1024, timer,
          (m, onAddingThread) -> handedOn.incrementAndGet());
      int threads = 4;
      int uplinks = 2000;
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(senders.submit(() -> {
          for (int n = 0; n < uplinks; n++) {
            byte[] key = java.nio.ByteBuffer.allocate(8).putInt(thread).putInt(n).array();
            DevAddr addr = new DevAddr(thread * 16 + n % 16);
            d.add(dev.loralab.lorawan.Bytes.of(key), addr, copy("a", "x:" + n));
            if (n % 3 == 0) {
              d.add(dev.loralab.lorawan.Bytes.of(key), addr, copy("b", "x:" + n));
            }
          }
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      while ((handedOn.get() < threads * uplinks || d.size() > 0)
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(handedOn.get()).isEqualTo(threads * uplinks);
      assertThat(d.size()).isZero();
    } finally {
      senders.shutdownNow();
      timer.shutdownNow();
    }
  }
}
