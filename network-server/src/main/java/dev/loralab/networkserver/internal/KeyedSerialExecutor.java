package dev.loralab.networkserver.internal;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time per key, in submission order, on a shared executor; tasks of
 * different keys run in parallel. No global lock: each key has its own small queue, removed when
 * it is empty.
 *
 * <p>A task may end asynchronously ({@link #executeAsync}): while it waits for a stage (e.g. a
 * durable store write) its key's lane holds no thread, and the key's next task starts only after
 * the stage completed and the continuation it yields has run in the lane.
 *
 * <p>A task submitted with {@link #executeAsyncInlineIfIdle} to an idle key runs on the
 * submitting thread instead of the executor (one hand-off less). Order per key is the same
 * either way. Inline runs nest at most {@code maxInlineNesting} deep on one thread; deeper
 * submissions go to the executor, so inline tasks that submit inline tasks cannot recurse
 * without bound.
 */
public final class KeyedSerialExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(KeyedSerialExecutor.class);

  /**
   * A piece of a lane's work that may end asynchronously.
   */
  @FunctionalInterface
  public interface Step {
    /**
     * Runs in the key's lane.
     *
     * @return null when the task is done; otherwise a stage the lane waits for without holding
     *     a thread. Its result, if not null, is the next step: it runs in the lane, on the
     *     executor (inline if the stage was already complete when returned, never on the thread
     *     that completed it), before any later task of the key. A stage that fails is logged and
     *     ends the task.
     */
    CompletionStage<? extends Step> run();

    /**
     * Called instead of {@link #run} when the lane drops this step without running it: the
     * executor refused the lane's work (e.g. it shut down). Does nothing by default.
     */
    default void abandoned() {}
  }

  /** Default bound of nested inline runs on one thread. */
  public static final int DEFAULT_MAX_INLINE_NESTING = 2;

  /** Inline runs in progress on the current thread. */
  private static final ThreadLocal<int[]> INLINE_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private final Executor executor;
  private final int maxInlineNesting;
  private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
  /** Creates a key's lane (one function, not one per call). */
  private final Function<String, Lane> newLane = Lane::new;

  /** Tasks run on {@code executor}; inline runs nest {@value #DEFAULT_MAX_INLINE_NESTING} deep. */
  public KeyedSerialExecutor(Executor executor) {
    this(executor, DEFAULT_MAX_INLINE_NESTING);
  }

  /**
   * Tasks run on {@code executor}.
   *
   * @param maxInlineNesting how many inline runs may nest on one thread (0: never inline)
   */
  public KeyedSerialExecutor(Executor executor, int maxInlineNesting) {
    this.executor = Objects.requireNonNull(executor, "executor");
    if (maxInlineNesting < 0) {
      throw new IllegalArgumentException("maxInlineNesting: expected >= 0, found "
          + maxInlineNesting);
    }
    this.maxInlineNesting = maxInlineNesting;
  }

  private final class Lane {
    private final String key;
    /**
     * The queued tasks, oldest first: {@code first}, then {@code more}. Mostly there is one
     * task per lane (a lane lives for one burst of its key), so it takes no deque: {@code first}
     * is only set while {@code more} is empty, and later tasks queue in {@code more}, created
     * when needed. Guarded by the lane's lock.
     */
    private Step first;
    private ArrayDeque<Step> more;
    /** True while a task of the key runs or waits for its stage, or the lane is dispatched. */
    private boolean running;

    Lane(String key) {
      this.key = key;
    }

    /** Queues {@code step} behind the queued tasks; under the lane's lock. */
    private void offer(Step step) {
      if (first == null && (more == null || more.isEmpty())) {
        first = step;
      } else {
        if (more == null) {
          more = new ArrayDeque<>(4);
        }
        more.add(step);
      }
    }

    /** The oldest queued task, removed, or null; under the lane's lock. */
    private Step poll() {
      Step s = first;
      if (s != null) {
        first = null;
        return s;
      }
      return more == null ? null : more.poll();
    }

    /** Whether no task is queued; under the lane's lock. */
    private boolean noneQueued() {
      return first == null && (more == null || more.isEmpty());
    }

    /** The queued tasks, oldest first, removed; under the lane's lock. */
    private Step[] takeAll() {
      int n = (first != null ? 1 : 0) + (more == null ? 0 : more.size());
      Step[] all = new Step[n];
      int i = 0;
      for (Step s = poll(); s != null; s = poll()) {
        all[i++] = s;
      }
      return all;
    }

    /** Runs the queued tasks until the queue is empty or a task waits for its stage. */
    void drain() {
      while (true) {
        Step next;
        synchronized (this) {
          next = poll();
          if (next == null) {
            running = false;
            lanes.remove(key, this);
            return;
          }
        }
        if (!runSteps(next)) {
          return; // suspended: resumed by the stage's completion
        }
      }
    }

    /**
     * The lane was idle and the caller's task is the only one queued: runs it (as
     * {@link #drain} would first) on this thread. Tasks queued meanwhile run on the executor, so
     * the caller does at most its own task's work.
     */
    void runFirstInline() {
      Step step;
      synchronized (this) {
        step = poll();
      }
      if (step != null && !runSteps(step)) {
        return; // suspended: resumed by the stage's completion
      }
      synchronized (this) {
        if (noneQueued()) {
          running = false;
          lanes.remove(key, this);
          return;
        }
      }
      dispatch(this::drain);
    }

    /**
     * Runs {@code step} and the steps that follow it as long as their stages are already
     * complete. False if the lane now waits for a stage (still running; {@link Awaiting}
     * resumes it).
     */
    private boolean runSteps(Step step) {
      Step current = step;
      while (current != null) {
        CompletionStage<? extends Step> stage;
        try {
          stage = current.run();
        } catch (RuntimeException e) {
          LOG.warn("task for {} failed", key, e);
          return true;
        }
        if (stage == null) {
          return true;
        }
        Awaiting awaiting = new Awaiting(this);
        try {
          stage.whenComplete(awaiting);
        } catch (RuntimeException e) {
          LOG.warn("task for {} returned an unusable stage", key, e);
          return true;
        }
        if (!awaiting.completedBeforeRegistered()) {
          return false;
        }
        if (awaiting.failure != null) {
          logFailure(awaiting.failure);
          return true;
        }
        current = awaiting.next;
      }
      return true;
    }

    /** After a stage completed later than returned: on the executor. */
    void resume(Awaiting awaiting) {
      if (awaiting.failure != null) {
        logFailure(awaiting.failure);
      } else if (awaiting.next != null && !runSteps(awaiting.next)) {
        return;
      }
      drain();
    }

    void dispatch(Runnable work) {
      dispatch(work, null);
    }

    /**
     * Hands {@code work} to the executor; if it refuses, the lane's queued tasks and
     * {@code pending} (the step {@code work} would have run first, or null) are dropped and
     * told so ({@link Step#abandoned}).
     */
    void dispatch(Runnable work, Step pending) {
      try {
        executor.execute(work);
      } catch (RejectedExecutionException e) {
        Step[] dropped;
        synchronized (this) {
          dropped = takeAll();
          running = false;
          lanes.remove(key, this);
        }
        LOG.debug("executor rejected the work of {}; {} queued task(s) dropped", key,
            dropped.length);
        if (pending != null) {
          abandon(pending);
        }
        for (Step s : dropped) {
          abandon(s);
        }
      }
    }

    private void abandon(Step step) {
      try {
        step.abandoned();
      } catch (RuntimeException e) {
        LOG.warn("abandoning a task of {} failed", key, e);
      }
    }

    private void logFailure(Throwable failure) {
      LOG.warn("task for {} failed", key, cause(failure));
    }
  }

  /** The failure a stage reported, without the {@link CompletionException} around it. */
  static Throwable cause(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
  }

  /** {@code failure} to throw from a step (the lane logs it), unchecked as it is if it can. */
  static RuntimeException unchecked(Throwable failure) {
    Throwable c = cause(failure);
    return c instanceof RuntimeException r ? r : new CompletionException(c);
  }

  /**
   * The completion of the stage a lane waits for. If the stage is complete when the lane has
   * registered this, the lane continues inline; otherwise completion dispatches the lane's
   * resumption to the executor (never running the lane's work on the completing thread).
   */
  private static final class Awaiting implements BiConsumer<Step, Throwable> {
    private final Lane lane;
    private boolean registered;
    private boolean done;
    Step next;
    Throwable failure;

    Awaiting(Lane lane) {
      this.lane = lane;
    }

    @Override
    public void accept(Step result, Throwable error) {
      boolean resume;
      synchronized (this) {
        next = result;
        failure = error;
        done = true;
        resume = registered;
      }
      if (resume) {
        lane.dispatch(() -> lane.resume(this), error == null ? result : null);
      }
    }

    /** Called once after registering: true if already complete (the caller continues). */
    synchronized boolean completedBeforeRegistered() {
      registered = true;
      return done;
    }
  }

  /** Queues {@code task} behind the other tasks of {@code key}. */
  public void execute(String key, Runnable task) {
    enqueue(key, stepOf(task), false);
  }

  /** {@code task} as a step that ends when it returns. */
  private static Step stepOf(Runnable task) {
    Objects.requireNonNull(task, "task");
    return () -> {
      task.run();
      return null;
    };
  }

  /**
   * As {@link #execute}, but if {@code key} has no queued or running work, {@code task} runs
   * now on the calling thread (unless inline runs already nest too deep on it). The caller must
   * be allowed to run the task's work: it must not block.
   */
  public void executeInlineIfIdle(String key, Runnable task) {
    enqueue(key, stepOf(task), true);
  }

  /**
   * As {@link #executeAsync}, but if {@code key} has no queued or running work, {@code task}
   * runs now on the calling thread (unless inline runs already nest too deep on it), with the
   * steps that follow as long as their stages are already complete; a stage completing later
   * resumes the lane on the executor as usual. The caller must be allowed to run the task's
   * work: it must not block.
   */
  public void executeAsyncInlineIfIdle(String key, Step task) {
    enqueue(key, Objects.requireNonNull(task, "task"), true);
  }

  /**
   * Queues a task that may end asynchronously behind the other tasks of {@code key}: the key's
   * next task starts once the stage {@code task} returns has completed and the steps it yields
   * have run (see {@link Step#run}). Failures are logged and the lane continues.
   */
  public void executeAsync(String key, Step task) {
    enqueue(key, Objects.requireNonNull(task, "task"), false);
  }

  /** Keys with queued or running work (tests: lanes do not outlive their work). */
  int laneCount() {
    return lanes.size();
  }

  private void enqueue(String key, Step task, boolean inline) {
    while (true) {
      Lane lane = lanes.computeIfAbsent(key, newLane);
      boolean start;
      synchronized (lane) {
        if (lanes.get(key) != lane) {
          continue; // the lane retired between lookup and lock
        }
        lane.offer(task);
        start = !lane.running;
        lane.running = true;
      }
      if (start) {
        int[] depth = inline ? INLINE_DEPTH.get() : null;
        if (depth != null && depth[0] < maxInlineNesting) {
          depth[0]++;
          try {
            lane.runFirstInline();
          } finally {
            depth[0]--;
          }
        } else {
          lane.dispatch(lane::drain);
        }
      }
      return;
    }
  }
}
