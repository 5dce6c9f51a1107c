package dev.loralab.networkserver.internal;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time per key, in submission order, on a shared executor; tasks of
 * different keys run in parallel. No global lock: each key has its own small queue.
 */
public final class KeyedSerialExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(KeyedSerialExecutor.class);

  private final Executor executor;
  private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

  /** Tasks run on {@code executor}. */
  public KeyedSerialExecutor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  private final class Lane {
    private final String key;
    /** Mostly one or two tasks: a small deque (one per busy key, created per burst). */
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>(4);
    private boolean running;

    Lane(String key) {
      this.key = key;
    }

    void drain() {
      while (true) {
        Runnable next;
        synchronized (this) {
          next = queue.poll();
          if (next == null) {
            running = false;
            lanes.remove(key, this);
            return;
          }
        }
        try {
          next.run();
        } catch (RuntimeException e) {
          LOG.warn("task for {} failed", key, e);
        }
      }
    }
  }

  /** Queues {@code task} behind the other tasks of {@code key}. */
  public void execute(String key, Runnable task) {
    Objects.requireNonNull(task, "task");
    while (true) {
      Lane lane = lanes.computeIfAbsent(key, Lane::new);
      boolean start;
      synchronized (lane) {
        if (lanes.get(key) != lane) {
          continue; // the lane retired between lookup and lock
        }
        lane.queue.add(task);
        start = !lane.running;
        lane.running = true;
      }
      if (start) {
        try {
          executor.execute(lane::drain);
        } catch (RejectedExecutionException e) {
          LOG.debug("executor rejected the task for {}", key);
          synchronized (lane) {
            lane.queue.clear();
            lane.running = false;
            lanes.remove(key, lane);
          }
        }
      }
      return;
    }
  }
}
