package dev.loralab.events;

import static dev.loralab.events.TestCatalogue.AS_UP_DATA_FORWARD;
import static dev.loralab.events.TestCatalogue.GS_UP_RECEIVE;
import static dev.loralab.events.TestCatalogue.NS_UP_DATA_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.GatewayIdentifiers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@link InMemoryEventHistory} answers every query exactly as {@link ReferenceEventHistory} (the
 * previous implementation) does, for random sequences of events over a few entities and
 * correlation IDs with small bounds, so that every bound (per entity, total, age, per correlation
 * ID, number of IDs) is hit; and it keeps its bounds and loses nothing when recorded concurrently.
 */
class InMemoryEventHistoryEquivalenceTest {

  static final EntityIdentifiers APP_A = app("app-a");
  static final EntityIdentifiers APP_B = app("app-b");
  static final EntityIdentifiers DEV_A1 = device("app-a", "dev-1");
  static final EntityIdentifiers DEV_A2 = device("app-a", "dev-2");
  static final EntityIdentifiers DEV_B1 = device("app-b", "dev-1");
  static final EntityIdentifiers GW_1 = gateway("gw-1");
  static final EntityIdentifiers GW_2 = gateway("gw-2");
  static final List<EntityIdentifiers> ENTITIES = List.of(APP_A, APP_B, DEV_A1, DEV_A2, DEV_B1, GW_1, GW_2);
  /** Identifier lists of recorded events: one entity, a device and a gateway, an application. */
  static final List<List<EntityIdentifiers>> TARGETS = List.of(List.of(DEV_A1), List.of(DEV_A2),
      List.of(DEV_B1), List.of(GW_1), List.of(GW_2), List.of(DEV_A1, GW_1), List.of(APP_A), List.of(DEV_B1, APP_B));
  static final List<String> CORRELATION_IDS = List.of("as:up:0", "as:up:1", "gs:uplink:2", "rpc:/x:3");

