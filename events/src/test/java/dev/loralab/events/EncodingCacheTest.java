package dev.loralab.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationUplink;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.UplinkMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link EncodingCache} and the reuse of shared encodings in {@link Event#protoBytes()}: an event
 * whose data message, identifiers or correlation IDs were encoded before by another event copies
 * those bytes, and its encoding is byte-identical to encoding it without the caches and to its
 * protobuf's; the caches stay within their slots and never answer for another instance.
 */
class EncodingCacheTest {

  private static final EventFactory FACTORY = new EventFactory(Clock.systemUTC(),
      new Ulid(Clock.systemUTC(), new Random(11)), "test-host");
  private static final EntityIdentifiers DEV = EntityKeys.device("app-1", "dev-1");
  private static final EntityIdentifiers GW = EntityIdentifiers.newBuilder()
      .setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId("gw-1")).build();

  /** Asserts {@code e}'s cached encoding equals the encoding without caches and its protobuf's. */
  private static void assertEncodingUnchanged(Event e) {
    byte[] bytes = e.protoBytes(); // first: before toProto() is built
    assertThat(bytes).as("%s", e).isEqualTo(e.encode(false));
    assertThat(bytes).as("%s", e).isEqualTo(e.toProto().toByteArray());
  }

  /** The content of the {@code data} field as the event's protobuf encodes it. */
  private static byte[] packed(Message data) {
    return (data instanceof Any any ? any : Any.pack(data)).toByteArray();
  }

  @Test
  void theEventsOfOneUplinkReuseTheirSharedParts() {
    CorrelationIds gs = CorrelationIds.of("gs:conn:01", "gs:uplink:01H0000000000000000000000");
    UplinkMessage up = UplinkMessage.newBuilder().setRawPayload(ByteString.copyFrom(new byte[] {0x40, 1, 2, 3}))
        .addAllCorrelationIds(gs.asList()).build();
    CorrelationIds as = gs.with("as:up:01H0000000000000000000001");
    ApplicationUp appUp = ApplicationUp.newBuilder().addAllCorrelationIds(as.asList())
        .setUplinkMessage(ApplicationUplink.newBuilder().setFPort(1).setFCnt(7)
            .setFrmPayload(ByteString.copyFrom(new byte[] {1, 2, 3, 4}))).build();
    EventDefinition receive = EventDefinition.define("gs.up.receive", "receive")
        .withDataType(UplinkMessage.class).withVisibility(Right.RIGHT_GATEWAY_TRAFFIC_READ);
    EventDefinition forward = EventDefinition.define("as.up.data.forward", "forward")
        .withDataType(ApplicationUp.class).withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ).propagatingToParent();

    Event first = FACTORY.create(receive, gs, up, GW);
    assertThat(Event.DATA_ENCODINGS.get(up)).isNull();
    assertEncodingUnchanged(first);
    EncodingCache.Slice data = Event.DATA_ENCODINGS.get(up);
    assertThat(data).isNotNull();
    assertThat(data.toByteArray()).isEqualTo(packed(up));
    assertThat(Event.IDENTIFIER_ENCODINGS.get(GW).toByteArray()).isEqualTo(GW.toByteArray());
    assertThat(first.correlationIds()).isSameAs(gs); // the data's IDs add nothing
    byte[] idsField = gs.encoding().toByteArray();
    byte[] expectedIds = dev.loralab.api.v3.Event.newBuilder().addAllCorrelationIds(gs.asList()).build().toByteArray();
    assertThat(idsField).isEqualTo(expectedIds);

    // The second event of the uplink copies the data, identifiers and correlation IDs of the first.
    Event second = FACTORY.create(receive, gs, up, GW);
    assertEncodingUnchanged(second);
    assertThat(Event.DATA_ENCODINGS.get(up)).isSameAs(data);
    assertThat(gs.encoding().toByteArray()).isEqualTo(idsField);

    // Other parts, other instances: each encoded once, then reused.
    Event third = FACTORY.create(forward, as, appUp, DEV);
    assertEncodingUnchanged(third);
    Event fourth = FACTORY.create(forward, as, appUp, DEV);
    assertEncodingUnchanged(fourth);
    assertThat(Event.DATA_ENCODINGS.get(appUp).toByteArray()).isEqualTo(packed(appUp));
    assertThat(Event.IDENTIFIER_ENCODINGS.get(DEV).toByteArray()).isEqualTo(DEV.toByteArray());
    // An equal but distinct instance is not looked up as the cached one.
    assertThat(Event.DATA_ENCODINGS.get(appUp.toBuilder().build())).isNull();
  }

  @Test
  void eventsWithSeveralIdentifiersAndAnyDataReuseEachPart() {
    Any any = Any.newBuilder().setTypeUrl("type.googleapis.com/no.such.Type")
        .setValue(ByteString.copyFrom(new byte[] {1, 2})).build();
    EntityIdentifiers app = EntityKeys.application("app-9");
    CorrelationIds ids = CorrelationIds.of("x:1", "x:2", "é:😀");
    for (int i = 0; i < 3; i++) {
      List<EntityIdentifiers> targets = i == 1 ? List.of(GW, app, DEV) : List.of(app, DEV);
      Event e = Event.builder("x.multi").time(Instant.ofEpochSecond(1_700_000_000L, i)).identifiers(targets)
          .correlationIds(ids).data(any).visibility(RightSet.of(List.of(Right.RIGHT_APPLICATION_INFO)))
          .origin("o").uniqueId("u" + i).context("k", ByteString.copyFromUtf8("v")).build();
      assertEncodingUnchanged(e);
    }
    assertThat(Event.DATA_ENCODINGS.get(any).toByteArray()).isEqualTo(any.toByteArray());
    assertThat(Event.IDENTIFIER_ENCODINGS.get(app).toByteArray()).isEqualTo(app.toByteArray());
  }

  @Test
  void emptyDataAndNoCorrelationIdsEncodeAsBefore() {
    UplinkMessage empty = UplinkMessage.getDefaultInstance();
    for (int i = 0; i < 2; i++) {
      Event e = Event.builder("x.empty").time(Instant.EPOCH).identifiers(DEV).data(empty).origin("")
          .uniqueId("u").build();
      assertEncodingUnchanged(e);
      assertThat(e.correlationIds()).isSameAs(CorrelationIds.empty());
    }
    assertThat(CorrelationIds.empty().encoding()).isNull();
  }

  @Test
  void anEncodingLongerThanTheBoundIsNotKept() {
    UplinkMessage big = UplinkMessage.newBuilder()
        .setRawPayload(ByteString.copyFrom(new byte[Event.MAX_SHARED_ENCODING])).build();
    CorrelationIds ids = CorrelationIds.of("big:1");
    Event e = Event.builder("x.big").time(Instant.EPOCH).identifiers(GW).data(big).correlationIds(ids)
        .origin("o").uniqueId("u").build();
    assertEncodingUnchanged(e);
    assertThat(Event.DATA_ENCODINGS.get(big)).isNull();
    assertThat(ids.encoding()).isNull();
    Event again = Event.builder("x.big").time(Instant.EPOCH).identifiers(GW).data(big).correlationIds(ids)
        .origin("o").uniqueId("v").build();
    assertEncodingUnchanged(again);
  }

  @Test
  void aSlotKeepsTheLastEntryAndAnswersOnlyForItsKey() {
    EncodingCache cache = new EncodingCache(1, 16);
    Object a = new Object();
    Object b = new Object();
    byte[] source = {9, 8, 7, 6, 5};
    cache.put(a, source, 1, 3);
    assertThat(cache.get(a).toByteArray()).containsExactly(8, 7, 6);
    assertThat(cache.get(b)).isNull();
    cache.put(b, source, 0, 0);
    assertThat(cache.get(a)).isNull();
    assertThat(cache.get(b).toByteArray()).isEmpty();
    assertThat(cache.size()).isEqualTo(1);
    cache.put(a, new byte[17], 0, 1);
    assertThat(cache.get(a)).isNull();
  }

  @Test
  void invalidArgumentsAreRejected() {
    assertThatThrownBy(() -> new EncodingCache(3, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("power of two").hasMessageContaining("3");
    assertThatThrownBy(() -> new EncodingCache(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EncodingCache(2, -1)).isInstanceOf(IllegalArgumentException.class);
    EncodingCache cache = new EncodingCache(2, 8);
    assertThatThrownBy(() -> cache.put(this, new byte[4], 2, 3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("within 0..4");
    assertThatThrownBy(() -> cache.put(this, new byte[4], -1, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Arbitrary puts and gets on a small cache: a get answers null or the last put of that very key; bounded. */
  @Property(tries = 300)
  void aSmallCacheAnswersLikeAMapOfLastPuts(@ForAll long seed) {
    Random rnd = new Random(seed);
    int capacity = 1 << rnd.nextInt(4);
    EncodingCache cache = new EncodingCache(capacity, 32);
    Object[] keys = new Object[1 + rnd.nextInt(12)];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = i % 2 == 0 ? new Object() : Integer.valueOf(1000 + i); // distinct instances
    }
    Map<Object, byte[]> last = new IdentityHashMap<>();
    for (int step = 0; step < 100; step++) {
      Object key = keys[rnd.nextInt(keys.length)];
      if (rnd.nextBoolean()) {
        byte[] source = new byte[rnd.nextInt(40)];
        rnd.nextBytes(source);
        int offset = source.length == 0 ? 0 : rnd.nextInt(source.length);
        int length = rnd.nextInt(source.length - offset + 1);
        cache.put(key, source, offset, length);
        if (source.length <= 32) {
          last.put(key, java.util.Arrays.copyOfRange(source, offset, offset + length));
        }
      } else {
        EncodingCache.Slice s = cache.get(key);
        if (s != null) {
          assertThat(s.key).isSameAs(key);
          assertThat(s.toByteArray()).isEqualTo(last.get(key));
        }
      }
      assertThat(cache.size()).isLessThanOrEqualTo(capacity);
    }
  }

  /**
   * Arbitrary events built from a pool of shared data messages, identifier lists and correlation-ID
   * sets (each part of an event taken from an arbitrary earlier event, so parts are encoded first by
   * one event and reused by others in any combination): every encoding equals the one without caches
   * and the protobuf's, and the caches stay within their slots.
   */
  @Property(tries = 200)
  void sharedPartsEncodeLikeUnsharedOnes(@ForAll long seed) {
    ArbitraryEvents gen = new ArbitraryEvents(seed);
    Random rnd = gen.random();
    List<Event> pool = new ArrayList<>();
    Instant t0 = Instant.ofEpochSecond(1_700_000_000L + rnd.nextInt(1_000_000));
    for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) {
      List<EntityIdentifiers> target = rnd.nextBoolean() ? List.of(ArbitraryEvents.entity(rnd.nextInt(9)))
          : List.of(ArbitraryEvents.entity(rnd.nextInt(9)), ArbitraryEvents.entity(rnd.nextInt(9)));
      pool.add(gen.event(FACTORY, t0, target, List.of("as:up:" + i, "gs:uplink:" + seed, "ns:uplink:" + i)));
    }
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < 12; i++) {
      Event base = pool.get(rnd.nextInt(pool.size()));
      Event.Builder b = Event.builder(base.name() + names.merge(base.name(), 1, Integer::sum))
          .time(base.time().plusNanos(rnd.nextInt(1000)))
          .identifiers(pool.get(rnd.nextInt(pool.size())).identifiers())
          .data(pool.get(rnd.nextInt(pool.size())).data())
          .correlationIds(pool.get(rnd.nextInt(pool.size())).correlationIds())
          .origin(base.origin()).visibility(base.visibility()).uniqueId(FACTORY.ulid().next())
          .remoteIp(base.remoteIp()).userAgent(base.userAgent()).propagateToParent(base.propagateToParent());
      if (rnd.nextBoolean()) {
        b.context("k", ByteString.copyFromUtf8("v" + i));
      }
      Event e = b.build();
      pool.add(e);
      if (rnd.nextInt(3) > 0) { // some events are never encoded: their parts are first encoded by later ones
        assertEncodingUnchanged(e);
      }
    }
    for (Event e : pool) {
      assertEncodingUnchanged(e);
      if (e.data() != null) {
        EncodingCache.Slice s = Event.DATA_ENCODINGS.get(e.data());
        if (s != null) {
          assertThat(s.toByteArray()).isEqualTo(packed(e.data()));
        }
      }
      for (EntityIdentifiers id : e.identifiers()) {
        EncodingCache.Slice s = Event.IDENTIFIER_ENCODINGS.get(id);
        if (s != null) {
          assertThat(s.toByteArray()).isEqualTo(id.toByteArray());
        }
      }
    }
    assertThat(Event.DATA_ENCODINGS.size()).isLessThanOrEqualTo(Event.ENCODING_CACHE_SLOTS);
    assertThat(Event.IDENTIFIER_ENCODINGS.size()).isLessThanOrEqualTo(Event.ENCODING_CACHE_SLOTS);
  }

  /** Threads encoding events that share parts, each first to encode some of them: all encodings unchanged. */
  @Test
  void concurrentEncodingsOfSharedPartsAreUnchanged() throws Exception {
    int threads = 4;
    int rounds = 300;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < rounds; round++) {
        CorrelationIds ids = CorrelationIds.of("gs:uplink:" + round, "ns:uplink:" + round);
        UplinkMessage up = UplinkMessage.newBuilder().addAllCorrelationIds(ids.asList())
            .setRawPayload(ByteString.copyFrom(new byte[] {(byte) round, 2, 3})).build();
        EntityIdentifiers dev = EntityKeys.device("app-1", "dev-" + round);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String uid = "u" + round + "-" + t;
          results.add(pool.submit(() -> {
            Event e = Event.builder("x.concurrent").time(Instant.EPOCH).identifiers(dev).data(up)
                .correlationIds(ids).origin("o").uniqueId(uid).build();
            byte[] bytes = e.protoBytes();
            return java.util.Arrays.equals(bytes, e.encode(false))
                && java.util.Arrays.equals(bytes, e.toProto().toByteArray());
          }));
        }
        for (Future<Boolean> r : results) {
          assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
