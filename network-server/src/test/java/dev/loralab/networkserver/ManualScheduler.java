package dev.loralab.networkserver;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A timer on virtual time for deterministic tests: {@link #schedule(Runnable, long, TimeUnit)}
 * only records the task; {@link #advance} runs, on the calling thread and in time order, every
 * task that falls due (including tasks they schedule). Nothing depends on the wall clock, so
 * deduplication windows and cooldowns open and close exactly where a test says.
 *
 * <p>Only one-shot {@code schedule} (of a {@code Runnable} or a {@code Callable}) and
 * {@code execute} are virtual; nothing else is used by the code under test.
 */
public final class ManualScheduler extends ScheduledThreadPoolExecutor {

  private final PriorityQueue<Task> pending = new PriorityQueue<>();
  private long now;
  private long sequence;

  /** An empty timer at virtual time 0 (its one real thread is never used). */
  public ManualScheduler() {
    super(1);
  }

  private final class Task extends FutureTask<Void> implements ScheduledFuture<Void> {
    final long at;
    final long order;

    Task(Runnable r, long at, long order) {
      super(r, null);
      this.at = at;
      this.order = order;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      synchronized (ManualScheduler.this) {
        return unit.convert(at - now, TimeUnit.NANOSECONDS);
      }
    }

    @Override
    public int compareTo(Delayed o) {
      Task t = (Task) o;
      return at != t.at ? Long.compare(at, t.at) : Long.compare(order, t.order);
    }
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(command, delay, unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    Task t = add(() -> {
      try {
        callable.call();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, delay, unit);
    @SuppressWarnings("unchecked") // the value of a virtual task is never read
    ScheduledFuture<V> f = (ScheduledFuture<V>) (ScheduledFuture<?>) t;
    return f;
  }

  private synchronized Task add(Runnable command, long delay, TimeUnit unit) {
    if (isShutdown()) {
      throw new RejectedExecutionException("shut down");
    }
    Task t = new Task(command, now + Math.max(0, unit.toNanos(delay)), sequence++);
    pending.add(t);
    return t;
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  /** Moves virtual time forward by {@code d}, running what falls due on this thread. */
  public void advance(Duration d) {
    long target;
    synchronized (this) {
      target = now + d.toNanos();
    }
    while (true) {
      Task t;
      synchronized (this) {
        t = pending.peek();
        if (t == null || t.at > target) {
          now = Math.max(now, target); // another thread may have advanced further meanwhile
          return;
        }
        pending.poll();
        now = Math.max(now, t.at);
      }
      t.run();
    }
  }

  /** Number of tasks not yet due. */
  public synchronized int pendingCount() {
    return pending.size();
  }
}
