package dev.loralab.joinserver.internal;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Runs tasks on an executor, one at a time per key (e.g. per device) and in submission order;
 * tasks of different keys run in parallel. There is no global lock: each key has its own lane,
 * created on demand and dropped when empty. A lane holds a bounded number of waiting tasks.
 *
 * @param <K> the key type (with value equality)
 */
public final class DeviceSerialExecutor<K> {

  /** Thrown (as the failure of the returned future) when a lane is full. */
  public static final class LaneFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LaneFullException(int max) {
      super("per-device queue: expected fewer than " + max + " waiting tasks, found " + max);
    }
  }

  private static final class Lane {
    final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    boolean running;
  }

  private final Executor executor;
  private final int maxWaiting;
  private final ConcurrentHashMap<K, Lane> lanes = new ConcurrentHashMap<>();

  /**
   * @param executor where tasks run
   * @param maxWaiting tasks waiting per key at most (the running one not counted)
   */
  public DeviceSerialExecutor(Executor executor, int maxWaiting) {
    if (executor == null) {
      throw new IllegalArgumentException("executor: expected an executor, found null");
    }
    if (maxWaiting < 1) {
      throw new IllegalArgumentException("maxWaiting: expected at least 1, found " + maxWaiting);
    }
    this.executor = executor;
    this.maxWaiting = maxWaiting;
  }

  /**
   * Runs {@code task} after all earlier tasks of {@code key}. The future fails with
   * {@link LaneFullException} if {@code key} has too many waiting tasks, and with whatever the
   * task throws.
   */
  public <T> CompletableFuture<T> submit(K key, Supplier<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable job = () -> {
      try {
        result.complete(task.get());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    };
    boolean[] start = {false};
    boolean[] full = {false};
    lanes.compute(key, (k, lane) -> {
      Lane l = lane == null ? new Lane() : lane;
      if (l.waiting.size() >= maxWaiting) {
        full[0] = true;
        return l;
      }
      l.waiting.addLast(job);
      if (!l.running) {
        l.running = true;
        start[0] = true;
      }
      return l;
    });
    if (full[0]) {
      result.completeExceptionally(new LaneFullException(maxWaiting));
    } else if (start[0]) {
      schedule(key);
    }
    return result;
  }

  /** Number of keys with running or waiting tasks (for tests and metrics). */
  public int activeKeys() {
    return lanes.size();
  }

  private void schedule(K key) {
    try {
      executor.execute(() -> runNext(key));
    } catch (RejectedExecutionException e) {
      // run the lane's tasks here rather than lose them; each completes its own future
      runNext(key);
    }
  }

  private void runNext(K key) {
    Runnable[] next = {null};
    lanes.computeIfPresent(key, (k, lane) -> {
      next[0] = lane.waiting.pollFirst();
      if (next[0] == null) {
        lane.running = false;
        return null;
      }
      return lane;
    });
    if (next[0] == null) {
      return;
    }
    try {
      next[0].run();
    } finally {
      // one task per executor turn, so that a busy device does not starve the others
      schedule(key);
    }
  }
}
