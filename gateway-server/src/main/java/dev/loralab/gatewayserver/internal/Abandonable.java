package dev.loralab.gatewayserver.internal;

/**
 * A task that must know when it will never run: the executor it was handed to refused it. What
 * it holds (a place among the pending datagrams, queued tasks behind it) is given back here.
 */
public interface Abandonable extends Runnable {

  /** Called instead of {@link #run()} when the task will not run; at most once. */
  void abandoned();

  /** Calls {@link #abandoned()} on each task that is {@link Abandonable}; never throws. */
  static void abandonAll(Iterable<? extends Runnable> tasks) {
    for (Runnable task : tasks) {
      abandon(task);
    }
  }

  /** Calls {@link #abandoned()} on {@code task} if it is {@link Abandonable}; never throws. */
  static void abandon(Runnable task) {
    if (task instanceof Abandonable a) {
      try {
        a.abandoned();
      } catch (RuntimeException e) {
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
      }
    }
  }
}
