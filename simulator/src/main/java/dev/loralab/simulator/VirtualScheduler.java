package dev.loralab.simulator;

import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A discrete-event scheduler: time jumps to the next due task. Tests and offline runs drive it
 * with {@link #runUntil(long)}; a simulated hour takes as long as its events take to compute.
 * Tasks submitted from other threads via {@link #execute} are queued safely.
 */
public final class VirtualScheduler implements SimScheduler {

  private final Instant epoch;
  private final PriorityQueue<Entry> queue = new PriorityQueue<>();
  private long now;
  private long sequence;

  /**
   * @param epoch the wall-clock time of simulation time 0
   */
  public VirtualScheduler(Instant epoch) {
    this.epoch = epoch;
  }

  @Override
  public synchronized long nowNanos() {
    return now;
  }

  @Override
  public synchronized Instant instant() {
    return epoch.plusNanos(now);
  }

  @Override
  public synchronized Cancellable scheduleAt(long atNanos, Runnable task) {
    Entry e = new Entry(Math.max(atNanos, now), sequence++, task);
    queue.add(e);
    return () -> e.cancelled = true;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      queue.add(new Entry(now, sequence++, task));
    }
  }

  /**
   * Runs every task due up to and including {@code untilNanos}, then sets the time to
   * {@code untilNanos}.
   *
   * @return the number of tasks run
   */
  public long runUntil(long untilNanos) {
    long ran = 0;
    while (true) {
      Entry next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.at > untilNanos) {
          now = Math.max(now, untilNanos);
          return ran;
        }
        queue.poll();
        now = next.at;
      }
      if (!next.cancelled) {
        next.task.run();
        ran++;
      }
    }
  }

  /** Number of pending tasks, cancelled ones included. */
  public synchronized int pending() {
    return queue.size();
  }

  private static final class Entry implements Comparable<Entry> {
    final long at;
    final long seq;
    final Runnable task;
    volatile boolean cancelled;

    Entry(long at, long seq, Runnable task) {
      this.at = at;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Entry o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
