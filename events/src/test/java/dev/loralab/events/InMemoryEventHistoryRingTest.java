package dev.loralab.events;

import static dev.loralab.events.InMemoryEventHistoryEquivalenceTest.APP_A;
import static dev.loralab.events.InMemoryEventHistoryEquivalenceTest.CORRELATION_IDS;
import static dev.loralab.events.InMemoryEventHistoryEquivalenceTest.DEV_A1;
import static dev.loralab.events.InMemoryEventHistoryEquivalenceTest.DEV_B1;
import static dev.loralab.events.InMemoryEventHistoryEquivalenceTest.ENTITIES;
import static dev.loralab.events.InMemoryEventHistoryEquivalenceTest.GW_1;
import static dev.loralab.events.InMemoryEventHistoryEquivalenceTest.GW_2;
import static dev.loralab.events.InMemoryEventHistoryEquivalenceTest.TARGETS;
import static dev.loralab.events.InMemoryEventHistoryEquivalenceTest.device;
import static dev.loralab.events.TestCatalogue.AS_UP_DATA_FORWARD;
import static dev.loralab.events.TestCatalogue.NS_UP_DATA_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.EntityIdentifiers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.ToLongFunction;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@link InMemoryEventHistory}'s storage ring ({@link EventRing}) and correlation index
 * ({@link CorrelationIndex}): with small rings that wrap around (segments, metadata, links), the
 * history answers as {@link ReferenceEventHistory} does for the events still in the ring (index
 * entries of events that left are skipped); with a weak correlation hash that forces collisions
 * it never returns an event of another ID (colliding IDs share their bounds); and steady-state recording reuses its segments.
 */
class InMemoryEventHistoryRingTest {

  // The entities, identifier lists and correlation IDs of InMemoryEventHistoryEquivalenceTest.

  private static final ToLongFunction<String> WEAK_HASH = id -> id.length() % 3;

  /** Records the events of {@code steps} (decoded as in {@link InMemoryEventHistoryEquivalenceTest}) into both. */
  private static final class Run {
    final InMemoryEventHistoryTest.MutableClock clock = new InMemoryEventHistoryTest.MutableClock();
    final EventFactory factory = new EventFactory(clock, new Ulid(clock, new Random(11)), "h");
    final List<Event> recorded = new ArrayList<>();
    final List<String> correlationIds = new ArrayList<>(CORRELATION_IDS);

    /** Applies one step: advances the clock, or returns a new event to record. */
    Event step(int step, Random rnd) {
      if (step % 10 == 0) {
        clock.now = clock.now.plus(Duration.ofHours((step / 10) % 5));
        return null;
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
      Event.Builder b = factory.builder(def).time(time).identifiers(target).correlationIds(
          CorrelationIds.of(ids));
      if (rnd.nextInt(4) == 0) {
        // data of varying size, so that encodings straddle segment ends and some exceed a segment
        b.data(ApplicationUp.newBuilder().addCorrelationIds("x".repeat(rnd.nextInt(600))).build());
      }
      Event e = b.build();
      recorded.add(e);
      return e;
    }
  }

  /** The reference's answer without the events that left the ring (recorded before {@code oldest}). */
  private static List<Event> inRing(List<Event> reference, List<Event> recorded, long oldest) {
    Set<String> live = new HashSet<>();
    for (int i = (int) oldest; i < recorded.size(); i++) {
      live.add(recorded.get(i).uniqueId());
    }
    return reference.stream().filter(e -> live.contains(e.uniqueId())).toList();
  }

