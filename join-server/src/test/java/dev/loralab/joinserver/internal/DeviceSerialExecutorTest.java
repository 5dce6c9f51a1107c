package dev.loralab.joinserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeviceSerialExecutorTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void tasksOfOneKeyRunOneAtATimeInOrder() throws Exception {
    DeviceSerialExecutor<String> serial = new DeviceSerialExecutor<>(pool, 1000);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int n = i;
      futures.add(serial.submit("dev", () -> {
        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        order.add(n);
        Thread.yield();
        inside.decrementAndGet();
        return n;
      }));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertThat(maxInside.get()).isEqualTo(1);
    assertThat(order).isSorted().hasSize(200);
    // drained lanes are dropped (polled: the last lane is removed after its future completed)
    for (int i = 0; i < 6000 && serial.activeKeys() != 0; i++) {
      Thread.sleep(10);
    }
    assertThat(serial.activeKeys()).isZero();
  }

  @Test
  void otherKeysAreNotHeldUpByABlockedKey() throws Exception {
    DeviceSerialExecutor<String> serial = new DeviceSerialExecutor<>(pool, 10);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> blocked = serial.submit("a", () -> {
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "a";
    });
    CompletableFuture<String> queuedBehind = serial.submit("a", () -> "a2");
    assertThat(serial.submit("b", () -> "b").get(60, TimeUnit.SECONDS)).isEqualTo("b");
    assertThat(queuedBehind).isNotDone(); // cannot run before the blocked task of its key
    release.countDown();
    assertThat(blocked.get(60, TimeUnit.SECONDS)).isEqualTo("a");
    assertThat(queuedBehind.get(60, TimeUnit.SECONDS)).isEqualTo("a2");
  }

  @Test
  void aFullLaneRefusesAndFailuresStayInTheirFuture() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    DeviceSerialExecutor<String> serial = new DeviceSerialExecutor<>(pool, 2);
    CompletableFuture<Object> running = serial.submit("a", () -> {
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("task failed");
    });
    // the first task may or may not have left the queue yet: submit until refused
    List<CompletableFuture<String>> waiting = new ArrayList<>();
    CompletableFuture<String> refused = null;
    for (int i = 0; i < 4 && refused == null; i++) {
      CompletableFuture<String> f = serial.submit("a", () -> "ok");
      if (f.isCompletedExceptionally()) {
        refused = f;
      } else {
        waiting.add(f);
      }
    }
    assertThat(refused).isNotNull();
    assertThat(waiting).hasSizeBetween(1, 2);
    CompletableFuture<String> refusedLast = refused;
    Throwable t = catchThrowable(() -> refusedLast.get());
    assertThat(t).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(DeviceSerialExecutor.LaneFullException.class);
    release.countDown();
    assertThat(catchThrowable(() -> running.get(60, TimeUnit.SECONDS)))
        .hasCauseInstanceOf(IllegalStateException.class);
    for (CompletableFuture<String> f : waiting) {
      assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo("ok");
    }
  }

  @Test
  void aRejectingExecutorRunsTasksInline() throws Exception {
    DeviceSerialExecutor<String> serial = new DeviceSerialExecutor<>(r -> {
      throw new RejectedExecutionException("shut down");
    }, 4);
    assertThat(serial.submit("a", () -> 42).get(60, TimeUnit.SECONDS)).isEqualTo(42);
    assertThat(serial.activeKeys()).isZero();
  }
}
