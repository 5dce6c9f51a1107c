package dev.loralab.events;

import static dev.loralab.events.InMemoryEventHistoryEquivalenceTest.device;
import static dev.loralab.events.TestCatalogue.AS_UP_DATA_FORWARD;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.EntityIdentifiers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToLongFunction;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * What recording remembers between events: the ID numbers of recently added correlation-ID sets
 * ({@link CorrelationIndex#addAll}) and the logs of recently recorded entities, and the SSE frame
 * printed straight from the encoding.
 */
class InMemoryEventHistoryRecentTest {

  /**
   * {@link CorrelationIndex#addAll} of a set is {@link CorrelationIndex#add} of each first
   * occurrence of a hash, with sets reused across events (remembered), repeated hashes, sets larger
   * than a remembered slot, tokens that collide on a slot, and IDs forgotten (few IDs indexed) while
   * a set is remembered.
   */
  @Property(tries = 200)
  void addAllIsAddOfEachDistinctHash(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 40) int maxIds,
      @ForAll @IntRange(min = 0, max = 1) int weak) {
    Random rnd = new Random(seed);
    // a weak hash makes distinct IDs of a set share hashes
    ToLongFunction<String> hash = weak == 1 ? s -> Long.parseLong(s) % 7 + 1 : CorrelationIndex::defaultHash;
    CorrelationIndex remembered = new CorrelationIndex(hash, maxIds, 1 << 20);
    CorrelationIndex plain = new CorrelationIndex(hash, maxIds, 1 << 20);
    EventRing ring = new EventRing(1 << 16, 1 << 16, 1);
    List<CorrelationIds.Hashes> sets = new ArrayList<>();
    for (long seq = 0; seq < 400; seq++) {
      CorrelationIds.Hashes set;
      if (sets.isEmpty() || rnd.nextInt(4) == 0) {
        int n = rnd.nextInt(4) == 0 ? CorrelationIndex.REMEMBERED_IDS + rnd.nextInt(4) : rnd.nextInt(6);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
          values[i] = remembered.hashOf(Integer.toString(rnd.nextInt(60)));
        }
        // tokens from a small range: sets replace each other's remembered slots
        set = new CorrelationIds.Hashes(hash, values, rnd.nextInt(3) * CorrelationIndex.REMEMBERED_SETS + rnd.nextInt(3));
        sets.add(set);
      } else {
        set = sets.get(rnd.nextInt(sets.size()));
      }
      remembered.addAll(set, seq, ring);
      for (int i = 0; i < set.values.length; i++) {
        if (!CorrelationIndex.repeated(set.values, i)) {
          plain.add(set.values[i], seq, ring);
        }
      }
      assertThat(remembered.idCount()).isEqualTo(plain.idCount());
    }
    for (int k = 0; k < 60; k++) {
      long h = plain.hashOf(Integer.toString(k));
      long[] a = new long[500];
      long[] b = new long[500];
      int na = remembered.newestEvents(h, 500, a);
      int nb = plain.newestEvents(h, 500, b);
      assertThat(java.util.Arrays.copyOf(a, na)).as("events of ID %d", k).isEqualTo(java.util.Arrays.copyOf(b, nb));
    }
  }

  @Test
  void eventsOfOneSetFindTheirIdsInARememberedSlot() {
    InMemoryEventHistory history = new InMemoryEventHistory(EventsConfig.defaults(), java.time.Clock.systemUTC());
    EventFactory factory = EventFactory.system();
    EntityIdentifiers dev = device("app-a", "dev-1");
    CorrelationIds ids = CorrelationIds.of("gs:uplink:1", "ns:uplink:1", "gs:conn:1", "ns:uplink:1");
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Event e = factory.create(AS_UP_DATA_FORWARD, ids, null, dev);
      events.add(e);
      history.record(e);
    }
    assertThat(history.related("gs:uplink:1")).containsExactlyElementsOf(events);
    assertThat(history.related("gs:conn:1")).containsExactlyElementsOf(events);
    assertThat(history.related("ns:uplink:1")).containsExactlyElementsOf(events);
  }

  /**
   * An entity whose empty log was swept out of the history (more logs than the sweep threshold)
   * while it was remembered gets a new log that queries find.
   */
  @Test
  void aRememberedLogSweptOutOfTheHistoryIsNotWrittenTo() {
    // at most 2 entries in all: every older entity's log empties; logs are swept beyond 1,024
    EventsConfig config = EventsConfig.defaults().withHistory(10, Duration.ofDays(3650)).withHistoryMaxTotal(2);
    InMemoryEventHistory history = new InMemoryEventHistory(config, java.time.Clock.systemUTC());
    EventFactory factory = EventFactory.system();
    EntityIdentifiers first = device("app-a", "dev-first");
    Event before = factory.create(AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:0"), null, first);
    history.record(before);
    for (int i = 0; i < 1_500; i++) {
      history.record(factory.create(AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:x"), null,
          device("app-b", "dev-" + i)));
    }
    assertThat(history.entityLogs()).as("empty logs were swept").isLessThan(1_500);
    // the same identifiers instance: the same key string as the remembered log's
    Event after = factory.create(AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:1"), null, first);
    history.record(after);
    assertThat(history.tail(List.of(first), 10)).containsExactly(after);
  }

  /** The SSE frame printed straight from the encoding is the one assembled from the NDJSON frame. */
  @Test
  void sseFramePrintedFromTheEncodingEqualsTheAssembledOne() {
    EventFactory factory = EventFactory.system();
    EntityIdentifiers dev = device("app-a", "dev-é");
    List<Event> events = List.of(
        factory.create(AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:1"),
            ApplicationUp.newBuilder().addCorrelationIds("as:up:😀").build(), dev),
        factory.create(AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:2"), null, dev),
        // a data type outside the JSON registry: printed without data (the fallback)
        factory.create(AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:3"),
            com.google.protobuf.Type.newBuilder().setName("t").build(), dev),
        factory.create(AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:4"),
            Struct.newBuilder().putFields("k", Value.newBuilder().setStringValue("v").build()).build(), dev));
    for (Event e : events) {
      Event printed = e.withoutRenderings();
      Event assembled = e.withoutRenderings();
      assembled.ndjsonFrameUtf8();
      assertThat(printed.sseFrameUtf8()).isEqualTo(assembled.sseFrameUtf8());
      assertThat(printed.ndjsonFrameUtf8()).isEqualTo(assembled.ndjsonFrameUtf8());
    }
  }
}