  private static void assertAnswersLikeTheReferenceInRing(InMemoryEventHistory history, ReferenceEventHistory reference,
      Run run, boolean collisions, int maxPerId) {
    long oldest = history.oldestSequence();
    List<Event> recorded = run.recorded;
    List<List<EntityIdentifiers>> queries = new ArrayList<>();
    for (EntityIdentifiers id : ENTITIES) {
      queries.add(List.of(id));
    }
    queries.add(List.of(APP_A, GW_1));
    queries.add(List.of(DEV_A1, APP_A, GW_2, DEV_B1));
    Event middle = recorded.get(recorded.size() / 2);
    for (List<EntityIdentifiers> q : queries) {
      List<Event> all = inRing(reference.tail(q, 1000), recorded, oldest);
      assertThat(history.tail(q, 1000)).as("tail %s", q).isEqualTo(all);
      assertThat(history.tail(q, 2)).as("tail 2 %s", q).isEqualTo(all.subList(Math.max(0, all.size() - 2), all.size()));
      assertThat(history.after(q, middle.time())).as("after %s", q)
          .isEqualTo(inRing(reference.after(q, middle.time()), recorded, oldest));
      assertThat(history.afterEventId(q, middle.uniqueId())).as("afterEventId %s", q)
          .isEqualTo(inRing(reference.afterEventId(q, middle.uniqueId()), recorded, oldest));
    }
    for (String cid : run.correlationIds) {
      List<Event> expected = inRing(reference.related(cid), recorded, oldest);
      List<Event> actual = history.related(cid);
      if (collisions) {
        // IDs with the same hash share one chain and its bounds (events per ID, IDs): only events
        // that carry the ID, recorded and still in the ring, in order, each once.
        List<Event> inRing = recorded.subList((int) oldest, recorded.size());
        assertThat(actual).as("related %s", cid).isSubsetOf(inRing).doesNotHaveDuplicates()
            .isSortedAccordingTo(java.util.Comparator.comparing(Event::uniqueId));
        assertThat(actual.size()).isLessThanOrEqualTo(maxPerId);
        actual.forEach(e -> assertThat(e.correlationIds().asList()).as("related %s", cid).contains(cid));
      } else {
        assertThat(actual).as("related %s", cid).isEqualTo(expected);
      }
    }
  }

  /**
   * Small rings that wrap many times (at most 2-40 events, 1-4 segments of 256-1,600 bytes, events
   * of up to ~900 bytes, some larger than a segment): the answers are the reference's without the
   * events that left the ring, under every bound of the history.
   */
  @Property(tries = 300)
  void answersLikeTheReferenceForTheEventsInTheRing(
      @ForAll @Size(max = 150) List<@IntRange(min = 0, max = 1_000_000) Integer> steps,
      @ForAll @IntRange(min = 1, max = 5) int maxEvents,
      @ForAll @IntRange(min = 1, max = 12) int maxTotal,
      @ForAll @IntRange(min = 1, max = 4) int correlationMaxEvents,
      @ForAll @IntRange(min = 1, max = 6) int correlationMaxIds,
      @ForAll @IntRange(min = 2, max = 40) int ringEvents,
      @ForAll @IntRange(min = 256, max = 1600) int segmentBytes,
      @ForAll @IntRange(min = 1, max = 4) int segments,
      @ForAll long seed) {
    EventsConfig config = EventsConfig.defaults().withHistory(maxEvents, Duration.ofHours(3))
        .withHistoryMaxTotal(maxTotal).withCorrelationIndex(correlationMaxEvents, correlationMaxIds)
        .withHistoryRing(ringEvents, (long) segmentBytes * segments, segmentBytes);
    runAgainstReference(steps, config, seed, null);
  }

  /** Large bounds, a small ring: only the ring decides what is kept. */
  @Property(tries = 200)
  void onlyTheRingBoundsWhatIsKept(
      @ForAll @Size(max = 150) List<@IntRange(min = 0, max = 1_000_000) Integer> steps,
      @ForAll @IntRange(min = 1, max = 60) int ringEvents,
      @ForAll @IntRange(min = 200, max = 3000) int segmentBytes,
      @ForAll @IntRange(min = 1, max = 5) int segments,
      @ForAll long seed) {
    EventsConfig config = EventsConfig.defaults().withHistory(1000, Duration.ofDays(3650))
        .withHistoryMaxTotal(100_000).withCorrelationIndex(1000, 1000)
        .withHistoryRing(ringEvents, (long) segmentBytes * segments, segmentBytes);
    runAgainstReference(steps, config, seed, null);
  }

