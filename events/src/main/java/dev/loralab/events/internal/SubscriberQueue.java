package dev.loralab.events.internal;

import dev.loralab.events.Event;
import dev.loralab.events.EventSink;
import dev.loralab.events.Subscription;
import dev.loralab.events.SubscriptionRequest;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's bounded, lock-free queue. Publishers never block: when the queue is full the
 * event is counted as missed; the count is queued as a lag marker at the next opportunity (or
 * reported when the queue drains), so lag events report exactly how many events were lost, at
 * the position of the gap.
 *
 * <p>A push subscriber's delivery runs on its executor, at most one drain at a time. When an event
 * arrives at an empty queue and the executor is a {@link ScheduledExecutorService}, the drain starts
 * after the linger, so the events arriving meanwhile go out with it (one wake-up of the executor
 * and one flush of the sink for many events); a backlog (events that arrive at a non-empty queue,
 * what a full batch leaves, a sink that became ready again) is drained at once.
 */
public final class SubscriberQueue implements Subscription {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriberQueue.class);

  private final SubscriptionRequest request;
  private final int capacity;
  private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong missed = new AtomicLong();
  private final AtomicLong droppedTotal = new AtomicLong();
  private final Counter droppedCounter;
  private final LongFunction<Event> lagEvents;
  private final EventSink sink;
  private final Executor executor;
  private final int batch;
  /** Nanoseconds a drain for an event that found the queue idle waits; 0 or a plain executor: none. */
  private final long lingerNanos;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Consumer<SubscriberQueue> onClose;
  private volatile Thread waiter;

  /**
   * @param linger how long delivery of an event that found the queue idle waits for more, if
   *               {@code executor} is a {@link ScheduledExecutorService}
   */
  public SubscriberQueue(SubscriptionRequest request, Counter droppedCounter, LongFunction<Event> lagEvents,
      EventSink sink, Executor executor, int batch, Duration linger, Consumer<SubscriberQueue> onClose) {
    this.lingerNanos = executor instanceof ScheduledExecutorService ? linger.toNanos() : 0;
    this.request = request;
    this.capacity = request.queueCapacity();
    this.droppedCounter = droppedCounter;
    this.lagEvents = lagEvents;
    this.sink = sink;
    this.executor = executor;
    this.batch = batch;
    this.onClose = onClose;
  }

  public SubscriptionRequest request() {
    return request;
  }

  /** Whether {@link #offer} would take {@code e} (open, and its name accepted), were the queue not full. */
  public boolean wants(Event e) {
    return !closed.get() && request.acceptsName(e.name());
  }

  /** Publisher side: O(1), lock-free. */
  public void offer(Event e) {
    if (closed.get() || !request.acceptsName(e.name())) {
      return;
    }
    if (missed.get() > 0) {
      long m = missed.getAndSet(0);
      if (m > 0 && !enqueue(m)) {
        missed.addAndGet(m);
      }
    }
    if (!enqueue(e)) {
      missed.incrementAndGet();
      droppedTotal.incrementAndGet();
      droppedCounter.increment();
      return;
    }
    Thread w = waiter;
    if (w != null) {
      LockSupport.unpark(w);
    }
    if (sink != null) {
      // Only an event that found the queue empty waits: a backlog (e.g. after the sink was not
      // ready) is delivered at once.
      schedule(size.get() <= 1 ? lingerNanos : 0);
    }
  }

  private boolean enqueue(Object o) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      return false;
    }
    queue.offer(o);
    return true;
  }

  @Override
  public Event poll() {
    Object o = queue.poll();
    if (o == null) {
      long m = missed.getAndSet(0);
      return m > 0 ? lagEvents.apply(m) : null;
    }
    size.decrementAndGet();
    if (o instanceof Long m) {
      return lagEvents.apply(m);
    }
    return (Event) o;
  }

  @Override
  public Event poll(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Event e = poll();
      if (e != null || closed.get()) {
        return e;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return null;
      }
      waiter = Thread.currentThread();
      try {
        e = poll();
        if (e != null) {
          return e;
        }
        LockSupport.parkNanos(this, remaining);
      } finally {
        waiter = null;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  @Override
  public void wake() {
    if (sink != null && !closed.get()) {
      schedule(0);
    }
  }

  /** Submits a drain unless one is pending, after {@code delayNanos} if positive. */
  private void schedule(long delayNanos) {
    if (scheduled.compareAndSet(false, true)) {
      try {
        if (delayNanos > 0) {
          ((ScheduledExecutorService) executor).schedule(this::drain, delayNanos, TimeUnit.NANOSECONDS);
        } else {
          executor.execute(this::drain);
        }
      } catch (RejectedExecutionException ex) {
        scheduled.set(false);
        LOG.debug("delivery executor rejected a subscriber; closing it");
        close();
      }
    }
  }

  private void drain() {
    int n = 0;
    try {
      while (n < batch && !closed.get() && sink.ready()) {
        Event e = poll();
        if (e == null) {
          break;
        }
        sink.accept(e);
        n++;
      }
      if (n > 0) {
        sink.flush();
      }
    } catch (RuntimeException ex) {
      LOG.warn("event sink failed; closing subscription", ex);
      close();
    } finally {
      scheduled.set(false);
    }
    if (!closed.get() && sink.ready() && (size.get() > 0 || missed.get() > 0)) {
      schedule(0);
    }
  }

  @Override
  public long droppedTotal() {
    return droppedTotal.get();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      onClose.accept(this);
      queue.clear();
      size.set(0);
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  /** Closes because the bus shut down and tells the sink. */
  public void busClosed() {
    if (!closed.get()) {
      close();
      if (sink != null) {
        try {
          sink.closed();
        } catch (RuntimeException ex) {
          LOG.warn("event sink close callback failed", ex);
        }
      }
    }
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }
}
