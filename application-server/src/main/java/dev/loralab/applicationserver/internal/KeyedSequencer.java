package dev.loralab.applicationserver.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs tasks one after the other per key (e.g. per device) on an executor, without locks held
 * across tasks: each key has a tail future, and a new task starts when the previous one of the
 * same key has completed (successfully or not). Different keys run concurrently.
 */
public final class KeyedSequencer {

  private final Executor executor;
  private final Map<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();

  /** @param executor runs the tasks */
  public KeyedSequencer(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /**
   * Runs {@code task} after every earlier task of {@code key}; the returned future completes with
   * the task's result. The task always starts on the executor.
   */
  public <T> CompletableFuture<T> submit(String key, Supplier<CompletableFuture<T>> task) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(task, "task");
    CompletableFuture<T> result = new CompletableFuture<>();
    // Completes when this task's future has (successfully or not): the next task of the key waits.
    CompletableFuture<Void> turn = new CompletableFuture<>();
    CompletableFuture<?> before = tails.put(key, turn);
    if (before == null) {
      try {
        executor.execute(() -> run(key, task, result, turn));
      } catch (RuntimeException e) { // rejected: this task fails, the next may still run
        finish(key, turn);
        result.completeExceptionally(e);
      }
    } else {
      before.whenCompleteAsync((x, e) -> run(key, task, result, turn), executor)
          .whenComplete((x, e) -> {
            if (e != null) { // rejected by the executor
              finish(key, turn);
              result.completeExceptionally(e);
            }
          });
    }
    return result;
  }

  private <T> void run(String key, Supplier<CompletableFuture<T>> task, CompletableFuture<T> result,
      CompletableFuture<Void> turn) {
    CompletableFuture<T> f;
    try {
      f = task.get();
      if (f == null) {
        f = CompletableFuture.failedFuture(new NullPointerException("task returned no future"));
      }
    } catch (Throwable e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete((v, e) -> {
      if (e != null) {
        result.completeExceptionally(e);
      } else {
        result.complete(v);
      }
      finish(key, turn);
    });
  }

  /** Ends a task's turn: the key's next task may start; the key is forgotten if none is queued. */
  private void finish(String key, CompletableFuture<Void> turn) {
    tails.remove(key, turn);
    turn.complete(null);
  }

  /** Number of keys with pending tasks (for metrics and tests). */
  public int pendingKeys() {
    return tails.size();
  }
}
