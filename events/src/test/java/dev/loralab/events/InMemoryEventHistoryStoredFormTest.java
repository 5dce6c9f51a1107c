package dev.loralab.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.EntityIdentifiers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link InMemoryEventHistory} keeping events in their stored form answers with events equal to the
 * recorded ones, of the same data classes and rendered to the same JSON, for events with arbitrary
 * contents ({@link ArbitraryEvents}): like {@link ReferenceEventHistory} (which keeps the published
 * events themselves) under small bounds, and exactly the recorded events where no bound applies.
 */
class InMemoryEventHistoryStoredFormTest {

  private static final List<String> CORRELATION_IDS = List.of("as:up:0", "gs:uplink:1", "ns:uplink:2", "rpc:/x:3");
  private static final int ENTITIES = 9;

  private static List<List<EntityIdentifiers>> queries() {
    List<List<EntityIdentifiers>> q = new ArrayList<>();
    for (int i = 0; i < ENTITIES; i++) {
      q.add(List.of(ArbitraryEvents.entity(i)));
    }
    q.add(List.of(ArbitraryEvents.entity(0), ArbitraryEvents.entity(1), ArbitraryEvents.entity(5)));
    q.add(List.of(ArbitraryEvents.entity(3), ArbitraryEvents.entity(4), ArbitraryEvents.entity(2)));
    return q;
  }

  private static List<EntityIdentifiers> target(Random rnd) {
    EntityIdentifiers a = ArbitraryEvents.entity(rnd.nextInt(ENTITIES));
    return rnd.nextInt(4) == 0 ? List.of(a, ArbitraryEvents.entity(rnd.nextInt(ENTITIES))) : List.of(a);
  }

  /** Asserts equal lists whose events also have data of the same classes and the same JSON. */
  private static void assertSameEvents(List<Event> actual, List<Event> expected, String what) {
    assertThat(actual).as(what).isEqualTo(expected);
    for (int i = 0; i < actual.size(); i++) {
      Event a = actual.get(i);
      Event e = expected.get(i);
      assertThat(a.data() == null ? null : a.data().getClass()).as(what).isEqualTo(
          e.data() == null ? null : e.data().getClass());
      assertThat(a.propagateToParent()).as(what).isEqualTo(e.propagateToParent());
      assertThat(a.toJson()).as(what).isEqualTo(StoredEventTest.jsonFromMessage(e));
    }
  }

  @Property(tries = 200)
  void answersLikeTheReferenceWithArbitraryEvents(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 120) int steps,
      @ForAll @IntRange(min = 1, max = 5) int maxEvents,
      @ForAll @IntRange(min = 1, max = 12) int maxTotal,
      @ForAll @IntRange(min = 1, max = 4) int correlationMaxEvents,
      @ForAll @IntRange(min = 1, max = 6) int correlationMaxIds) {
    ArbitraryEvents gen = new ArbitraryEvents(seed);
    Random rnd = gen.random();
    InMemoryEventHistoryTest.MutableClock clock = new InMemoryEventHistoryTest.MutableClock();
    EventFactory factory = new EventFactory(clock, new Ulid(clock, new Random(seed)), "h");
    EventsConfig config = EventsConfig.defaults().withHistory(maxEvents, Duration.ofHours(3))
        .withHistoryMaxTotal(maxTotal).withCorrelationIndex(correlationMaxEvents, correlationMaxIds);
    InMemoryEventHistory history = new InMemoryEventHistory(config, clock);
    ReferenceEventHistory reference = new ReferenceEventHistory(config, clock);
    List<Event> recorded = new ArrayList<>();
    for (int step = 0; step < steps; step++) {
      if (rnd.nextInt(10) == 0) {
        clock.now = clock.now.plus(Duration.ofMinutes(rnd.nextInt(240)));
        continue;
      }
      Event e = gen.event(factory, clock.now.minus(Duration.ofMinutes(rnd.nextInt(4) == 0 ? rnd.nextInt(240) : 0)),
          target(rnd), CORRELATION_IDS);
      recorded.add(e);
      history.record(e);
      reference.record(e);
      if (recorded.size() % 7 == 0) {
        assertSameAnswers(history, reference, recorded);
      }
    }
    if (!recorded.isEmpty()) {
      assertSameAnswers(history, reference, recorded);
    }
  }

  private static void assertSameAnswers(EventHistory history, EventHistory reference, List<Event> recorded) {
    Event middle = recorded.get(recorded.size() / 2);
    for (List<EntityIdentifiers> q : queries()) {
      assertSameEvents(history.tail(q, 1000), reference.tail(q, 1000), "tail " + q);
      assertSameEvents(history.tail(q, 2), reference.tail(q, 2), "tail 2 " + q);
      assertSameEvents(history.after(q, middle.time()), reference.after(q, middle.time()), "after " + q);
      assertSameEvents(history.afterEventId(q, middle.uniqueId()), reference.afterEventId(q, middle.uniqueId()),
          "afterEventId " + q);
    }
    for (String cid : CORRELATION_IDS) {
      assertSameEvents(history.related(cid), reference.related(cid), "related " + cid);
    }
  }

  @Property(tries = 100)
  void withoutBoundsReturnsTheRecordedEvents(@ForAll long seed, @ForAll @IntRange(min = 0, max = 80) int count) {
    ArbitraryEvents gen = new ArbitraryEvents(seed);
    InMemoryEventHistoryTest.MutableClock clock = new InMemoryEventHistoryTest.MutableClock();
    EventFactory factory = new EventFactory(clock, new Ulid(clock, new Random(seed)), "h");
    EventsConfig config = EventsConfig.defaults().withHistory(1000, Duration.ofDays(3650))
        .withHistoryMaxTotal(100_000).withCorrelationIndex(1000, 1000);
    InMemoryEventHistory history = new InMemoryEventHistory(config, clock);
    List<Event> recorded = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Event e = gen.event(factory, clock.now, target(gen.random()), CORRELATION_IDS);
      recorded.add(e);
      history.record(e);
    }
    for (int i = 0; i < ENTITIES; i++) {
      EntityIdentifiers id = ArbitraryEvents.entity(i);
      List<Event> expected = new ArrayList<>();
      for (Event e : recorded) {
        if (e.identifiers().contains(id) || (e.propagateToParent() && e.identifiers().stream().anyMatch(x ->
            x.hasDeviceIds() && x.getDeviceIds().getApplicationIds().equals(id.getApplicationIds())
                && id.hasApplicationIds()))) {
          expected.add(e);
        }
      }
      expected.sort(Comparator.comparing(Event::uniqueId));
      assertSameEvents(history.tail(List.of(id), Integer.MAX_VALUE), expected, "tail " + i);
    }
    for (String cid : CORRELATION_IDS) {
      List<Event> expected = recorded.stream().filter(e -> e.correlationIds().asList().contains(cid))
          .sorted(Comparator.comparing(Event::uniqueId)).toList();
      assertSameEvents(history.related(cid), expected, "related " + cid);
    }
  }
}
