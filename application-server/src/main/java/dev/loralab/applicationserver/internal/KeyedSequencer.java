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
 *
 * <p>{@link #submitInlineIfIdle} runs a task of an idle key on the submitting thread instead of
 * the executor (one hand-off less); order and failure isolation per key are the same. Inline runs
 * nest at most {@code maxInlineNesting} deep on one thread; deeper ones go to the executor.
 */
public final class KeyedSequencer {

  /** Default bound of nested inline runs on one thread. */
  public static final int DEFAULT_MAX_INLINE_NESTING = 1;

  /** Inline runs in progress on the current thread. */
  private static final ThreadLocal<int[]> INLINE_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private final Executor executor;
  private final int maxInlineNesting;
  private final Map<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();

  /** @param executor runs the tasks */
  public KeyedSequencer(Executor executor) {
    this(executor, DEFAULT_MAX_INLINE_NESTING);
  }

  /**
   * @param executor runs the tasks
   * @param maxInlineNesting how many inline runs may nest on one thread (0: never inline)
   */
  public KeyedSequencer(Executor executor, int maxInlineNesting) {
    this.executor = Objects.requireNonNull(executor, "executor");
    if (maxInlineNesting < 0) {
      throw new IllegalArgumentException("maxInlineNesting: expected >= 0, found "
          + maxInlineNesting);
    }
    this.maxInlineNesting = maxInlineNesting;
  }

  /**
   * Runs {@code task} after every earlier task of {@code key}; the returned future completes with
   * the task's result. The task always starts on the executor.
   */
  public <T> CompletableFuture<T> submit(String key, Supplier<CompletableFuture<T>> task) {
    return submit(key, task, false);
  }

  /**
   * As {@link #submit}, but if {@code key} has no pending task, {@code task} starts now on the
   * calling thread (unless inline runs already nest too deep on it); otherwise it waits its turn
   * and starts on the executor. The caller must be allowed to run the task: it must not block.
   */
  public <T> CompletableFuture<T> submitInlineIfIdle(String key,
      Supplier<CompletableFuture<T>> task) {
    return submit(key, task, true);
  }

  private <T> CompletableFuture<T> submit(String key, Supplier<CompletableFuture<T>> task,
      boolean inline) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(task, "task");
    CompletableFuture<T> result = new CompletableFuture<>();
    // Completes when this task's future has (successfully or not): the next task of the key waits.
    CompletableFuture<Void> turn = new CompletableFuture<>();
    CompletableFuture<?> before = tails.put(key, turn);
    if (before == null) {
      int[] depth = inline ? INLINE_DEPTH.get() : null;
      if (depth != null && depth[0] < maxInlineNesting) {
        depth[0]++;
        try {
          run(key, task, result, turn);
        } finally {
          depth[0]--;
        }
        return result;
      }
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
      // the turn ends first: whoever sees the result (a caller waiting for it, its dependent
      // stages) finds the key idle, and its next task of the key may start inline
      finish(key, turn);
      if (e != null) {
        result.completeExceptionally(e);
      } else {
        result.complete(v);
      }
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
