package dev.loralab.events;

import static dev.loralab.events.TestCatalogue.APP1;
import static dev.loralab.events.TestCatalogue.APP2_DEV;
import static dev.loralab.events.TestCatalogue.AS_UP_DATA_FORWARD;
import static dev.loralab.events.TestCatalogue.DEV1;
import static dev.loralab.events.TestCatalogue.GS_UP_RECEIVE;
import static dev.loralab.events.TestCatalogue.GW1;
import static dev.loralab.events.TestCatalogue.NS_UP_DATA_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryEventBusTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EventFactory factory = new EventFactory(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
      ZoneOffset.UTC), new Ulid(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), new Random(1)),
      "test-host");
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final RecordingScheduler scheduler = new RecordingScheduler();

  @AfterEach
  void stop() {
    executor.shutdownNow();
    scheduler.shutdownNow();
  }

  private InMemoryEventBus bus(int queue) {
    return new InMemoryEventBus(EventsConfig.defaults().withSubscriberQueueSize(queue), null, factory, registry);
  }

  private Event event(EventDefinition def, dev.loralab.api.v3.EntityIdentifiers... ids) {
    return factory.create(def, CorrelationIds.empty(), null, ids);
  }

  @Test
  void routesByIdentifierAndPropagatesOnlyMarkedDeviceEvents() {
    InMemoryEventBus bus = bus(16);
    Subscription app = bus.subscribe(SubscriptionRequest.of(16, APP1));
    Subscription dev = bus.subscribe(SubscriptionRequest.of(16, DEV1));
    Subscription gw = bus.subscribe(SubscriptionRequest.of(16, GW1));
    Event notPropagated = event(NS_UP_DATA_RECEIVE, DEV1);
    Event propagated = event(AS_UP_DATA_FORWARD, DEV1);
    Event otherApp = event(AS_UP_DATA_FORWARD, APP2_DEV);
    Event gateway = event(GS_UP_RECEIVE, GW1);
    bus.publish(notPropagated);
    bus.publish(propagated);
    bus.publish(otherApp);
    bus.publish(gateway);
    assertThat(drain(app)).containsExactly(propagated);
    assertThat(drain(dev)).containsExactly(notPropagated, propagated);
    assertThat(drain(gw)).containsExactly(gateway);
  }

  @Test
  void subscriberOfSeveralMatchingEntitiesGetsAnEventOnce() {
    InMemoryEventBus bus = bus(16);
    Subscription both = bus.subscribe(SubscriptionRequest.of(16, APP1, DEV1, GW1));
    Event e = event(AS_UP_DATA_FORWARD, DEV1, GW1);
    bus.publish(e);
    assertThat(drain(both)).containsExactly(e);
  }

  @Test
  void nameFilterAppliesAtPublish() {
    InMemoryEventBus bus = bus(16);
    Subscription s = bus.subscribe(new SubscriptionRequest(List.of(DEV1), Set.of("as.up.data.forward"), 16));
    bus.publish(event(NS_UP_DATA_RECEIVE, DEV1));
    Event fwd = event(AS_UP_DATA_FORWARD, DEV1);
    bus.publish(fwd);
    assertThat(drain(s)).containsExactly(fwd);
  }

  @Test
  void closedSubscriptionIsRemovedFromTheIndex() {
    InMemoryEventBus bus = bus(16);
    Subscription s = bus.subscribe(SubscriptionRequest.of(16, APP1));
    assertThat(bus.subscriberCount()).isEqualTo(1);
    s.close();
    assertThat(bus.subscriberCount()).isZero();
    bus.publish(event(AS_UP_DATA_FORWARD, DEV1));
    assertThat(s.poll()).isNull();
  }

  @Test
  void slowSubscriberDoesNotSlowPublishersAndGetsExactLagCount() {
    int capacity = 1024;
    int total = 1_000_000;
    InMemoryEventBus bus = bus(capacity);
    Subscription slow = bus.subscribe(SubscriptionRequest.of(capacity, DEV1));
    Subscription fast = bus.subscribe(SubscriptionRequest.of(capacity, DEV1));
    Event e = event(NS_UP_DATA_RECEIVE, DEV1);
    long fastReceived = 0;
    for (int i = 0; i < total; i++) {
      bus.publish(e);
      Event f;
      while ((f = fast.poll()) != null) {
        assertThat(f.name()).isEqualTo("ns.up.data.receive");
        fastReceived++;
      }
    }
    assertThat(fastReceived).isEqualTo(total);
    // the slow subscriber read nothing while 1,000,000 events were published
    long received = 0;
    long lag = 0;
    int lagEvents = 0;
    Event got;
    while ((got = slow.poll()) != null) {
      long missed = Subscription.lagCount(got);
      if (missed >= 0) {
        lag += missed;
        lagEvents++;
        assertThat(got.identifiers()).containsExactly(DEV1);
      } else {
        received++;
      }
    }
    assertThat(received).isEqualTo(capacity);
    assertThat(lagEvents).isEqualTo(1);
    assertThat(lag).isEqualTo(total - capacity);
    assertThat(slow.droppedTotal()).isEqualTo(total - capacity);
    assertThat(registry.get("events.subscriber.dropped").counter().count()).isEqualTo(total - capacity);
    assertThat(registry.get("events.published").counter().count()).isEqualTo(total);
  }

  @Test
  void lagEventMarksTheGapPosition() {
    InMemoryEventBus bus = bus(2);
    Subscription s = bus.subscribe(SubscriptionRequest.of(2, DEV1));
    List<Event> published = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Event e = event(NS_UP_DATA_RECEIVE, DEV1);
      published.add(e);
      bus.publish(e);
    }
    assertThat(s.poll()).isEqualTo(published.get(0));
    assertThat(s.poll()).isEqualTo(published.get(1));
    // space again: the next publish first queues the gap marker (3 missed), then the event
    Event after = event(NS_UP_DATA_RECEIVE, DEV1);
    bus.publish(after);
    assertThat(Subscription.lagCount(s.poll())).isEqualTo(3);
    assertThat(s.poll()).isEqualTo(after);
    assertThat(s.poll()).isNull();
  }

  @Test
  void pushSubscriptionDeliversSeriallyAndPausesWhenNotReady() throws Exception {
    InMemoryEventBus bus = bus(64);
    List<Event> got = new CopyOnWriteArrayList<>();
    boolean[] ready = {false};
    EventSink sink = new EventSink() {
      @Override
      public boolean ready() {
        synchronized (ready) {
          return ready[0];
        }
      }

      @Override
      public void accept(Event event) {
        got.add(event);
      }
    };
    Subscription s = bus.subscribe(SubscriptionRequest.of(64, APP1), sink, executor);
    for (int i = 0; i < 10; i++) {
      bus.publish(event(AS_UP_DATA_FORWARD, DEV1));
    }
    assertThat(got).isEmpty();
    synchronized (ready) {
      ready[0] = true;
    }
    s.wake();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (got.size() < 10 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(got).hasSize(10);
    s.close();
  }

  @Test
  void pollWithTimeoutWakesOnPublish() throws Exception {
    InMemoryEventBus bus = bus(16);
    Subscription s = bus.subscribe(SubscriptionRequest.of(16, GW1));
    Event e = event(GS_UP_RECEIVE, GW1);
    executor.execute(() -> bus.publish(e));
    assertThat(s.poll(Duration.ofSeconds(60))).isEqualTo(e);
  }

  @Test
  void historyRecordsPublishedEvents() {
    EventsConfig config = EventsConfig.defaults();
    InMemoryEventHistory history = new InMemoryEventHistory(config, Clock.systemUTC());
    InMemoryEventBus bus = new InMemoryEventBus(config, history, EventFactory.system(), registry);
    Event e = AS_UP_DATA_FORWARD.with(CorrelationIds.of("as:up:1"), null, DEV1);
    bus.publish(e);
    assertThat(history.tail(List.of(APP1), 10)).containsExactly(e);
    assertThat(history.related("as:up:1")).containsExactly(e);
  }

  /** Keeps the deliveries submitted to it, with their delays, to be run by the test. */
  private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
    final List<Runnable> tasks = new ArrayList<>();
    final List<Long> delaysNanos = new ArrayList<>();

    RecordingScheduler() {
      super(1);
    }

    @Override
    public void execute(Runnable command) {
      tasks.add(command);
      delaysNanos.add(0L);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      tasks.add(command);
      delaysNanos.add(unit.toNanos(delay));
      return null;
    }

    /** Runs the deliveries submitted so far, in order. */
    void runAll() {
      List<Runnable> now = new ArrayList<>(tasks);
      tasks.clear();
      now.forEach(Runnable::run);
    }
  }

  /** A sink that is ready when told, and counts what it was given. */
  private static final class CountingSink implements EventSink {
    final List<Event> accepted = new ArrayList<>();
    int flushes;
    boolean ready = true;

    @Override
    public boolean ready() {
      return ready;
    }

    @Override
    public void accept(Event event) {
      accepted.add(event);
    }

    @Override
    public void flush() {
      flushes++;
    }
  }

  private InMemoryEventBus lingeringBus(int deliveryBatch, Duration linger) {
    EventsConfig d = EventsConfig.defaults();
    EventsConfig config = new EventsConfig(d.historyMaxEvents(), d.historyMaxAge(), d.correlationMaxEvents(),
        d.correlationMaxIds(), 64, d.keepaliveInterval(), d.maxTail(), d.maxIdentifiers(), deliveryBatch,
        d.historyMaxTotal(), d.historyRingEvents(), d.historyRingBytes(), d.historySegmentBytes(), linger);
    return new InMemoryEventBus(config, null, factory, registry);
  }

  @Test
  void eventsReachingAnIdleQueueWaitTheLingerAndGoOutTogether() {
    InMemoryEventBus bus = lingeringBus(256, Duration.ofMillis(5));
    CountingSink sink = new CountingSink();
    bus.subscribe(SubscriptionRequest.of(64, APP1), sink, scheduler);
    for (int i = 0; i < 3; i++) {
      bus.publish(event(AS_UP_DATA_FORWARD, DEV1));
    }
    // one delivery, delayed by the linger, for the three events
    assertThat(scheduler.delaysNanos).containsExactly(TimeUnit.MILLISECONDS.toNanos(5));
    assertThat(sink.accepted).isEmpty();
    scheduler.runAll();
    assertThat(sink.accepted).hasSize(3);
    assertThat(sink.flushes).isEqualTo(1);
  }

  @Test
  void aBacklogAndAResumedSinkAreDeliveredWithoutTheLinger() {
    InMemoryEventBus bus = lingeringBus(2, Duration.ofMillis(5));
    CountingSink sink = new CountingSink();
    Subscription s = bus.subscribe(SubscriptionRequest.of(64, APP1), sink, scheduler);
    for (int i = 0; i < 5; i++) {
      bus.publish(event(AS_UP_DATA_FORWARD, DEV1));
    }
    scheduler.runAll(); // a batch of 2; 3 left: the next drain at once
    assertThat(sink.accepted).hasSize(2);
    assertThat(scheduler.delaysNanos).containsExactly(TimeUnit.MILLISECONDS.toNanos(5), 0L);
    sink.ready = false;
    scheduler.runAll(); // not ready: nothing delivered, nothing rescheduled
    assertThat(sink.accepted).hasSize(2);
    assertThat(scheduler.tasks).isEmpty();
    sink.ready = true;
    s.wake(); // the sink can take more: at once
    assertThat(scheduler.delaysNanos).containsExactly(TimeUnit.MILLISECONDS.toNanos(5), 0L, 0L);
    scheduler.runAll();
    scheduler.runAll();
    assertThat(sink.accepted).hasSize(5);
    assertThat(scheduler.delaysNanos).containsExactly(TimeUnit.MILLISECONDS.toNanos(5), 0L, 0L, 0L);
  }

  @Test
  void anEventThatFindsABacklogDoesNotWait() {
    InMemoryEventBus bus = lingeringBus(256, Duration.ofMillis(5));
    CountingSink sink = new CountingSink();
    sink.ready = false;
    bus.subscribe(SubscriptionRequest.of(64, APP1), sink, scheduler);
    bus.publish(event(AS_UP_DATA_FORWARD, DEV1)); // found the queue empty: waits
    scheduler.runAll(); // the sink is not ready: the event stays queued
    sink.ready = true;
    bus.publish(event(AS_UP_DATA_FORWARD, DEV1)); // found one waiting: at once
    assertThat(scheduler.delaysNanos).containsExactly(TimeUnit.MILLISECONDS.toNanos(5), 0L);
    scheduler.runAll();
    assertThat(sink.accepted).hasSize(2);
  }

  @Test
  void withoutLingerOrWithAPlainExecutorDeliveryStartsAtOnce() {
    InMemoryEventBus immediate = lingeringBus(256, Duration.ZERO);
    immediate.subscribe(SubscriptionRequest.of(64, APP1), new CountingSink(), scheduler);
    immediate.publish(event(AS_UP_DATA_FORWARD, DEV1));
    assertThat(scheduler.delaysNanos).containsExactly(0L);
    // a plain executor cannot delay: the linger does not apply
    InMemoryEventBus lingering = lingeringBus(256, Duration.ofMillis(5));
    List<Runnable> plain = new ArrayList<>();
    lingering.subscribe(SubscriptionRequest.of(64, APP1), new CountingSink(), plain::add);
    lingering.publish(event(AS_UP_DATA_FORWARD, DEV1));
    assertThat(plain).hasSize(1);
  }

  @Test
  void theLingerIsBounded() {
    EventsConfig d = EventsConfig.defaults();
    assertThat(d.deliveryLinger()).isEqualTo(EventsConfig.DEFAULT_DELIVERY_LINGER);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.withDeliveryLinger(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deliveryLinger");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.withDeliveryLinger(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deliveryLinger");
  }

  private static List<Event> drain(Subscription s) {
    List<Event> out = new ArrayList<>();
    Event e;
    while ((e = s.poll()) != null) {
      out.add(e);
    }
    return out;
  }
}
