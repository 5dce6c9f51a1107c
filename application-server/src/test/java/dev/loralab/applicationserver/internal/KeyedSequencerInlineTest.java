package dev.loralab.applicationserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyedSequencer#submitInlineIfIdle}: a task of an idle key starts on the caller's thread;
 * otherwise it waits its turn on the executor. Order and failure isolation per key as with
 * {@link KeyedSequencer#submit}. No timing: a queue executor the test runs, or latches.
 */
class KeyedSequencerInlineTest {

  /** Queues what it is given; the test runs it. */
  static final class QueueExecutor implements Executor {
    final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    int dispatched;

    @Override
    public synchronized void execute(Runnable r) {
      dispatched++;
      queue.add(r);
    }

    synchronized Runnable poll() {
      return queue.poll();
    }

    void runAll() {
      for (Runnable r = poll(); r != null; r = poll()) {
        r.run();
      }
    }
  }

  @Test
  void anIdleKeysTaskStartsOnTheCallersThread() {
    QueueExecutor exec = new QueueExecutor();
    KeyedSequencer seq = new KeyedSequencer(exec);
    List<Thread> ranOn = new ArrayList<>();
    CompletableFuture<Integer> r = seq.submitInlineIfIdle("k", () -> {
      ranOn.add(Thread.currentThread());
      return CompletableFuture.completedFuture(1);
    });
    assertThat(r).isCompletedWithValue(1);
    assertThat(ranOn).containsExactly(Thread.currentThread());
    assertThat(exec.dispatched).isZero();
    assertThat(seq.pendingKeys()).isZero();
  }

  @Test
  void whoeverSeesATasksResultFindsTheKeyIdleAndRunsItsNextTaskInline() {
    QueueExecutor exec = new QueueExecutor();
    KeyedSequencer seq = new KeyedSequencer(exec);
    CompletableFuture<Integer> work = new CompletableFuture<>();
    CompletableFuture<Integer> r = seq.submitInlineIfIdle("k", () -> work);
    List<Integer> pendingSeen = new ArrayList<>();
    List<CompletableFuture<Integer>> next = new ArrayList<>();
    r.thenRun(() -> {
      pendingSeen.add(seq.pendingKeys());
      next.add(seq.submitInlineIfIdle("k", () -> CompletableFuture.completedFuture(2)));
    });
    work.complete(1); // e.g. a durable write completing on another thread
    assertThat(pendingSeen).containsExactly(0);
    assertThat(next.get(0)).isCompletedWithValue(2);
    assertThat(exec.dispatched).as("the next task ran inline").isZero();
    assertThat(seq.pendingKeys()).isZero();
  }

  @Test
  void aBusyKeysTaskWaitsForTheEarlierOnesAndStartsOnTheExecutor() {
    QueueExecutor exec = new QueueExecutor();
    KeyedSequencer seq = new KeyedSequencer(exec);
    List<String> log = new ArrayList<>();
    CompletableFuture<Void> first = new CompletableFuture<>();
    seq.submitInlineIfIdle("k", () -> {
      log.add("first");
      return first;
    });
    CompletableFuture<Integer> second = seq.submitInlineIfIdle("k", () -> {
      log.add("second");
      return CompletableFuture.completedFuture(2);
    });
    assertThat(log).containsExactly("first");
    exec.runAll();
    assertThat(log).containsExactly("first");
    first.complete(null);
    exec.runAll();
    assertThat(log).containsExactly("first", "second");
    assertThat(second).isCompletedWithValue(2);
    assertThat(exec.dispatched).isEqualTo(1);
    assertThat(seq.pendingKeys()).isZero();
  }

  @Test
  void aFailingInlineTaskFailsItsFutureOnlyAndReleasesTheKey() {
    QueueExecutor exec = new QueueExecutor();
    KeyedSequencer seq = new KeyedSequencer(exec);
    CompletableFuture<Integer> bad = seq.submitInlineIfIdle("k", () -> {
      throw new IllegalStateException("boom");
    });
    CompletableFuture<Integer> none = seq.submitInlineIfIdle("k", () -> null);
    CompletableFuture<Integer> good = seq.submitInlineIfIdle("k",
        () -> CompletableFuture.completedFuture(7));
    assertThat(bad).isCompletedExceptionally();
    assertThat(none).isCompletedExceptionally();
    assertThat(good).isCompletedWithValue(7);
    assertThat(exec.dispatched).isZero();
    assertThat(seq.pendingKeys()).isZero();
  }

  @Test
  void inlineRunsNestOnlyAsDeepAsConfigured() {
    QueueExecutor exec = new QueueExecutor();
    KeyedSequencer seq = new KeyedSequencer(exec, 1);
    List<String> log = new ArrayList<>();
    seq.submitInlineIfIdle("a", () -> {
      log.add("a");
      seq.submitInlineIfIdle("b", () -> {
        log.add("b");
        return CompletableFuture.completedFuture(null);
      });
      return CompletableFuture.completedFuture(null);
    });
    assertThat(log).containsExactly("a");
    assertThat(exec.dispatched).isEqualTo(1);
    exec.runAll();
    assertThat(log).containsExactly("a", "b");

    KeyedSequencer never = new KeyedSequencer(exec, 0);
    never.submitInlineIfIdle("c", () -> {
      log.add("c");
      return CompletableFuture.completedFuture(null);
    });
    assertThat(log).hasSize(2);
    exec.runAll();
    assertThat(log).endsWith("c");
    assertThatThrownBy(() -> new KeyedSequencer(exec, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Any mix of inline and queued submissions, completions of the tasks' futures (in any order)
   * and executor runs: each key's tasks start in submission order, never while an earlier one of
   * the key is unfinished, and every future completes.
   */
  @Property(tries = 300)
  void inlineOrNotEachKeysTasksStartInOrderOneAtATime(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    QueueExecutor exec = new QueueExecutor();
    KeyedSequencer seq = new KeyedSequencer(exec);
    Map<String, List<Integer>> submitted = new HashMap<>();
    Map<String, List<Integer>> started = new HashMap<>();
    Map<String, Integer> unfinished = new HashMap<>();
    List<CompletableFuture<Integer>> open = new ArrayList<>();
    List<CompletableFuture<Integer>> results = new ArrayList<>();
    int[] violations = {0};
    for (int op = 0; op < 200; op++) {
      int what = random.nextInt(10);
      if (what < 5) {
        String key = "k" + random.nextInt(3);
        int n = results.size();
        int kind = random.nextInt(3);
        submitted.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
        java.util.function.Supplier<CompletableFuture<Integer>> task = () -> {
          if (unfinished.containsKey(key)) {
            violations[0]++;
          }
          started.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
          switch (kind) {
            case 0 -> {
              return CompletableFuture.completedFuture(n);
            }
            case 1 -> throw new IllegalStateException("task " + n);
            default -> {
              unfinished.put(key, n);
              CompletableFuture<Integer> f = new CompletableFuture<>();
              open.add(f);
              return f.whenComplete((v, e) -> unfinished.remove(key));
            }
          }
        };
        results.add(random.nextBoolean() ? seq.submitInlineIfIdle(key, task)
            : seq.submit(key, task));
      } else if (what < 8 && !open.isEmpty()) {
        open.remove(random.nextInt(open.size())).complete(-1);
      } else {
        Runnable r = exec.poll();
        if (r != null) {
          r.run();
        }
      }
    }
    exec.runAll();
    while (!open.isEmpty()) {
      open.remove(0).complete(-1);
      exec.runAll();
    }
    assertThat(violations[0]).isZero();
    assertThat(started).isEqualTo(submitted);
    assertThat(results).allMatch(CompletableFuture::isDone);
    assertThat(seq.pendingKeys()).isZero();
  }

  /**
   * Threads submitting to the same keys at once (released together by a latch), inline or not:
   * a key's tasks never overlap, and each thread's tasks of a key run in the order it submitted
   * them.
   */
  @Test
  void concurrentSubmissionsKeepEachKeysTasksApartAndInOrder() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    ExecutorService submitters = Executors.newFixedThreadPool(4);
    try {
      KeyedSequencer seq = new KeyedSequencer(pool);
      int threads = 4;
      int perThread = 300;
      Map<String, AtomicInteger> running = new java.util.concurrent.ConcurrentHashMap<>();
      AtomicInteger overlaps = new AtomicInteger();
      Map<String, List<int[]>> ran = new java.util.concurrent.ConcurrentHashMap<>();
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<?>> all = new CopyOnWriteArrayList<>();
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(submitters.submit(() -> {
          go.await();
          SplittableRandom random = new SplittableRandom(thread);
          for (int i = 0; i < perThread; i++) {
            String key = "k" + random.nextInt(3);
            int n = i;
            boolean async = random.nextBoolean();
            java.util.function.Supplier<CompletableFuture<Void>> task = () -> {
              if (running.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
                overlaps.incrementAndGet();
              }
              // a plain list per key: tasks of a key never run concurrently
              ran.computeIfAbsent(key, k -> new ArrayList<>()).add(new int[] {thread, n});
              running.get(key).decrementAndGet();
              return async ? CompletableFuture.runAsync(() -> { }, pool)
                  : CompletableFuture.completedFuture(null);
            };
            all.add(random.nextBoolean() ? seq.submitInlineIfIdle(key, task)
                : seq.submit(key, task));
          }
          return null;
        }));
      }
      go.countDown();
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
      assertThat(overlaps.get()).isZero();
      int total = 0;
      for (List<int[]> l : ran.values()) {
        total += l.size();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          assertThat(l.stream().filter(e -> e[0] == thread).mapToInt(e -> e[1]).toArray())
              .isSorted();
        }
      }
      assertThat(total).isEqualTo(threads * perThread);
      KeyedSequencerTest.AsTestPolling.await(() -> seq.pendingKeys() == 0);
    } finally {
      submitters.shutdownNow();
      pool.shutdownNow();
    }
  }
}
