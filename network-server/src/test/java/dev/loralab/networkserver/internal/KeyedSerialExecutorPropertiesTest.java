package dev.loralab.networkserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.networkserver.internal.KeyedSerialExecutorAsyncTest.StepExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Any interleaving of submissions, stage completions (in any order across keys, successful or
 * failed) and executor runs, driven by a seed on the test thread: each key's tasks start in
 * submission order, never while an earlier task of the key waits for its stage, and all run.
 */
class KeyedSerialExecutorPropertiesTest {

  private static final int KEYS = 3;

  /** A task's stage, held until the property completes it. */
  private record Pending(String key, CompletableFuture<Void> stage) {}

  @Property(tries = 300)
  void eachKeysTasksRunInOrderOneAtATimeWhateverTheCompletionOrder(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    StepExecutor exec = new StepExecutor();
    KeyedSerialExecutor ex = new KeyedSerialExecutor(exec);
    Map<String, List<Integer>> submitted = new HashMap<>();
    Map<String, List<Integer>> started = new HashMap<>();
    Map<String, Integer> waiting = new HashMap<>();
    List<Pending> pending = new ArrayList<>();
    int[] violations = {0};
    int[] ended = {0};
    int tasks = 0;

    for (int op = 0; op < 200; op++) {
      int what = random.nextInt(10);
      if (what < 5) {
        String key = "k" + random.nextInt(KEYS);
        int n = tasks++;
        int kind = random.nextInt(5);
        submitted.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
        ex.executeAsync(key, () -> {
          if (waiting.get(key) != null) {
            violations[0]++;
          }
          started.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
          switch (kind) {
            case 0 -> {
              ended[0]++;
              return null; // synchronous
            }
            case 1 -> {
              ended[0]++;
              throw new IllegalStateException("task " + n);
            }
            case 2 -> {
              return CompletableFuture.completedFuture(null).thenApply(v -> () -> {
                ended[0]++;
                return null;
              });
            }
            default -> {
              waiting.put(key, n);
              CompletableFuture<Void> stage = new CompletableFuture<>();
              pending.add(new Pending(key, stage));
              return stage.thenApply(v -> () -> {
                waiting.remove(key);
                ended[0]++;
                if (kind == 4) {
                  throw new IllegalStateException("continuation of " + n);
                }
                return null;
              });
            }
          }
        });
      } else if (what < 8 && !pending.isEmpty()) {
        Pending p = pending.remove(random.nextInt(pending.size()));
        if (random.nextInt(4) == 0) {
          waiting.remove(p.key());
          ended[0]++;
          p.stage().completeExceptionally(new IllegalStateException("write failed"));
        } else {
          p.stage().complete(null);
        }
      } else {
        Runnable r = exec.queue.poll();
        if (r != null) {
          r.run();
        }
      }
    }
    // quiesce: complete everything still waiting and run what that dispatches
    exec.runAll();
    while (!pending.isEmpty()) {
      pending.remove(0).stage().complete(null);
      exec.runAll();
    }

    assertThat(violations[0]).isZero();
    assertThat(started).isEqualTo(submitted);
    assertThat(ended[0]).isEqualTo(tasks);
    assertThat(ex.laneCount()).isZero();
  }
}
