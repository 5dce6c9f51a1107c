package dev.loralab.applicationserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyedSequencerTest {

  @Test
  void tasksOfOneKeyRunInOrderAndNeverOverlap() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      KeyedSequencer seq = new KeyedSequencer(pool);
      List<Integer> order = new CopyOnWriteArrayList<>();
      AtomicInteger running = new AtomicInteger();
      AtomicInteger maxRunning = new AtomicInteger();
      CompletableFuture<?>[] all = new CompletableFuture<?>[200];
      for (int i = 0; i < all.length; i++) {
        int n = i;
        // Each task completes asynchronously on another thread.
        all[i] = seq.submit("dev", () -> {
          maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
          return CompletableFuture.supplyAsync(() -> {
            order.add(n);
            running.decrementAndGet();
            return n;
          }, pool);
        });
      }
      CompletableFuture.allOf(all).get(30, TimeUnit.SECONDS);
      assertThat(order).hasSize(200).isSorted();
      assertThat(maxRunning.get()).isEqualTo(1);
      AsTestPolling.await(() -> seq.pendingKeys() == 0);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailingTaskDoesNotBlockTheNext() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      KeyedSequencer seq = new KeyedSequencer(pool);
      CompletableFuture<Integer> bad = seq.submit("k", () -> {
        throw new IllegalStateException("boom");
      });
      CompletableFuture<Integer> good = seq.submit("k", () -> CompletableFuture.completedFuture(7));
      assertThat(good.get(30, TimeUnit.SECONDS)).isEqualTo(7);
      AsTestPolling.await(bad::isDone);
      assertThat(bad).isCompletedExceptionally();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTaskThrowingAnErrorOrReturningNoFutureFailsAndDoesNotBlockTheNext() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      KeyedSequencer seq = new KeyedSequencer(pool);
      CompletableFuture<Integer> error = seq.submit("k", () -> {
        throw new AssertionError("boom");
      });
      CompletableFuture<Integer> none = seq.submit("k", () -> null);
      CompletableFuture<Integer> good = seq.submit("k", () -> CompletableFuture.completedFuture(7));
      assertThat(good.get(30, TimeUnit.SECONDS)).isEqualTo(7);
      // a task's turn ends before its result completes, so the next task may finish first
      AsTestPolling.await(() -> error.isDone() && none.isDone());
      assertThat(error).isCompletedExceptionally();
      assertThat(none).isCompletedExceptionally();
      AsTestPolling.await(() -> seq.pendingKeys() == 0);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRejectedTaskFailsAndTheKeyIsReleased() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    pool.shutdown();
    KeyedSequencer seq = new KeyedSequencer(pool);
    CompletableFuture<Integer> first = seq.submit("k", () -> CompletableFuture.completedFuture(1));
    CompletableFuture<Integer> second = seq.submit("k", () -> CompletableFuture.completedFuture(2));
    assertThat(first).isCompletedExceptionally();
    AsTestPolling.await(second::isDone);
    assertThat(second).isCompletedExceptionally();
    AsTestPolling.await(() -> seq.pendingKeys() == 0);
  }

  /** Polling without timed assertions. */
  static final class AsTestPolling {
    static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!c.getAsBoolean() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(c.getAsBoolean()).isTrue();
    }
  }
}
