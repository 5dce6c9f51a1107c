package dev.loralab.simulator;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Real-time scheduling on a caller-supplied single-threaded executor: that thread is the
 * simulation thread. Time is read from a monotonic nanosecond source; the wall clock only labels
 * it.
 */
public final class RealTimeScheduler implements SimScheduler {

  private final ScheduledExecutorService executor;
  private final LongSupplier nanoTime;
  private final long start;
  private final Instant epoch;

  /**
   * @param executor a single-threaded scheduled executor (the simulation thread)
   * @param clock labels simulation time 0 with wall-clock time
   * @param nanoTime monotonic nanoseconds, normally {@code System::nanoTime}
   */
  public RealTimeScheduler(ScheduledExecutorService executor, Clock clock, LongSupplier nanoTime) {
    this.executor = executor;
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
    this.epoch = clock.instant();
  }

  @Override
  public long nowNanos() {
    return nanoTime.getAsLong() - start;
  }

  @Override
  public Instant instant() {
    return epoch.plusNanos(nowNanos());
  }

  @Override
  public Cancellable scheduleAt(long atNanos, Runnable task) {
    long delay = Math.max(0, atNanos - nowNanos());
    try {
      ScheduledFuture<?> f = executor.schedule(task, delay, TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    } catch (RejectedExecutionException e) {
      return () -> {}; // the run is over
    }
  }

  @Override
  public void execute(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // the run is over: late datagrams are dropped
    }
  }
}
