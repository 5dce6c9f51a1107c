package dev.loralab.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.UplinkMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * What publishing does without allocating per event: unique IDs stamped as a ULID's bits (their
 * string built lazily), encodings written into a reused per-thread array for the history
 * ({@link Event#encodeForCopy}), with shared parts copied out of it for later events, and an array
 * of the event's own only when a subscriber wants the event. Each is checked against the eager form.
 */
class EventPublishAllocationTest {

  private static final EntityIdentifiers DEV = EntityKeys.device("app-1", "dev-1");
  private static final EntityIdentifiers GW = EntityKeys.gateway("gw-1");

  /** A ULID's bits and its string give equal events: same ID, equality, hash, encodings and renderings. */
  @Property(tries = 500)
  void lazyUniqueIdEqualsTheEagerOne(@ForAll @LongRange(min = 0, max = (1L << 48) - 1) long millis,
      @ForAll @IntRange(min = 0, max = 0xFFFF) int hi16, @ForAll long lo) {
    long hi = (millis << 16) | hi16;
    String text = Ulid.encode(millis, hi16, lo);
    assertThat(Ulid.fromBits(hi, lo)).isEqualTo(text);
    byte[] ascii = new byte[30];
    Ulid.encodeAscii(hi, lo, ascii, 3);
    assertThat(new String(ascii, 3, 26, StandardCharsets.US_ASCII)).isEqualTo(text);

    Event lazy = base().uniqueIdBits(hi, lo).build();
    Event eager = base().uniqueId(text).build();
    assertThat(lazy.hasUniqueIdBits()).isTrue();
    assertThat(eager.hasUniqueIdBits()).isFalse();
    assertThat(lazy.protoBytes()).isEqualTo(eager.protoBytes()).isEqualTo(eager.toProto().toByteArray());
    assertThat(lazy.uniqueId()).isEqualTo(text);
    assertThat(lazy).isEqualTo(eager);
    assertThat(eager).isEqualTo(lazy);
    assertThat(lazy.hashCode()).isEqualTo(eager.hashCode());
    assertThat(lazy.toProto()).isEqualTo(eager.toProto());
    assertThat(lazy.sseFrameUtf8()).isEqualTo(eager.sseFrameUtf8());
    assertThat(lazy.redacted()).isEqualTo(eager.redacted());
    assertThat(lazy.redacted().uniqueId()).isEqualTo(text);
    // encoded before the string is asked for (the history's order)
    Event fresh = base().uniqueIdBits(hi, lo).build();
    assertThat(fresh.encode(false)).isEqualTo(eager.encode(false));
    assertThat(fresh.uniqueId()).isEqualTo(text);
  }

  /** Stamping a builder with the generator's bits gives the IDs {@link Ulid#next()} gives, in order. */
  @Property(tries = 200)
  void stampedBitsAreTheNextUlids(@ForAll long seed, @ForAll @IntRange(min = 1, max = 100) int n,
      @ForAll @LongRange(min = 0, max = (1L << 48) - 10_000) long millis) {
    SteppingClock c1 = new SteppingClock(millis);
    SteppingClock c2 = new SteppingClock(millis);
    Ulid strings = new Ulid(c1, new Random(seed));
    Ulid bits = new Ulid(c2, new Random(seed));
    Random steps = new Random(seed ^ 0x5DEECE66DL);
    for (int i = 0; i < n; i++) {
      int step = steps.nextInt(3) == 0 ? steps.nextInt(3) : 0;
      c1.millis += step;
      c2.millis += step;
      Event.Builder b = base();
      bits.next(b);
      assertThat(b.build().uniqueId()).isEqualTo(strings.next());
    }
  }

  /** A new correlation ID is the prefix followed by the ULID the generator's {@link Ulid#next()} gives. */
  @Property(tries = 300)
  void newCorrelationIdsArePrefixPlusNextUlid(@ForAll long seed, @ForAll("prefixes") String prefix,
      @ForAll @IntRange(min = 1, max = 20) int n) {
    Clock fixed = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
    Ulid a = new Ulid(fixed, new Random(seed));
    Ulid b = new Ulid(fixed, new Random(seed));
    for (int i = 0; i < n; i++) {
      assertThat(CorrelationIds.newId(prefix, a)).isEqualTo(prefix + b.next());
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> prefixes() {
    return net.jqwik.api.Arbitraries.oneOf(
        net.jqwik.api.Arbitraries.of(CorrelationIds.GS_UPLINK, CorrelationIds.NS_UPLINK, CorrelationIds.AS_UP, "",
            "é:", "€:", "rpc:/ttn.lorawan.v3.GsNs/HandleUplink:"),
        net.jqwik.api.Arbitraries.strings().ofMaxLength(40));
  }

  /**
   * Events that share parts, encoded in turn into the thread's scratch array (as the history
   * does) and into arrays of their own: every encoding equals the reference, also after the scratch
   * array was overwritten by later events (the parts the caches keep were copied out of it).
   */
  @Property(tries = 200)
  void scratchEncodingsEqualTheReference(@ForAll long seed) {
    ArbitraryEvents gen = new ArbitraryEvents(seed);
    Random rnd = gen.random();
    List<Event> pool = new ArrayList<>();
    Instant t0 = Instant.ofEpochSecond(1_700_000_000L + rnd.nextInt(1_000_000));
    for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) {
      pool.add(gen.event(EventFactory.system(), t0, List.of(ArbitraryEvents.entity(rnd.nextInt(9))),
          List.of("as:up:" + seed + ":" + i, "ns:uplink:" + seed + ":" + i)));
    }
    for (int i = 0; i < 16; i++) {
      Event base = pool.get(rnd.nextInt(pool.size()));
      Event.Builder b = Event.builder(base.name()).time(base.time().plusNanos(rnd.nextInt(1000)))
          .identifiers(pool.get(rnd.nextInt(pool.size())).identifiers())
          .data(pool.get(rnd.nextInt(pool.size())).data())
          .correlationIds(pool.get(rnd.nextInt(pool.size())).correlationIds())
          .origin(base.origin()).visibility(base.visibility()).propagateToParent(base.propagateToParent());
      if (rnd.nextBoolean()) {
        b.uniqueId("u" + seed + "-" + i); // not a ULID: written as a string
      }
      Event e = b.build();
      pool.add(e);
      byte[] expected = e.encode(false);
      if (rnd.nextInt(3) == 0) {
        assertThat(e.protoBytes()).isEqualTo(expected);
      } else {
        Event.Scratch s = Event.encodeForCopy(e);
        assertThat(Arrays.copyOf(s.bytes, s.length)).isEqualTo(expected);
      }
    }
    for (Event e : pool) {
      Event.Scratch s = Event.encodeForCopy(e);
      assertThat(Arrays.copyOf(s.bytes, s.length)).isEqualTo(e.encode(false));
      assertThat(e.protoBytes()).isEqualTo(e.toProto().toByteArray());
    }
  }

  /**
   * Names and origins written from their cached UTF-8 bytes encode as protobuf encodes them, also
   * with an unpaired surrogate (written as {@code '?'}) and a string too long to cache.
   */
  @Test
  void cachedNamesAndOriginsEncodeAsProtobufDoes() {
    for (String text : List.of("gs.up.receive", "é€😀", "bad\uD800surrogate", "x".repeat(300), "")) {
      Event e = Event.builder(text.isEmpty() ? "n" : text).time(Instant.ofEpochSecond(5)).identifiers(GW)
          .origin(text).uniqueIdBits(9L << 16, 3).build();
      Event again = Event.builder(e.name()).time(e.time()).identifiers(GW).origin(e.origin()).uniqueIdBits(9L << 16, 3)
          .build();
      assertThat(e.protoBytes()).isEqualTo(e.toProto().toByteArray());
      assertThat(again.protoBytes()).isEqualTo(e.protoBytes()); // from the cache
      assertThat(again.encode(false)).isEqualTo(e.protoBytes());
    }
  }

  /**
   * Events sharing a data message and correlation IDs share the merge of the two sets; another set
   * with the same data is merged anew; the result is always the union.
   */
  @Test
  void eventsOfOneCallShareTheirMergedCorrelationIds() {
    CorrelationIds own = CorrelationIds.of("as:up:1");
    UplinkMessage up = UplinkMessage.newBuilder().addCorrelationIds("gs:uplink:1").addCorrelationIds("ns:uplink:1")
        .addCorrelationIds("").build();
    Event a = base().correlationIds(own).data(up).build();
    Event b = base().correlationIds(own).data(up).build();
    assertThat(a.correlationIds().asList()).containsExactly("as:up:1", "gs:uplink:1", "ns:uplink:1");
    assertThat(b.correlationIds()).isSameAs(a.correlationIds());
    CorrelationIds other = CorrelationIds.of("as:up:2");
    Event c = base().correlationIds(other).data(up).build();
    assertThat(c.correlationIds().asList()).containsExactly("as:up:2", "gs:uplink:1", "ns:uplink:1");
    CorrelationIds all = CorrelationIds.of("gs:uplink:1", "ns:uplink:1");
    assertThat(base().correlationIds(all).data(up).build().correlationIds()).isSameAs(all);
    assertThat(base().correlationIds(own).data(up).build().correlationIds()).isEqualTo(a.correlationIds());
  }

  /** An encoding larger than a scratch array may grow is written into an array of its own. */
  @Test
  void largeEncodingsGetAnArrayOfTheirOwn() {
    UplinkMessage big = UplinkMessage.newBuilder()
        .setRawPayload(ByteString.copyFrom(new byte[Event.MAX_SCRATCH + 1])).build();
    Event e = base().data(big).uniqueIdBits(1L << 20, 7).build();
    Event.Scratch s = Event.encodeForCopy(e);
    assertThat(s.length).isGreaterThan(Event.MAX_SCRATCH);
    assertThat(Arrays.copyOf(s.bytes, s.length)).isEqualTo(e.toProto().toByteArray());
    Event small = base().uniqueIdBits(1L << 20, 8).build();
    Event.Scratch t = Event.encodeForCopy(small);
    assertThat(t.bytes.length).isLessThanOrEqualTo(Event.MAX_SCRATCH);
    assertThat(Arrays.copyOf(t.bytes, t.length)).isEqualTo(small.toProto().toByteArray());
  }

  /**
   * Published events, some wanted by a subscriber (encoded into an array of their own before
   * recording), some not (recorded from the scratch array), some larger than a history segment: the
   * subscriber's bytes equal the stored encoding, and the history's answers equal the published
   * events.
   */
  @Test
  void subscribersAndTheHistorySeeTheSameEncoding() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-26T08:00:00Z"), ZoneOffset.UTC);
    EventFactory factory = new EventFactory(clock, new Ulid(clock, new Random(3)), "host");
    EventsConfig config = EventsConfig.defaults().withHistoryRing(1000, 1 << 16, 512);
    InMemoryEventHistory history = new InMemoryEventHistory(config, clock);
    try (InMemoryEventBus bus = new InMemoryEventBus(config, history, factory, new SimpleMeterRegistry())) {
      Subscription sub = bus.subscribe(new SubscriptionRequest(List.of(DEV),
          java.util.Set.of(TestCatalogue.NS_UP_DATA_PROCESS.name()), 100));
      List<Event> published = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        CorrelationIds ids = CorrelationIds.of("gs:uplink:" + i, "ns:uplink:" + i);
        UplinkMessage up = UplinkMessage.newBuilder().addAllCorrelationIds(ids.asList())
            .setRawPayload(ByteString.copyFrom(new byte[i % 5 == 0 ? 700 : 4])).build();
        Event gs = factory.create(TestCatalogue.GS_UP_RECEIVE, ids, up, GW);
        Event ns = factory.create(TestCatalogue.NS_UP_DATA_PROCESS, ids, up, DEV);
        bus.publish(gs);
        bus.publish(ns);
        published.add(gs);
        published.add(ns);
        Event seen = sub.poll();
        assertThat(seen).isSameAs(ns);
        assertThat(seen.protoBytes()).isEqualTo(ns.encode(false)).isEqualTo(ns.toProto().toByteArray());
        assertThat(sub.poll()).isNull();
      }
      List<Event> devEvents = history.tail(List.of(DEV), 100);
      List<Event> gwEvents = history.tail(List.of(GW), 100);
      assertThat(devEvents).containsExactlyElementsOf(published.stream().filter(e -> e.identifiers().contains(DEV)).toList());
      assertThat(gwEvents).containsExactlyElementsOf(published.stream().filter(e -> e.identifiers().contains(GW)).toList());
      for (Event e : devEvents) {
        Event p = published.get(published.indexOf(e));
        assertThat(e.protoBytes()).isEqualTo(p.protoBytes());
        assertThat(e.toJson()).isEqualTo(p.toJson());
      }
      assertThat(history.related("ns:uplink:7")).containsExactly(published.get(14), published.get(15));
    }
  }

  /** The age cutoff, now computed in primitive time, expires exactly the events older than the maximum age. */
  @Test
  void expiresByAgeToTheNanosecond() {
    SteppingClock clock = new SteppingClock(0);
    clock.nanos = 500;
    EventsConfig config = EventsConfig.defaults().withHistory(100, Duration.ofSeconds(10, 999_999_800));
    InMemoryEventHistory history = new InMemoryEventHistory(config, clock);
    Instant t = Instant.ofEpochSecond(0, 500);
    Event old = aged(t, 1L << 16, 1);
    history.record(old);
    // now = t + 10.999999800 s: the cutoff is t exactly, and an event at t is not before it
    clock.millis = 10_999;
    clock.nanos = 500 + 999_800;
    Event next = aged(t.plusSeconds(11), 2L << 16, 1);
    history.record(next);
    assertThat(history.tail(List.of(DEV), 10)).containsExactly(old, next);
    // one nanosecond later the old event is before the cutoff and leaves when the next is recorded
    clock.nanos++;
    Event third = aged(t.plusSeconds(12), 3L << 16, 1);
    history.record(third);
    clock.nanos--; // queries with the earlier cutoff: the old event was removed from its log
    assertThat(history.tail(List.of(DEV), 10)).containsExactly(next, third);
  }

  /** An event of {@code DEV} at {@code time} with the ULID bits {@code (hi, lo)}. */
  private static Event aged(Instant time, long hi, long lo) {
    return Event.builder("ns.up.data.process").origin("host").time(time).identifiers(DEV).uniqueIdBits(hi, lo)
        .build();
  }

  private static Event.Builder base() {
    return Event.builder("gs.up.receive").time(Instant.ofEpochSecond(1_700_000_000L, 123)).identifiers(GW)
        .origin("host").correlationIds(CorrelationIds.of("gs:uplink:1"));
  }

  /** A clock at {@code millis} plus {@code nanos} nanoseconds, set by the test. */
  private static final class SteppingClock extends Clock {
    long millis;
    long nanos;

    SteppingClock(long millis) {
      this.millis = millis;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis).plusNanos(nanos);
    }
  }
}
