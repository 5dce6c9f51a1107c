package dev.loralab.events;

import static dev.loralab.events.TestCatalogue.APP1;
import static dev.loralab.events.TestCatalogue.AS_UP_DATA_FORWARD;
import static dev.loralab.events.TestCatalogue.DEV1;
import static dev.loralab.events.TestCatalogue.GW1;
import static dev.loralab.events.TestCatalogue.GS_UP_RECEIVE;
import static dev.loralab.events.TestCatalogue.NS_UP_DATA_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.EntityIdentifiers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InMemoryEventHistoryTest {

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final MutableClock clock = new MutableClock();
  private final EventFactory factory = new EventFactory(clock, new Ulid(clock, new Random(7)), "h");

  private static EntityIdentifiers gateway(int i) {
    return EntityIdentifiers.newBuilder().setGatewayIds(
        dev.loralab.api.v3.GatewayIdentifiers.newBuilder().setGatewayId("gw-" + i)).build();
  }

  @Test
  void boundedAcrossEntitiesOldestFirst() {
    // 3 per entity, 10 in total: 20 gateways with 2 events each keep only the last 10 events.
    var h = new InMemoryEventHistory(EventsConfig.defaults().withHistory(3, Duration.ofHours(24))
        .withHistoryMaxTotal(10), clock);
    List<Event> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      for (int k = 0; k < 2; k++) {
        Event e = factory.create(GS_UP_RECEIVE, CorrelationIds.empty(), null, gateway(i));
        all.add(e);
        h.record(e);
      }
    }
    List<Event> kept = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      kept.addAll(h.tail(List.of(gateway(i)), 100));
    }
    assertThat(kept).containsExactlyInAnyOrderElementsOf(all.subList(30, 40));
    assertThat(h.tail(List.of(gateway(0)), 100)).isEmpty();
    assertThat(h.tail(List.of(gateway(19)), 100)).containsExactlyElementsOf(all.subList(38, 40));
  }

  @Test
  void perEntityAndTotalBoundsTogether() {
    // One busy entity: the per-entity bound (3) removes entries long before the total (5) does;
    // a quiet entity keeps its events until the total is reached.
    var h = new InMemoryEventHistory(EventsConfig.defaults().withHistory(3, Duration.ofHours(24))
        .withHistoryMaxTotal(5), clock);
    Event quiet = factory.create(GS_UP_RECEIVE, CorrelationIds.empty(), null, gateway(1));
    h.record(quiet);
    List<Event> busy = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      Event e = factory.create(GS_UP_RECEIVE, CorrelationIds.empty(), null, gateway(0));
      busy.add(e);
      h.record(e);
    }
    assertThat(h.tail(List.of(gateway(0)), 100)).containsExactlyElementsOf(busy.subList(4997, 5000));
    assertThat(h.tail(List.of(gateway(1)), 100)).containsExactly(quiet);
    for (int i = 2; i < 5; i++) {
      h.record(factory.create(GS_UP_RECEIVE, CorrelationIds.empty(), null, gateway(i)));
    }
    // 3 + 1 + 3 = 7 > 5: the two oldest entries overall go, the quiet gateway's first.
    assertThat(h.tail(List.of(gateway(1)), 100)).isEmpty();
    assertThat(h.tail(List.of(gateway(0)), 100)).containsExactlyElementsOf(busy.subList(4998, 5000));
  }

  @Test
  void boundedPerEntityBySize() {
    var h = new InMemoryEventHistory(EventsConfig.defaults().withHistory(3, Duration.ofHours(24)), clock);
    List<Event> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Event e = factory.create(NS_UP_DATA_RECEIVE, CorrelationIds.empty(), null, DEV1);
      all.add(e);
      h.record(e);
    }
    assertThat(h.tail(List.of(DEV1), 100)).containsExactlyElementsOf(all.subList(2, 5));
    assertThat(h.tail(List.of(DEV1), 1)).containsExactly(all.get(4));
    assertThat(h.tail(List.of(APP1), 100)).isEmpty(); // not propagated
  }

  @Test
  void boundedByAge() {
    var h = new InMemoryEventHistory(EventsConfig.defaults().withHistory(100, Duration.ofHours(24)), clock);
    Event old = factory.create(GS_UP_RECEIVE, CorrelationIds.of("gs:uplink:a"), null, GW1);
    h.record(old);
    clock.now = clock.now.plus(Duration.ofHours(23));
    Event recent = factory.create(GS_UP_RECEIVE, CorrelationIds.of("gs:uplink:a"), null, GW1);
    h.record(recent);
    assertThat(h.tail(List.of(GW1), 10)).containsExactly(old, recent);
    clock.now = clock.now.plus(Duration.ofHours(2));
    assertThat(h.tail(List.of(GW1), 10)).containsExactly(recent);
    assertThat(h.related("gs:uplink:a")).containsExactly(recent);
  }

  @Test
  void afterTimeAndAfterEventIdAcrossEntities() {
    var h = new InMemoryEventHistory(EventsConfig.defaults(), clock);
    Event a = factory.create(AS_UP_DATA_FORWARD, CorrelationIds.empty(), null, DEV1);
    clock.now = clock.now.plusSeconds(1);
    Event b = factory.create(GS_UP_RECEIVE, CorrelationIds.empty(), null, GW1);
    clock.now = clock.now.plusSeconds(1);
    Event c = factory.create(AS_UP_DATA_FORWARD, CorrelationIds.empty(), null, DEV1, GW1);
    h.record(a);
    h.record(b);
    h.record(c);
    assertThat(h.after(List.of(APP1, GW1), a.time())).containsExactly(b, c);
    assertThat(h.afterEventId(List.of(APP1, GW1), a.uniqueId())).containsExactly(b, c);
    assertThat(h.afterEventId(List.of(APP1), b.uniqueId())).containsExactly(c);
    assertThat(h.tail(List.of(APP1, GW1, DEV1), 10)).containsExactly(a, b, c);
  }

  @Test
  void correlationIndexIsBounded() {
    var h = new InMemoryEventHistory(EventsConfig.defaults().withCorrelationIndex(2, 2), clock);
    for (int i = 0; i < 3; i++) {
      h.record(factory.create(GS_UP_RECEIVE, CorrelationIds.of("gs:uplink:x"), null, GW1));
    }
    assertThat(h.related("gs:uplink:x")).hasSize(2);
    h.record(factory.create(GS_UP_RECEIVE, CorrelationIds.of("gs:uplink:y"), null, GW1));
    h.record(factory.create(GS_UP_RECEIVE, CorrelationIds.of("gs:uplink:z"), null, GW1));
    assertThat(h.related("gs:uplink:x")).isEmpty();
    assertThat(h.related("gs:uplink:y")).hasSize(1);
    assertThat(h.related("gs:uplink:z")).hasSize(1);
  }
}
