package dev.loralab.simulator;

import java.time.Duration;
import java.time.Instant;

/**
 * The simulation's single logical thread and clock. Every device, gateway and radio-model state
 * change runs as a task of one scheduler, so state is serialized without locks. Two
 * implementations: {@link VirtualScheduler} (discrete events, time advances instantly; for tests)
 * and {@link RealTimeScheduler} (wall-clock time on one executor thread).
 *
 * <p>Simulation time is a monotonic count of nanoseconds since the start of the run;
 * {@link #instant()} maps it to wall-clock time for reports and gateway status.
 */
public interface SimScheduler {

  /** Nanoseconds of simulation time since the start. */
  long nowNanos();

  /** Wall-clock time corresponding to {@link #nowNanos()}. */
  Instant instant();

  /**
   * Runs {@code task} on the simulation thread at simulation time {@code atNanos} (or at once if
   * that is in the past). Tasks due at the same time run in submission order.
   */
  Cancellable scheduleAt(long atNanos, Runnable task);

  /** Runs {@code task} after {@code delay}. */
  default Cancellable schedule(Duration delay, Runnable task) {
    return scheduleAt(nowNanos() + Math.max(0, delay.toNanos()), task);
  }

  /** Runs {@code task} on the simulation thread as soon as possible; callable from any thread. */
  void execute(Runnable task);

  /** A scheduled task that can be cancelled. */
  interface Cancellable {
    /** Cancels the task if it has not run yet. */
    void cancel();
  }
}
