package dev.loralab.gatewayserver.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Hands work to an executor, batched per read of the event loop: what the event loop submits
 * between {@link #reading()} and {@link #readComplete()} reaches the executor as one task, run
 * in submission order, so that a read of several datagrams wakes one worker instead of one per
 * datagram. Submissions from any other thread, or outside a read, go to the executor at once.
 *
 * <p>Used as the executor of the gateways' {@link SerialExecutor}s: per-gateway order is kept
 * (a serial executor has at most one drain submitted at a time).
 *
 * <p>If the executor refuses a read's batch, each of its tasks that is {@link Abandonable} is
 * {@link Abandonable#abandoned() abandoned} and the refusal propagates to the caller.
 */
public final class ReadHandOff implements Executor {

  private final Executor executor;
  /** The event loop thread; written and compared only by itself (other threads never match). */
  private Thread readThread;
  private boolean reading;
  private List<Runnable> batch = new ArrayList<>();

  /** Hands off to {@code executor}. */
  public ReadHandOff(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /** Called on the event loop for each datagram of a read: batch its submissions. */
  public void reading() {
    readThread = Thread.currentThread();
    reading = true;
  }

  /** Called on the event loop when a read completes: submits its batch as one task. */
  public void readComplete() {
    if (Thread.currentThread() != readThread || !reading) {
      return;
    }
    reading = false;
    List<Runnable> tasks = batch;
    if (tasks.isEmpty()) {
      return;
    }
    if (tasks.size() == 1) {
      Runnable only = tasks.get(0);
      tasks.clear();
      try {
        executor.execute(only);
      } catch (RuntimeException e) {
        Abandonable.abandon(only);
        throw e;
      }
      return;
    }
    batch = new ArrayList<>();
    try {
      executor.execute(() -> runAll(tasks));
    } catch (RuntimeException e) {
      Abandonable.abandonAll(tasks);
      throw e;
    }
  }

  private static void runAll(List<Runnable> tasks) {
    for (Runnable task : tasks) {
      try {
        task.run();
      } catch (RuntimeException e) {
        // as a task of its own would: reported, and the rest of the batch still runs
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
      }
    }
  }

  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    if (Thread.currentThread() == readThread && reading) {
      batch.add(task);
    } else {
      executor.execute(task);
    }
  }
}
