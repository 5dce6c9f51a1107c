package dev.loralab.networkserver.internal;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The data uplinks in flight in the Network Server, bounded: an uplink takes a {@link Permit}
 * when it is accepted for processing and gives it back when its processing ended, whatever the
 * outcome. The lanes' tasks of an uplink hold the permit through {@link #track}, which releases
 * it when the task ends in any way (done, failed, its stage failed, or dropped by the lane
 * because the executor refused it), so nothing else decrements the count.
 */
final class InFlightUplinks {

  private final int max;
  private final AtomicInteger count = new AtomicInteger();

  /** At most {@code max} uplinks in flight. */
  InFlightUplinks(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max: expected >= 1, found " + max);
    }
    this.max = max;
  }

  /** A permit for one more uplink, or null if {@code max} uplinks are in flight. */
  Permit tryAcquire() {
    while (true) {
      int c = count.get();
      if (c >= max) {
        return null;
      }
      if (count.compareAndSet(c, c + 1)) {
        return new Permit(new AtomicInteger(1));
      }
    }
  }

  /** Uplinks in flight now. */
  int count() {
    return count.get();
  }

  /** The bound. */
  int max() {
    return max;
  }

  /**
   * {@code step} holding {@code permit}: the permit is released when the step and the steps it
   * yields are done, when one of them throws or its stage fails, or when the lane abandons it.
   */
  KeyedSerialExecutor.Step track(Permit permit, KeyedSerialExecutor.Step step) {
    return new Tracked(permit, step);
  }

  /**
   * One holder's claim on an uplink's place among those in flight. The uplink leaves the count
   * when every claim on it ({@link #share}) was released. {@link #release} is idempotent.
   */
  final class Permit {
    private static final AtomicIntegerFieldUpdater<Permit> RELEASED =
        AtomicIntegerFieldUpdater.newUpdater(Permit.class, "released");

    /** Unreleased claims on the uplink, shared by its permits. */
    private final AtomicInteger claims;
    private volatile int released;

    private Permit(AtomicInteger claims) {
      this.claims = claims;
    }

    /**
     * Another claim on the same uplink, for the part of its processing handed on (released on
     * its own). Only while this permit is held.
     */
    Permit share() {
      if (released != 0) {
        throw new IllegalStateException("permit already released");
      }
      claims.incrementAndGet();
      return new Permit(claims);
    }

    /** Gives this claim back (once; later calls do nothing). */
    void release() {
      if (RELEASED.compareAndSet(this, 0, 1) && claims.decrementAndGet() == 0) {
        count.decrementAndGet();
      }
    }
  }

  /** A lane step holding a permit until the task it belongs to has ended. */
  private static final class Tracked implements KeyedSerialExecutor.Step {
    private final Permit permit;
    private final KeyedSerialExecutor.Step step;

    Tracked(Permit permit, KeyedSerialExecutor.Step step) {
      this.permit = permit;
      this.step = step;
    }

    @Override
    public CompletionStage<? extends KeyedSerialExecutor.Step> run() {
      try {
        CompletionStage<? extends KeyedSerialExecutor.Step> stage = step.run();
        if (stage == null) {
          permit.release();
          return null;
        }
        return stage.handle((next, error) -> {
          if (error != null) {
            permit.release();
            throw KeyedSerialExecutor.unchecked(error);
          }
          if (next == null) {
            permit.release();
            return null;
          }
          return new Tracked(permit, next);
        });
      } catch (RuntimeException | Error e) {
        permit.release();
        throw e;
      }
    }

    @Override
    public void abandoned() {
      permit.release();
    }
  }
}