  static EntityIdentifiers app(String id) {
    return EntityIdentifiers.newBuilder().setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId(id))
        .build();
  }

  static EntityIdentifiers device(String app, String id) {
    return EntityIdentifiers.newBuilder().setDeviceIds(EndDeviceIdentifiers.newBuilder().setDeviceId(id)
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId(app))).build();
  }

  static EntityIdentifiers gateway(String id) {
    return EntityIdentifiers.newBuilder().setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId(id)).build();
  }

  /**
   * Each step is decoded from one integer: {@code step % 10 == 0} advances the clock by 0-4 hours
   * (the maximum age is 3 hours); otherwise an event is recorded for target {@code (step / 10) % 8},
   * propagating to its application or not ({@code (step / 100) % 2}), with the subset
   * {@code (step / 1000) % 16} of four shared correlation IDs and, for {@code (step / 16000) % 3 == 0},
   * an ID of its own; {@code step % 10 == 1} backdates the event by 0-3 hours.
   */
  @Property(tries = 300)
  void answersLikeTheReferenceImplementation(
      @ForAll @Size(max = 150) List<@IntRange(min = 0, max = 1_000_000) Integer> steps,
      @ForAll @IntRange(min = 1, max = 5) int maxEvents,
      @ForAll @IntRange(min = 1, max = 12) int maxTotal,
      @ForAll @IntRange(min = 1, max = 4) int correlationMaxEvents,
      @ForAll @IntRange(min = 1, max = 6) int correlationMaxIds) {
    InMemoryEventHistoryTest.MutableClock clock = new InMemoryEventHistoryTest.MutableClock();
    EventFactory factory = new EventFactory(clock, new Ulid(clock, new Random(11)), "h");
    EventsConfig config = EventsConfig.defaults().withHistory(maxEvents, Duration.ofHours(3))
        .withHistoryMaxTotal(maxTotal).withCorrelationIndex(correlationMaxEvents, correlationMaxIds);
    InMemoryEventHistory history = new InMemoryEventHistory(config, clock);
    ReferenceEventHistory reference = new ReferenceEventHistory(config, clock);
    List<Event> recorded = new ArrayList<>();
    List<String> correlationIds = new ArrayList<>(CORRELATION_IDS);
    for (int step : steps) {
      if (step % 10 == 0) {
        clock.now = clock.now.plus(Duration.ofHours((step / 10) % 5));
        continue;
      }
      List<EntityIdentifiers> target = TARGETS.get((step / 10) % TARGETS.size());
      EventDefinition def = (step / 100) % 2 == 0 ? AS_UP_DATA_FORWARD : NS_UP_DATA_RECEIVE;
      List<String> ids = new ArrayList<>();
      int subset = (step / 1000) % 16;
      for (int i = 0; i < CORRELATION_IDS.size(); i++) {
        if ((subset & (1 << i)) != 0) {
          ids.add(CORRELATION_IDS.get(i));
        }
      }
      if ((step / 16000) % 3 == 0) {
        String own = "ns:uplink:" + recorded.size();
        ids.add(own);
        correlationIds.add(own);
      }
      Instant time = step % 10 == 1 ? clock.now.minus(Duration.ofHours((step / 10) % 4)) : clock.now;
      Event e = factory.builder(def).time(time).identifiers(target).correlationIds(CorrelationIds.of(ids)).build();
      recorded.add(e);
      history.record(e);
      reference.record(e);
      if (recorded.size() % 5 == 0) {
        assertSameAnswers(history, reference, recorded, correlationIds);
      }
    }
    if (!recorded.isEmpty()) {
      assertSameAnswers(history, reference, recorded, correlationIds);
    }
  }

  private static void assertSameAnswers(EventHistory history, EventHistory reference, List<Event> recorded,
      List<String> correlationIds) {
    List<List<EntityIdentifiers>> queries = new ArrayList<>();
    for (EntityIdentifiers id : ENTITIES) {
      queries.add(List.of(id));
    }
    queries.add(List.of(APP_A, GW_1));
    queries.add(List.of(DEV_A1, APP_A, GW_2, DEV_B1));
    Event middle = recorded.get(recorded.size() / 2);
    for (List<EntityIdentifiers> q : queries) {
      assertThat(history.tail(q, 1000)).as("tail %s", q).isEqualTo(reference.tail(q, 1000));
      assertThat(history.tail(q, 2)).as("tail 2 %s", q).isEqualTo(reference.tail(q, 2));
      assertThat(history.after(q, middle.time())).as("after %s", q).isEqualTo(reference.after(q, middle.time()));
      assertThat(history.afterEventId(q, middle.uniqueId())).as("afterEventId %s", q)
          .isEqualTo(reference.afterEventId(q, middle.uniqueId()));
    }
    for (String cid : correlationIds) {
      assertThat(history.related(cid)).as("related %s", cid).isEqualTo(reference.related(cid));
    }
  }

  @Test
  void storedEventsAreEqualCopiesWithoutTheRenderingsOfThePublishedOnes() {
    InMemoryEventHistory history = new InMemoryEventHistory(EventsConfig.defaults(), java.time.Clock.systemUTC());
    Event e = EventFactory.system().create(AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:1"),
        ApplicationUp.newBuilder().addCorrelationIds("gs:uplink:2").build(), DEV_A1);
    history.record(e);
    String json = e.toJson();
    Event stored = history.tail(List.of(DEV_A1), 1).get(0);
    assertThat(stored).isEqualTo(e).isNotSameAs(e);
    assertThat(stored.toJson()).isEqualTo(json).isNotSameAs(json);
    assertThat(history.related("gs:uplink:2")).containsExactly(e);
    Event fromProto = Event.fromProto(e.toProto());
    history.record(fromProto);
    assertThat(history.related("as:up:1").get(1).toProto()).isSameAs(fromProto.toProto());
  }

  @Test
  void concurrentRecordingLosesNothingWithinTheBounds() throws Exception {
    int threads = 4;
    int perThread = 2000;
    EventsConfig config = EventsConfig.defaults().withHistory(10_000, Duration.ofHours(24))
        .withHistoryMaxTotal(1_000_000).withCorrelationIndex(10_000, 1_000_000);
    InMemoryEventHistory history = new InMemoryEventHistory(config, java.time.Clock.systemUTC());
    List<Event> all = recordConcurrently(history, threads, perThread);
    Map<EntityIdentifiers, List<Event>> expected = new HashMap<>();
    for (Event e : all) {
      expected.computeIfAbsent(e.identifiers().get(0), k -> new ArrayList<>()).add(e);
      expected.computeIfAbsent(APP_A, k -> new ArrayList<>()).add(e);
    }
    for (Map.Entry<EntityIdentifiers, List<Event>> x : expected.entrySet()) {
      List<Event> want = new ArrayList<>(x.getValue());
      want.sort(java.util.Comparator.comparing(Event::uniqueId));
      assertThat(history.tail(List.of(x.getKey()), Integer.MAX_VALUE)).containsExactlyElementsOf(want);
    }
    for (Event e : all) {
      assertThat(history.related(e.correlationIds().asList().get(0))).containsExactly(e);
    }
  }

  @Test
  void concurrentRecordingKeepsTheTotalBoundExactly() throws Exception {
    EventsConfig config = EventsConfig.defaults().withHistory(10_000, Duration.ofHours(24))
        .withHistoryMaxTotal(300).withCorrelationIndex(10, 500);
    InMemoryEventHistory history = new InMemoryEventHistory(config, java.time.Clock.systemUTC());
    List<Event> all = recordConcurrently(history, 4, 2000);
    int devices = 0;
    for (int d = 0; d < 20; d++) {
      devices += history.tail(List.of(device("app-a", "dev-" + d)), Integer.MAX_VALUE).size();
    }
    // Each event is in its device's log and, propagated, its application's: 300 entries in all.
    int application = history.tail(List.of(APP_A), Integer.MAX_VALUE).size();
    assertThat(devices + application).isEqualTo(300);
    int indexed = 0;
    for (Event e : all) {
      indexed += history.related(e.correlationIds().asList().get(0)).isEmpty() ? 0 : 1;
    }
    for (int t = 0; t < 4; t++) {
      indexed += history.related("gs:conn:" + t).isEmpty() ? 0 : 1;
    }
    // Every indexed ID has events (none aged out): the index holds exactly its 500 IDs.
    assertThat(indexed).isEqualTo(500);
  }

  /** Records {@code perThread} events from each of {@code threads} threads, all started together. */
  private static List<Event> recordConcurrently(InMemoryEventHistory history, int threads, int perThread)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<Event>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          List<Event> mine = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            EntityIdentifiers dev = device("app-a", "dev-" + ((thread * perThread + i) % 20));
            Event e = EventFactory.system().create(AS_UP_DATA_FORWARD,
                CorrelationIds.of("as:up:" + thread + "-" + i, "gs:conn:" + thread), null, dev);
            history.record(e);
            mine.add(e);
          }
          return mine;
        }));
      }
      start.countDown();
      List<Event> all = new ArrayList<>();
      for (Future<List<Event>> f : futures) {
        all.addAll(f.get(60, TimeUnit.SECONDS));
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void gatewayEventsAreNotPropagated() {
    InMemoryEventHistory history = new InMemoryEventHistory(EventsConfig.defaults(), java.time.Clock.systemUTC());
    Event e = EventFactory.system().create(GS_UP_RECEIVE, CorrelationIds.empty(), null, GW_1);
    history.record(e);
    assertThat(history.tail(List.of(GW_1), 10)).containsExactly(e);
    assertThat(history.tail(List.of(APP_A), 10)).isEmpty();
  }
}