  /** A weak correlation hash (three values): IDs collide, probe runs are long, forgotten IDs shift entries back. */
  @Property(tries = 300)
  void collidingCorrelationIdsNeverAnswerWithAnotherIdsEvents(
      @ForAll @Size(max = 150) List<@IntRange(min = 0, max = 1_000_000) Integer> steps,
      @ForAll @IntRange(min = 1, max = 4) int correlationMaxEvents,
      @ForAll @IntRange(min = 1, max = 6) int correlationMaxIds,
      @ForAll @IntRange(min = 2, max = 40) int ringEvents,
      @ForAll long seed) {
    EventsConfig config = EventsConfig.defaults().withHistory(3, Duration.ofHours(3))
        .withHistoryMaxTotal(8).withCorrelationIndex(correlationMaxEvents, correlationMaxIds)
        .withHistoryRing(ringEvents, 4096, 1024);
    runAgainstReference(steps, config, seed, WEAK_HASH);
  }

  /** With colliding hashes but bounds that never apply, every ID's events are all returned. */
  @Property(tries = 100)
  void collidingCorrelationIdsLoseNothingWithoutBounds(
      @ForAll @Size(max = 150) List<@IntRange(min = 0, max = 1_000_000) Integer> steps, @ForAll long seed) {
    EventsConfig config = EventsConfig.defaults().withHistory(1000, Duration.ofDays(3650))
        .withHistoryMaxTotal(100_000).withCorrelationIndex(1000, 1000);
    Run run = new Run();
    InMemoryEventHistory history = new InMemoryEventHistory(config, run.clock, WEAK_HASH);
    ReferenceEventHistory reference = new ReferenceEventHistory(config, run.clock);
    Random rnd = new Random(seed);
    for (int step : steps) {
      Event e = run.step(step, rnd);
      if (e != null) {
        history.record(e);
        reference.record(e);
      }
    }
    for (String cid : run.correlationIds) {
      assertThat(history.related(cid)).as("related %s", cid).isEqualTo(reference.related(cid));
    }
  }

  private static void runAgainstReference(List<Integer> steps, EventsConfig config, long seed,
      ToLongFunction<String> hash) {
    Run run = new Run();
    InMemoryEventHistory history = hash == null ? new InMemoryEventHistory(config, run.clock)
        : new InMemoryEventHistory(config, run.clock, hash);
    // The history drops an entity log's head once its event left the ring (as when it expires), so
    // that entry stops counting against the bounds: the reference does the same for those events.
    java.util.Map<String, Integer> sequenceOf = new java.util.HashMap<>();
    ReferenceEventHistory reference = new ReferenceEventHistory(config, run.clock)
        .forgetting(e -> sequenceOf.get(e.uniqueId()) < history.oldestSequence());
    Random rnd = new Random(seed);
    for (int step : steps) {
      Event e = run.step(step, rnd);
      if (e == null) {
        continue;
      }
      sequenceOf.put(e.uniqueId(), run.recorded.size() - 1);
      history.record(e);
      reference.record(e);
      if (run.recorded.size() % 5 == 0) {
        assertAnswersLikeTheReferenceInRing(history, reference, run, hash != null,
            config.correlationMaxEvents());
      }
    }
    if (!run.recorded.isEmpty()) {
      assertAnswersLikeTheReferenceInRing(history, reference, run, hash != null,
            config.correlationMaxEvents());
    }
  }

