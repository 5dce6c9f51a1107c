package dev.loralab.identityserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeyedLocksTest {
  @Test
  void serializesReadModifyWritePerKeyAndForgetsIdleKeys() throws Exception {
    KeyedLocks locks = new KeyedLocks();
    int[] counters = new int[2];
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 2_000; i++) {
            int k = i % 2;
            locks.withLock("key" + k, () -> {
              int v = counters[k];
              Thread.yield();
              counters[k] = v + 1;
            });
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(counters).containsExactly(4_000, 4_000);
    assertThat(locks.activeKeys()).isZero();
  }

  @Test
  void sharedHoldersRunTogetherAndExcludeExclusiveOnes() throws Exception {
    KeyedLocks locks = new KeyedLocks();
    java.util.concurrent.CountDownLatch bothShared = new java.util.concurrent.CountDownLatch(2);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean exclusiveRan =
        new java.util.concurrent.atomic.AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> shared = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        shared.add(pool.submit(() -> locks.withSharedLock("app", () -> {
          bothShared.countDown();
          try {
            // both shared holders are inside at once, or this never returns true
            assertThat(bothShared.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
          assertThat(exclusiveRan).isFalse();
          return null;
        })));
      }
      assertThat(bothShared.await(60, TimeUnit.SECONDS)).isTrue();
      Future<?> exclusive = pool.submit(() -> locks.withLock("app", () -> exclusiveRan.set(true)));
      assertThat(exclusiveRan).isFalse(); // the shared holders are still inside
      release.countDown();
      for (Future<?> f : shared) {
        f.get(60, TimeUnit.SECONDS);
      }
      exclusive.get(60, TimeUnit.SECONDS);
      assertThat(exclusiveRan).isTrue();
    } finally {
      pool.shutdownNow();
    }
    assertThat(locks.activeKeys()).isZero();
  }

  @Test
  void anExclusiveHolderMayAlsoTakeTheKeyShared() {
    KeyedLocks locks = new KeyedLocks();
    int v = locks.withLock("k", () -> locks.withSharedLock("k", () -> 7));
    assertThat(v).isEqualTo(7);
    assertThat(locks.activeKeys()).isZero();
  }

  @Test
  void isReentrantForTheSameThread() {
    KeyedLocks locks = new KeyedLocks();
    int v = locks.withLock("k", () -> locks.withLock("k", () -> 42));
    assertThat(v).isEqualTo(42);
    assertThat(locks.activeKeys()).isZero();
  }
}
