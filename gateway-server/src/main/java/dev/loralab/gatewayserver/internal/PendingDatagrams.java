package dev.loralab.gatewayserver.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Back-pressure from the executor to the UDP socket: counts the datagrams handed off by the
 * event loop and not yet processed, for the whole server. Beyond {@code maxPending} reading
 * stops ({@link ReadControl#autoRead autoRead(false)}); once at most half of the bound (and so at
 * the latest when none) is pending, it resumes. While paused the kernel's receive buffer absorbs
 * bursts and drops what overflows, so the heap holds a bounded backlog.
 *
 * <p>Each {@link #track tracked} task gives its place back exactly once: when it finished,
 * normally or not, or when the executor refused it ({@link Abandonable#abandoned()}).
 * Pausing and resuming are serialised on this object (they happen only at the watermarks); the
 * per-datagram path is two atomic operations.
 */
public final class PendingDatagrams {

  /** Switches reading of the socket; may be called from any thread. */
  @FunctionalInterface
  public interface ReadControl {
    /** {@code true}: read; {@code false}: stop reading. */
    void autoRead(boolean on);
  }

  private final int maxPending;
  private final int resumeAt;
  private final ReadControl control;
  private final Runnable onPause;
  private final AtomicInteger pending = new AtomicInteger();
  /** Written under this object's monitor; read without it on the per-datagram path. */
  private volatile boolean paused;

  /**
   * Pauses beyond {@code maxPending} through {@code control}, counting each pause with
   * {@code onPause}; resumes at {@code maxPending / 2}.
   */
  public PendingDatagrams(int maxPending, ReadControl control, Runnable onPause) {
    if (maxPending < 1) {
      throw new IllegalArgumentException("maxPending: expected > 0, found " + maxPending);
    }
    this.maxPending = maxPending;
    this.resumeAt = maxPending / 2;
    this.control = Objects.requireNonNull(control, "control");
    this.onPause = Objects.requireNonNull(onPause, "onPause");
  }

  /** Datagrams handed off and not yet processed. */
  public int pending() {
    return pending.get();
  }

  /** Whether reading is paused. */
  public boolean paused() {
    return paused;
  }

  /**
   * Counts a datagram handed off as {@code task} (pausing reading beyond the bound) and returns
   * the task to hand off instead: it gives the place back when it finished or is abandoned.
   */
  public Abandonable track(Runnable task) {
    Tracked tracked = new Tracked(Objects.requireNonNull(task, "task"));
    if (pending.incrementAndGet() > maxPending && !paused) {
      pause();
    }
    return tracked;
  }

  private void pause() {
    synchronized (this) {
      if (paused || pending.get() <= maxPending) {
        return;
      }
      paused = true;
      control.autoRead(false);
    }
    onPause.run();
    // Dekker-style with release(): a task that finished before the flag was set saw it unset;
    // this reads its decrement, so the last of them cannot leave reading paused.
    if (pending.get() <= resumeAt) {
      resume();
    }
  }

  private void release() {
    if (pending.decrementAndGet() <= resumeAt && paused) {
      resume();
    }
  }

  private void resume() {
    synchronized (this) {
      if (!paused || pending.get() > resumeAt) {
        return;
      }
      paused = false;
      control.autoRead(true);
    }
  }

  /** A counted task: gives its place back once, whichever happens. */
  private final class Tracked extends AtomicBoolean implements Abandonable {
    private final transient Runnable task;

    Tracked(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      try {
        task.run();
      } finally {
        done();
      }
    }

    @Override
    public void abandoned() {
      done();
    }

    private void done() {
      if (compareAndSet(false, true)) {
        release();
      }
    }
  }
}
