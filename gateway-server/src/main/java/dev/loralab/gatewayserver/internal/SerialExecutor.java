package dev.loralab.gatewayserver.internal;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: per-gateway serialisation
 * without a thread per gateway.
 */
public final class SerialExecutor implements Executor {

  private final Executor delegate;
  private final Runnable drainTask = this::drain;
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
    delegate.execute(drainTask);
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
