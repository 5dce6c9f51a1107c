package dev.loralab.networkserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Tasks that end asynchronously ({@link KeyedSerialExecutor#executeAsync}). */
class KeyedSerialExecutorAsyncTest {

  /** Runs what it is given only when the test says so, on the test thread. */
  static final class StepExecutor implements java.util.concurrent.Executor {
    final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    int dispatched;
    boolean reject;

    @Override
    public synchronized void execute(Runnable r) {
      if (reject) {
        throw new RejectedExecutionException("shut down");
      }
      dispatched++;
      queue.add(r);
    }

    void runAll() {
      while (true) {
        Runnable r;
        synchronized (this) {
          r = queue.poll();
        }
        if (r == null) {
          return;
        }
        r.run();
      }
    }
  }

  /** A task that records its start and waits for {@code stage}, then runs {@code then}. */
  static KeyedSerialExecutor.Step waiting(List<String> log, String name,
      CompletableFuture<Void> stage, Runnable then) {
    return () -> {
      log.add(name);
      return stage.thenApply(v -> () -> {
        then.run();
        return null;
      });
    };
  }

  @Test
  void theNextTaskOfAKeyWaitsForTheStageAndItsContinuation() {
    StepExecutor exec = new StepExecutor();
    KeyedSerialExecutor ex = new KeyedSerialExecutor(exec);
    List<String> log = new ArrayList<>();
    CompletableFuture<Void> write = new CompletableFuture<>();
    ex.executeAsync("a", waiting(log, "first", write, () -> log.add("first continued")));
    ex.execute("a", () -> log.add("second"));
    exec.runAll();
    assertThat(log).containsExactly("first");
    assertThat(ex.laneCount()).isEqualTo(1);

    // completing the stage only dispatches the continuation: nothing runs on this thread
    write.complete(null);
    assertThat(log).containsExactly("first");
    exec.runAll();
    assertThat(log).containsExactly("first", "first continued", "second");
    assertThat(ex.laneCount()).isZero();
  }

  @Test
  void otherKeysRunWhileOneWaits() {
    StepExecutor exec = new StepExecutor();
    KeyedSerialExecutor ex = new KeyedSerialExecutor(exec);
    List<String> log = new ArrayList<>();
    CompletableFuture<Void> write = new CompletableFuture<>();
    ex.executeAsync("a", waiting(log, "a1", write, () -> log.add("a1 continued")));
    ex.execute("a", () -> log.add("a2"));
    ex.execute("b", () -> log.add("b1"));
    ex.execute("b", () -> log.add("b2"));
    exec.runAll();
    assertThat(log).containsExactly("a1", "b1", "b2");
    write.complete(null);
    exec.runAll();
    assertThat(log).containsExactly("a1", "b1", "b2", "a1 continued", "a2");
    assertThat(ex.laneCount()).isZero();
  }

  @Test
  void anAlreadyCompletedStageContinuesInlineWithoutADispatch() {
    StepExecutor exec = new StepExecutor();
    KeyedSerialExecutor ex = new KeyedSerialExecutor(exec);
    List<String> log = new ArrayList<>();
    ex.executeAsync("a", waiting(log, "first", CompletableFuture.completedFuture(null),
        () -> log.add("first continued")));
    ex.execute("a", () -> log.add("second"));
    assertThat(exec.dispatched).isEqualTo(1);
    exec.runAll();
    assertThat(log).containsExactly("first", "first continued", "second");
    assertThat(exec.dispatched).isEqualTo(1);
    assertThat(ex.laneCount()).isZero();
  }

  @Test
  void stepsChainAndANullStageOrResultEndsTheTask() {
    StepExecutor exec = new StepExecutor();
    KeyedSerialExecutor ex = new KeyedSerialExecutor(exec);
    List<String> log = new ArrayList<>();
    CompletableFuture<Void> one = new CompletableFuture<>();
    CompletableFuture<Void> two = new CompletableFuture<>();
    ex.executeAsync("a", () -> {
      log.add("start");
      return one.thenApply(v -> () -> {
        log.add("after one");
        return two.thenApply(w -> null);
      });
    });
    ex.executeAsync("a", () -> {
      log.add("next");
      return null;
    });
    exec.runAll();
    one.complete(null);
    exec.runAll();
    assertThat(log).containsExactly("start", "after one");
    two.complete(null);
    exec.runAll();
    assertThat(log).containsExactly("start", "after one", "next");
    assertThat(ex.laneCount()).isZero();
  }

  @Test
  void aFailedStageAThrowingContinuationOrTaskDoesNotStallTheLane() {
    StepExecutor exec = new StepExecutor();
    KeyedSerialExecutor ex = new KeyedSerialExecutor(exec);
    List<String> log = new ArrayList<>();
    CompletableFuture<Void> failing = new CompletableFuture<>();
    ex.executeAsync("a", waiting(log, "failed stage", failing, () -> log.add("never")));
    ex.executeAsync("a", waiting(log, "throwing continuation",
        CompletableFuture.completedFuture(null), () -> {
          throw new IllegalStateException("continuation");
        }));
    CompletableFuture<Void> later = new CompletableFuture<>();
    ex.executeAsync("a", waiting(log, "throwing later", later, () -> {
      throw new IllegalStateException("later continuation");
    }));
    ex.executeAsync("a", () -> {
      log.add("throwing task");
      throw new IllegalStateException("task");
    });
    ex.executeAsync("a", () -> CompletableFuture.failedFuture(new IllegalStateException("x")));
    ex.execute("a", () -> log.add("last"));
    exec.runAll();
    failing.completeExceptionally(new IllegalStateException("write failed"));
    exec.runAll();
    assertThat(log).containsExactly("failed stage", "throwing continuation", "throwing later");
    later.complete(null);
    exec.runAll();
    assertThat(log).containsExactly("failed stage", "throwing continuation", "throwing later",
        "throwing task", "last");
    assertThat(ex.laneCount()).isZero();
  }

  @Test
  void aRejectedResumptionClearsTheLaneInsteadOfLeavingItStuck() {
    StepExecutor exec = new StepExecutor();
    KeyedSerialExecutor ex = new KeyedSerialExecutor(exec);
    List<String> log = new ArrayList<>();
    CompletableFuture<Void> write = new CompletableFuture<>();
    ex.executeAsync("a", waiting(log, "first", write, () -> log.add("first continued")));
    ex.execute("a", () -> log.add("queued behind"));
    exec.runAll();
    exec.reject = true;
    write.complete(null);
    assertThat(ex.laneCount()).isZero();
    exec.reject = false;
    ex.execute("a", () -> log.add("after"));
    exec.runAll();
    assertThat(log).containsExactly("first", "after");
    assertThat(ex.laneCount()).isZero();
  }

  @Test
  void tasksOfOneKeyStayInOrderWhenStagesCompleteOnAnotherThreadInAnyOrder() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    LinkedBlockingQueue<CompletableFuture<Void>> pending = new LinkedBlockingQueue<>();
    int keys = 6;
    int perKey = 200;
    CountDownLatch done = new CountDownLatch(keys * perKey);
    // completes the pending stages in a shuffled order, as a store's committer would in batches
    Thread completer = new Thread(() -> {
      SplittableRandom random = new SplittableRandom(7);
      List<CompletableFuture<Void>> batch = new ArrayList<>();
      try {
        while (done.getCount() > 0) {
          CompletableFuture<Void> f = pending.poll(50, TimeUnit.MILLISECONDS);
          if (f != null) {
            batch.add(f);
            pending.drainTo(batch);
          }
          Collections.shuffle(batch, new java.util.Random(random.nextLong()));
          batch.forEach(b -> b.complete(null));
          batch.clear();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "completer");
    completer.start();
    try {
      KeyedSerialExecutor ex = new KeyedSerialExecutor(pool);
      List<List<String>> seen = new ArrayList<>();
      AtomicInteger[] busy = new AtomicInteger[keys];
      AtomicInteger overlaps = new AtomicInteger();
      List<String> completerRan = new CopyOnWriteArrayList<>();
      for (int k = 0; k < keys; k++) {
        seen.add(Collections.synchronizedList(new ArrayList<>()));
        busy[k] = new AtomicInteger();
      }
      for (int i = 0; i < perKey; i++) {
        for (int k = 0; k < keys; k++) {
          int key = k;
          int n = i;
          ex.executeAsync("k" + k, () -> {
            if (busy[key].incrementAndGet() != 1) {
              overlaps.incrementAndGet();
            }
            seen.get(key).add("start " + n);
            CompletableFuture<Void> write = new CompletableFuture<>();
            pending.add(write);
            return write.thenApply(v -> () -> {
              if (Thread.currentThread() == completer) {
                completerRan.add("k" + key + " " + n);
              }
              seen.get(key).add("end " + n);
              busy[key].decrementAndGet();
              done.countDown();
              return null;
            });
          });
        }
      }
      assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
      assertThat(overlaps.get()).isZero();
      assertThat(completerRan).isEmpty();
      for (List<String> l : seen) {
        assertThat(l).hasSize(2 * perKey);
        for (int i = 0; i < perKey; i++) {
          assertThat(l.get(2 * i)).isEqualTo("start " + i);
          assertThat(l.get(2 * i + 1)).isEqualTo("end " + i);
        }
      }
    } finally {
      completer.interrupt();
      completer.join(60_000);
      pool.shutdownNow();
    }
  }
}
