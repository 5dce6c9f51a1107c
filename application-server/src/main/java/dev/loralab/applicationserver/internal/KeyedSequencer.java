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
   * the task's result.
   */
  public <T> CompletableFuture<T> submit(String key, Supplier<CompletableFuture<T>> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    CompletableFuture<?>[] holder = new CompletableFuture<?>[1];
    tails.compute(key, (k, prev) -> {
      CompletableFuture<?> before = prev == null ? CompletableFuture.completedFuture(null) : prev;
      CompletableFuture<Void> run = before.handleAsync((x, e) -> null, executor)
          .thenCompose(x -> {
            CompletableFuture<T> f;
            try {
              f = task.get();
            } catch (RuntimeException e) {
              f = CompletableFuture.failedFuture(e);
            }
            return f.handle((v, e) -> {
              if (e != null) {
                result.completeExceptionally(e);
              } else {
                result.complete(v);
              }
              return null;
            });
          });
      holder[0] = run;
      return run;
    });
    CompletableFuture<?> mine = holder[0];
    mine.whenComplete((x, e) -> tails.remove(key, mine));
    return result;
  }

  /** Number of keys with pending tasks (for metrics and tests). */
  public int pendingKeys() {
    return tails.size();
  }
}
