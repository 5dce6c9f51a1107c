package dev.loralab.gatewayserver.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: per-gateway serialisation
 * without a thread per gateway.
 *
 * <p>If the shared executor refuses the drain, the tasks queued behind it will not run: they are
 * {@link Abandonable#abandoned() abandoned} (those that are {@link Abandonable}), the queue is
 * emptied so that the next task starts a new drain, and the refusal propagates to the caller.
 */
public final class SerialExecutor implements Executor {

  private final Executor delegate;
  private final Drain drainTask = new Drain();
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private boolean running;

  /** Serialises onto {@code delegate}. */
  public SerialExecutor(Executor delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    synchronized (this) {
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    try {
      delegate.execute(drainTask);
    } catch (RuntimeException e) {
      drainTask.abandoned();
      throw e;
    }
  }

  /** The drain submitted to the shared executor; abandoning it abandons the queue. */
  private final class Drain implements Abandonable {
    @Override
    public void run() {
      drain();
    }

    @Override
    public void abandoned() {
      List<Runnable> dropped;
      synchronized (SerialExecutor.this) {
        dropped = new ArrayList<>(tasks);
        tasks.clear();
        running = false;
      }
      Abandonable.abandonAll(dropped);
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = tasks.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        // The task owner handles its errors; a failing task must not stall the queue.
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
      }
    }
  }
}
