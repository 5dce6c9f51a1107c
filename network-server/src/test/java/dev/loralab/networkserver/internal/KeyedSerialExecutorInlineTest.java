package dev.loralab.networkserver.internal;

import static dev.loralab.networkserver.internal.KeyedSerialExecutorAsyncTest.waiting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.networkserver.internal.KeyedSerialExecutorAsyncTest.StepExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Inline runs ({@link KeyedSerialExecutor#executeAsyncInlineIfIdle}): on the caller's thread
 * only when the key is idle, bounded nesting, and the same order per key as on the executor.
 * The executor only queues; the test runs what it dispatched.
 */
class KeyedSerialExecutorInlineTest {

  @Test
  void anIdleKeysTaskRunsOnTheCallersThreadWithoutADispatch() {
    StepExecutor exec = new StepExecutor();
    KeyedSerialExecutor ex = new KeyedSerialExecutor(exec);
    List<Thread> ranOn = new ArrayList<>();
    ex.executeAsyncInlineIfIdle("a", () -> {
      ranOn.add(Thread.currentThread());
      return null;
    });
    ex.executeInlineIfIdle("b", () -> ranOn.add(Thread.currentThread()));
    assertThat(ranOn).containsExactly(Thread.currentThread(), Thread.currentThread());
    assertThat(exec.dispatched).isZero();
    assertThat(ex.laneCount()).isZero();
  }

  @Test
  void aBusyKeysTaskWaitsItsTurnOnTheExecutor() {
    StepExecutor exec = new StepExecutor();
    KeyedSerialExecutor ex = new KeyedSerialExecutor(exec);
    List<String> log = new ArrayList<>();
    // dispatched but not run yet: the key is busy
    ex.execute("a", () -> log.add("first"));
    ex.executeAsyncInlineIfIdle("a", () -> {
      log.add("second");
      return null;
    });
    assertThat(log).isEmpty();
    exec.runAll();
    assertThat(log).containsExactly("first", "second");

    // waiting for a stage: busy too
    CompletableFuture<Void> write = new CompletableFuture<>();
    ex.executeAsync("a", waiting(log, "third", write, () -> log.add("third continued")));
    exec.runAll();
    ex.executeInlineIfIdle("a", () -> log.add("fourth"));
    assertThat(log).containsExactly("first", "second", "third");
    write.complete(null);
    exec.runAll();
    assertThat(log).containsExactly("first", "second", "third", "third continued", "fourth");
    assertThat(ex.laneCount()).isZero();
  }

  @Test
  void anInlineTaskWaitingForAStageResumesOnTheExecutorBeforeTheKeysNextTask() {
    StepExecutor exec = new StepExecutor();
    KeyedSerialExecutor ex = new KeyedSerialExecutor(exec);
    List<String> log = new ArrayList<>();
    CompletableFuture<Void> write = new CompletableFuture<>();
    ex.executeAsyncInlineIfIdle("a", waiting(log, "first", write,
        () -> log.add("first continued")));
    ex.executeInlineIfIdle("a", () -> log.add("second"));
    assertThat(log).containsExactly("first");
    assertThat(exec.dispatched).isZero();
    write.complete(null); // dispatches the continuation; nothing runs on the completing thread
    assertThat(log).containsExactly("first");
    exec.runAll();
    assertThat(log).containsExactly("first", "first continued", "second");
    assertThat(exec.dispatched).isEqualTo(1);
    assertThat(ex.laneCount()).isZero();
  }

  @Test
  void tasksQueuedWhileAnInlineTaskRunsGoToTheExecutor() {
    StepExecutor exec = new StepExecutor();
    KeyedSerialExecutor ex = new KeyedSerialExecutor(exec);
    List<String> log = new ArrayList<>();
    ex.executeInlineIfIdle("a", () -> {
      log.add("first");
      ex.executeInlineIfIdle("a", () -> log.add("second")); // the key is busy: queued
      log.add("first done");
    });
    assertThat(log).containsExactly("first", "first done");
    assertThat(exec.dispatched).isEqualTo(1);
    exec.runAll();
    assertThat(log).containsExactly("first", "first done", "second");
    assertThat(ex.laneCount()).isZero();
  }

  @Test
  void inlineRunsNestOnlyAsDeepAsConfigured() {
    StepExecutor exec = new StepExecutor();
    KeyedSerialExecutor ex = new KeyedSerialExecutor(exec, 2);
    List<String> log = new ArrayList<>();
    ex.executeInlineIfIdle("a", () -> {
      log.add("a");
      ex.executeInlineIfIdle("b", () -> {
        log.add("b");
        ex.executeInlineIfIdle("c", () -> {
          log.add("c");
          ex.executeInlineIfIdle("d", () -> log.add("d"));
        });
      });
    });
    // a and b nest two deep; c goes to the executor, where d runs inline under it
    assertThat(log).containsExactly("a", "b");
    assertThat(exec.dispatched).isEqualTo(1);
    exec.runAll();
    assertThat(log).containsExactly("a", "b", "c", "d");
    assertThat(exec.dispatched).isEqualTo(1);

    KeyedSerialExecutor never = new KeyedSerialExecutor(exec, 0);
    never.executeInlineIfIdle("e", () -> log.add("e"));
    assertThat(log).hasSize(4);
    exec.runAll();
    assertThat(log).endsWith("e");
    assertThatThrownBy(() -> new KeyedSerialExecutor(exec, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFailingInlineTaskIsLoggedAndTheKeyGoesOn() {
    StepExecutor exec = new StepExecutor();
    KeyedSerialExecutor ex = new KeyedSerialExecutor(exec);
    List<String> log = new ArrayList<>();
    ex.executeInlineIfIdle("a", () -> {
      throw new IllegalStateException("bug");
    });
    ex.executeInlineIfIdle("a", () -> log.add("next"));
    assertThat(log).containsExactly("next");
    assertThat(ex.laneCount()).isZero();
  }

  /** A task's stage, held until the property completes it. */
  private record Pending(String key, CompletableFuture<Void> stage) {}

  /**
   * Any mix of inline and queued submissions (some from inside running tasks), stage
   * completions and executor runs: each key's tasks start in submission order, never while an
   * earlier task of the key runs or waits for its stage, and all run.
   */
  @Property(tries = 300)
  void inlineOrNotEachKeysTasksRunInOrderOneAtATime(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    StepExecutor exec = new StepExecutor();
    KeyedSerialExecutor ex = new KeyedSerialExecutor(exec, 1 + random.nextInt(3));
    Map<String, List<Integer>> submitted = new HashMap<>();
    Map<String, List<Integer>> started = new HashMap<>();
    Map<String, Integer> busy = new HashMap<>();
    List<Pending> pending = new ArrayList<>();
    int[] violations = {0};
    int[] ended = {0};
    int[] tasks = {0};

    class Submitter {
      void submit(String key, boolean nested) {
        int n = tasks[0]++;
        int kind = random.nextInt(nested ? 4 : 5);
        submitted.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
        KeyedSerialExecutor.Step step = () -> {
          if (busy.containsKey(key)) {
            violations[0]++;
          }
          started.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
          switch (kind) {
            case 0 -> {
              ended[0]++;
              return null;
            }
            case 1 -> {
              ended[0]++;
              throw new IllegalStateException("task " + n);
            }
            case 2 -> {
              busy.put(key, n);
              CompletableFuture<Void> stage = new CompletableFuture<>();
              pending.add(new Pending(key, stage));
              return stage.thenApply(v -> () -> {
                busy.remove(key);
                ended[0]++;
                return null;
              });
            }
            case 3 -> {
              // runs to its end while others are submitted from inside it
              busy.put(key, n);
              submit("k" + random.nextInt(3), true);
              busy.remove(key);
              ended[0]++;
              return null;
            }
            default -> {
              busy.put(key, n);
              submit(key, true); // its own key: must wait
              busy.remove(key);
              ended[0]++;
              return null;
            }
          }
        };
        if (random.nextBoolean()) {
          ex.executeAsyncInlineIfIdle(key, step);
        } else {
          ex.executeAsync(key, step);
        }
      }
    }
    Submitter submitter = new Submitter();

    for (int op = 0; op < 200; op++) {
      int what = random.nextInt(10);
      if (what < 5) {
        submitter.submit("k" + random.nextInt(3), false);
      } else if (what < 8 && !pending.isEmpty()) {
        pending.remove(random.nextInt(pending.size())).stage().complete(null);
      } else {
        Runnable r;
        synchronized (exec) {
          r = exec.queue.poll();
        }
        if (r != null) {
          r.run();
        }
      }
    }
    exec.runAll();
    while (!pending.isEmpty()) {
      pending.remove(0).stage().complete(null);
      exec.runAll();
    }

    assertThat(violations[0]).isZero();
    assertThat(started).isEqualTo(submitted);
    assertThat(ended[0]).isEqualTo(tasks[0]);
    assertThat(ex.laneCount()).isZero();
  }
}