  @Test
  void theRingKeepsTheLastEventsByCountAndSkipsStaleIndexEntries() {
    InMemoryEventHistoryTest.MutableClock clock = new InMemoryEventHistoryTest.MutableClock();
    EventFactory factory = new EventFactory(clock, new Ulid(clock, new Random(3)), "h");
    InMemoryEventHistory history = new InMemoryEventHistory(EventsConfig.defaults().withHistoryRing(5, 1 << 16, 1 << 14),
        clock);
    List<Event> all = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Event e = factory.create(AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:" + i, "gs:conn:1"), null, DEV_A1);
      all.add(e);
      history.record(e);
    }
    assertThat(history.oldestSequence()).isEqualTo(7);
    // the device's log and the connection's chain still refer to all 12; only the last 5 are in the ring
    assertThat(history.tail(List.of(DEV_A1), 100)).containsExactlyElementsOf(all.subList(7, 12));
    assertThat(history.tail(List.of(APP_A), 100)).containsExactlyElementsOf(all.subList(7, 12));
    assertThat(history.related("gs:conn:1")).containsExactlyElementsOf(all.subList(7, 12));
    assertThat(history.related("as:up:6")).isEmpty();
    assertThat(history.related("as:up:7")).containsExactly(all.get(7));
  }

  @Test
  void steadyStateRecordingAllocatesNoSegments() {
    // 64 KiB segments, 4 of them: the ring wraps every ~1,000 events of ~250 bytes.
    EventsConfig config = EventsConfig.defaults().withHistoryRing(100_000, 4 << 16, 1 << 16);
    InMemoryEventHistory history = new InMemoryEventHistory(config, java.time.Clock.systemUTC());
    EventFactory factory = EventFactory.system();
    for (int i = 0; i < 5_000; i++) {
      history.record(factory.create(AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:" + i),
          ApplicationUp.newBuilder().addCorrelationIds("as:up:" + i).build(), device("app-a", "dev-" + i % 50)));
    }
    assertThat(history.segmentAllocations()).isEqualTo(4);
    assertThat(history.oldestSequence()).as("the ring has wrapped").isPositive();
    int logs = history.entityLogs();
    for (int i = 0; i < 50_000; i++) {
      history.record(factory.create(AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:x" + i),
          ApplicationUp.newBuilder().addCorrelationIds("as:up:x" + i).build(), device("app-a", "dev-" + i % 50)));
    }
    assertThat(history.segmentAllocations()).isEqualTo(4);
    assertThat(history.entityLogs()).as("entity logs are reused").isEqualTo(logs);
    Event last = factory.create(AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:last"), null, DEV_A1);
    history.record(last);
    assertThat(history.related("as:up:last")).containsExactly(last);
    assertThat(history.tail(List.of(DEV_A1), 1)).containsExactly(last);
  }

  @Test
  void eventsLargerThanASegmentAndConvertedEventsAreKept() {
    InMemoryEventHistory history = new InMemoryEventHistory(EventsConfig.defaults().withHistoryRing(10, 512, 256),
        java.time.Clock.systemUTC());
    EventFactory factory = EventFactory.system();
    Event big = factory.create(AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:big"),
        ApplicationUp.newBuilder().addCorrelationIds("y".repeat(1000)).build(), DEV_A1);
    Event small = factory.create(AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:small"), null, DEV_A1);
    Event converted = Event.fromProto(factory.create(AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:conv"), null, DEV_A1)
        .toProto());
    history.record(big);
    history.record(small);
    history.record(converted);
    assertThat(history.tail(List.of(DEV_A1), 10)).containsExactly(big, small, converted);
    assertThat(history.related("as:up:big").get(0).data()).isEqualTo(big.data());
    assertThat(history.related("as:up:conv").get(0).toProto()).isSameAs(converted.toProto());
  }

  /**
   * The correlation index alone, with hashes that all share one home slot (one long probe run):
   * forgetting the oldest IDs (backward-shift deletion) keeps every other ID findable, and each ID
   * answers its newest events, as a FIFO of IDs with per-ID bounded logs does.
   */
  @Property(tries = 300)
  void correlationIndexIsAFifoOfIdsWithBoundedLogs(
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 30) Integer> ids,
      @ForAll @IntRange(min = 1, max = 12) int maxIds,
      @ForAll @IntRange(min = 1, max = 5) int maxEvents,
      @ForAll @IntRange(min = 0, max = 1) int clustered) {
    // id k hashes to k * 512 + 1: with a table of 512 slots, all share home slot 1 when clustered
    ToLongFunction<String> hash = s -> clustered == 1 ? Long.parseLong(s) * 512 + 1 : CorrelationIndex.defaultHash(s);
    CorrelationIndex index = new CorrelationIndex(hash, maxIds, 1 << 20);
    EventRing ring = new EventRing(1 << 16, 1 << 16, 1);
    java.util.LinkedHashMap<String, List<Long>> model = new java.util.LinkedHashMap<>();
    long seq = 0;
    for (int k : ids) {
      String id = Integer.toString(k);
      if (!model.containsKey(id)) {
        if (model.size() == maxIds) {
          model.remove(model.keySet().iterator().next());
        }
        model.put(id, new ArrayList<>());
      }
      model.get(id).add(0, seq);
      index.add(index.hashOf(id), seq, ring);
      seq++;
      assertThat(index.idCount()).isEqualTo(model.size());
    }
    for (int k = 0; k <= 30; k++) {
      String id = Integer.toString(k);
      long[] out = new long[maxEvents];
      int n = index.newestEvents(index.hashOf(id), maxEvents, out);
      List<Long> expected = model.getOrDefault(id, List.of());
      expected = expected.subList(0, Math.min(maxEvents, expected.size()));
      List<Long> actual = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        actual.add(out[i]);
      }
      assertThat(actual).as("id %s", id).isEqualTo(expected);
    }
  }

  @Test
  void ringConfigurationDefaultsAndValidation() {
    EventsConfig d = EventsConfig.defaults();
    assertThat(d.historyRingEvents()).isEqualTo(200_000);
    assertThat(d.historyRingBytes()).isEqualTo(96L << 20);
    assertThat(d.historySegmentBytes()).isEqualTo((4 << 20) - 64);
    assertThat(d.withHistoryRing(7, 300, 100).withHistoryMaxTotal(3).historyRingEvents()).isEqualTo(7);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.withHistoryRing(10, 99, 100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("historyRingBytes");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.withHistoryRing(0, 100, 100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("historyRingEvents");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new InMemoryEventHistory(
        d.withHistoryRing(EventRing.MAX_EVENTS + 1, 100, 100), java.time.Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
  }

  @Test
  void defaultCorrelationHashSpreadsIdsOfTheStacksShape() {
    Ulid ulid = new Ulid(java.time.Clock.systemUTC(), new Random(9));
    Set<Long> hashes = new HashSet<>();
    Set<Integer> homes = new HashSet<>();
    int n = 0;
    for (String prefix : List.of("as:up:", "gs:uplink:", "ns:uplink:", "rpc:/ttn.lorawan.v3.GsNs/HandleUplink:")) {
      for (int i = 0; i < 50_000; i++) {
        long h = CorrelationIndex.defaultHash(prefix + ulid.next());
        hashes.add(h);
        homes.add((int) (h ^ (h >>> 32)) & ((1 << 18) - 1));
        n++;
      }
    }
    assertThat(hashes).hasSize(n);
    // 200,000 keys into 262,144 home slots: about 1 - e^-0.76 = 53 % of the slots taken if spread evenly
    assertThat(homes.size()).isGreaterThan(130_000);
    // every one-char change, in every position and of every length up to 12, changes the hash
    for (int len = 0; len <= 12; len++) {
      String base = "abcdefghijkl".substring(0, len);
      for (int i = 0; i < len; i++) {
        String changed = base.substring(0, i) + 'X' + base.substring(i + 1);
        assertThat(CorrelationIndex.defaultHash(changed)).isNotEqualTo(CorrelationIndex.defaultHash(base));
      }
      assertThat(CorrelationIndex.defaultHash(base)).isNotEqualTo(CorrelationIndex.defaultHash(base + "\0"));
    }
  }
}
