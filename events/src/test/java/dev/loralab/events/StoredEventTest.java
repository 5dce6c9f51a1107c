package dev.loralab.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.SourceContext;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.ProtoJsonException;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.UplinkMessage;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * {@link StoredEvent}, the history's compact form of an event: decoding gives an event equal to the
 * recorded one in every field (data of the published class, propagation), rendered to the same
 * protobuf, JSON and stream frames, for every kind of data the project's events carry and for
 * data unknown to the JSON registry or absent; the encoding is the published event's own.
 */
class StoredEventTest {

  private static final EventFactory FACTORY = new EventFactory(java.time.Clock.systemUTC(),
      new Ulid(java.time.Clock.systemUTC(), new Random(5)), "test-host");
  private static final EntityIdentifiers DEV = EntityKeys.device("app-1", "dev-1");
  private static final EntityIdentifiers GW = EntityIdentifiers.newBuilder()
      .setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId("gw-1")).build();

  /** The JSON of {@code e} printed from its protobuf message (not from an encoding), as before the stored form. */
  static String jsonFromMessage(Event e) {
    try {
      return ProtoJson.print(e.toProto());
    } catch (ProtoJsonException x) {
      return ProtoJson.print(e.toProto().toBuilder().clearData());
    }
  }

  /**
   * Asserts that the encoding {@code e} writes from its fields (it must not have built its protobuf
   * yet) is that of its protobuf.
   */
  static void assertEncodesLikeItsProto(Event e) {
    byte[] encoded = e.protoBytes();
    assertThat(encoded).as("%s", e).isEqualTo(e.toProto().toByteArray());
    assertThat(e.protoBytes()).isSameAs(encoded);
  }

  /**
   * Stores {@code e}, decodes it, and asserts the decoded event is the recorded one in every
   * respect; {@code e}'s encoding is written from its fields and compared with its protobuf's first.
   */
  static Event assertRoundTrip(Event e) {
    assertEncodesLikeItsProto(e);
    String json = jsonFromMessage(e);
    StoredEvent s = StoredEvent.of(e);
    assertThat(s.uniqueId()).isEqualTo(e.uniqueId());
    assertThat(s.time()).isEqualTo(e.time());
    Event d = s.toEvent();
    assertThat(d).isEqualTo(e);
    assertThat(e).isEqualTo(d);
    assertThat(d.hashCode()).isEqualTo(e.hashCode());
    assertThat(d.data() == null ? null : d.data().getClass())
        .isEqualTo(e.data() == null ? null : e.data().getClass());
    assertThat(d.propagateToParent()).isEqualTo(e.propagateToParent());
    assertThat(d.entityKeys()).containsExactly(e.entityKeys());
    assertThat(d.correlationIds()).isEqualTo(e.correlationIds());
    assertThat(d.context()).isEqualTo(e.context());
    assertThat(d.visibility()).isEqualTo(e.visibility());
    assertThat(d.authentication()).isEqualTo(e.authentication());
    assertThat(d.remoteIp()).isEqualTo(e.remoteIp());
    assertThat(d.userAgent()).isEqualTo(e.userAgent());
    assertThat(d.toProto()).isEqualTo(e.toProto());
    assertThat(d.toJson()).isEqualTo(json);
    assertThat(e.toJson()).isEqualTo(json);
    assertThat(d.ndjsonFrameUtf8()).isEqualTo(e.ndjsonFrameUtf8());
    assertThat(d.sseFrameUtf8()).isEqualTo(e.sseFrameUtf8());
    assertThat(d.redacted()).isEqualTo(e.redacted());
    assertThat(s.toEvent()).isEqualTo(e).isNotSameAs(d);
    return d;
  }

  @Test
  void everyDataTypeOfTheProjectRoundTrips() {
    for (Message type : ArbitraryEvents.DATA_TYPES) {
      for (int seed = 0; seed < 20; seed++) {
        ArbitraryEvents gen = new ArbitraryEvents(type.getDescriptorForType().getFullName().hashCode() * 31L + seed);
        Message data = gen.fill(type, 3);
        Event e = Event.builder(TestCatalogue.NS_UP_DATA_PROCESS).identifiers(DEV).data(data)
            .correlationIds(CorrelationIds.of("ns:uplink:" + seed)).build();
        Event d = assertRoundTrip(e);
        assertThat(d.data()).isEqualTo(data).isInstanceOf(type.getClass());
      }
    }
  }

  @Property(tries = 300)
  void arbitraryEventsRoundTrip(@ForAll long seed) {
    ArbitraryEvents gen = new ArbitraryEvents(seed);
    List<EntityIdentifiers> target = gen.random().nextBoolean() ? List.of(ArbitraryEvents.entity(gen.random().nextInt(9)))
        : List.of(ArbitraryEvents.entity(1), ArbitraryEvents.entity(2));
    assertRoundTrip(gen.event(FACTORY, Instant.ofEpochSecond(1_700_000_000L + gen.random().nextInt(1_000_000)), target,
        List.of("as:up:1", "gs:uplink:2")));
  }

  @Test
  void dataWithCorrelationIdsKeepsTheMergedIds() {
    UplinkMessage up = UplinkMessage.newBuilder().addCorrelationIds("gs:uplink:1").addCorrelationIds("gs:conn:2")
        .setRawPayload(ByteString.copyFrom(new byte[] {0x40, 1, 2, 3})).build();
    Event e = Event.builder(TestCatalogue.GS_UP_RECEIVE).identifiers(GW).data(up)
        .correlationIds(CorrelationIds.of("rpc:/x:3")).build();
    Event d = assertRoundTrip(e);
    assertThat(d.correlationIds().asList()).containsExactly("gs:conn:2", "gs:uplink:1", "rpc:/x:3");
  }

  @Test
  void unknownDataIsKeptAsItsAnyAndRenderedWithoutData() {
    Any unknown = Any.newBuilder().setTypeUrl("type.googleapis.com/no.such.Type")
        .setValue(ByteString.copyFromUtf8("opaque")).build();
    Event e = Event.builder("x.unknown").identifiers(GW).data(unknown).build();
    Event d = assertRoundTrip(e);
    assertThat(d.data()).isEqualTo(unknown);
    assertThat(d.toJson()).doesNotContain("\"data\"");
  }

  @Test
  void dataOfTypesOutsideTheRegistryKeepsTheirClass() {
    SourceContext generated = SourceContext.newBuilder().setFileName("a.proto").build();
    Event d = assertRoundTrip(Event.builder("x.generated").identifiers(GW).data(generated).build());
    assertThat(d.data()).isInstanceOf(SourceContext.class).isEqualTo(generated);
    assertThat(d.toJson()).doesNotContain("\"data\"");

    DynamicMessage dynamic = DynamicMessage.newBuilder(ArbitraryEvents.DYNAMIC_TYPE)
        .setField(ArbitraryEvents.DYNAMIC_TYPE.findFieldByName("note"), "n")
        .addRepeatedField(ArbitraryEvents.DYNAMIC_TYPE.findFieldByName("correlation_ids"), "dyn:1").build();
    Event e = Event.builder("x.dynamic").identifiers(GW).data(dynamic).build();
    assertThat(e.correlationIds().asList()).containsExactly("dyn:1");
    assertThat(assertRoundTrip(e).data()).isInstanceOf(DynamicMessage.class).isEqualTo(dynamic);
  }

  @Test
  void packedDataStaysPacked() {
    Any packed = Any.pack(ApplicationUp.newBuilder().addCorrelationIds("as:up:1").build());
    Event d = assertRoundTrip(Event.builder("x.packed").identifiers(DEV).data(packed).build());
    assertThat(d.data()).isInstanceOf(Any.class).isEqualTo(packed);
  }

  @Test
  void noDataAndEmptyFields() {
    Event d = assertRoundTrip(Event.builder("x.empty").time(Instant.EPOCH).origin("").uniqueId("u").build());
    assertThat(d.data()).isNull();
    assertThat(d.identifiers()).isEmpty();
    assertThat(d.authentication()).isNull();
    assertRoundTrip(Event.builder("x.before1970").time(Instant.ofEpochSecond(-5, 7)).origin("o").uniqueId("v").build());
    assertRoundTrip(Event.builder("x.nanos").time(Instant.ofEpochSecond(0, 999_999_999)).origin("o").uniqueId("w")
        .build());
  }

  @Test
  void everyOptionalFieldRoundTrips() {
    Event e = Event.builder(TestCatalogue.AS_UP_DATA_FORWARD).identifiers(DEV, GW)
        .time(Instant.ofEpochSecond(1_700_000_000L, 123_456_789))
        .visibility(RightSet.of(Right.RIGHT_APPLICATION_TRAFFIC_READ, Right.RIGHT_GATEWAY_TRAFFIC_READ))
        .authentication("Bearer", "APIKey", "key-1")
        .context("tenant", ByteString.copyFromUtf8("t1")).context("b", ByteString.copyFrom(new byte[] {0, -1}))
        .remoteIp("2001:db8::1").userAgent("ttn-lw-cli/3.0 é").origin("host-é")
        .propagateToParent(true).build();
    Event d = assertRoundTrip(e);
    assertThat(d.propagateToParent()).isTrue();
    assertThat(d.entityKeys()[1]).isEqualTo(EntityKeys.of(EntityKeys.application("app-1")));
    assertThat(assertRoundTrip(Event.builder("x.auth").authentication("", "", "").build()).authentication())
        .isNotNull();
  }

  @Test
  void theEncodingIsThePublishedEventsOwnAndIsNotEncodedAgain() {
    Event e = FACTORY.create(TestCatalogue.AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:1"),
        ApplicationUp.newBuilder().addCorrelationIds("gs:uplink:2").build(), DEV);
    byte[] encoding = e.protoBytes();
    assertThat(encoding).isEqualTo(e.toProto().toByteArray());
    assertThat(e.protoBytes()).isSameAs(encoding);
    Event d = StoredEvent.of(e).toEvent();
    assertThat(StoredEvent.of(e).encodedSize()).isEqualTo(encoding.length);
    assertThat(d.protoBytes()).isSameAs(encoding);
    // the stream frame printed from the encoding is the frame printed from the message
    assertThat(d.ndjsonFrameUtf8()).isEqualTo(ProtoJson.printUtf8(e.toProto(),
        "{\"result\":".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void anEventConvertedFromProtobufIsKeptAsItIs() {
    Event source = FACTORY.create(TestCatalogue.AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:1"),
        ApplicationUp.newBuilder().build(), DEV);
    Event fromProto = Event.fromProto(source.toProto());
    StoredEvent s = StoredEvent.of(fromProto);
    assertThat(s.toEvent()).isEqualTo(fromProto).isSameAs(s.toEvent());
    assertThat(s.toEvent().toProto()).isSameAs(fromProto.toProto());
    assertThat(s.encodedSize()).isZero();
  }

  @Property(tries = 1000)
  void timeComparisonsAreInstantComparisons(@ForAll @LongRange(min = -3, max = 3) long s1,
      @ForAll @IntRange(min = 0, max = 3) int n1, @ForAll @LongRange(min = -3, max = 3) long s2,
      @ForAll @IntRange(min = 0, max = 3) int n2) {
    Instant a = Instant.ofEpochSecond(1_700_000_000L * Long.signum(s1) + s1, n1 * 333_333_333L);
    Instant t = Instant.ofEpochSecond(1_700_000_000L * Long.signum(s2) + s2, n2 * 333_333_333L);
    StoredEvent s = StoredEvent.of(Event.builder("x.t").time(a).uniqueId("u").origin("o").build());
    assertThat(s.isBefore(t)).isEqualTo(a.isBefore(t));
    assertThat(s.isAfter(t)).isEqualTo(a.isAfter(t));
    assertThat(s.time()).isEqualTo(a);
  }

  /** A unique ID: a canonical ULID or a near miss (case, length, first digit, letters outside the alphabet). */
  private static String arbitraryId(Random rnd) {
    char[] alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    char[] c = new char[26];
    c[0] = (char) ('0' + rnd.nextInt(8));
    for (int i = 1; i < 26; i++) {
      c[i] = alphabet[rnd.nextInt(rnd.nextInt(4) == 0 ? 2 : 32)];
    }
    String id = new String(c);
    switch (rnd.nextInt(8)) {
      case 0:
        return id.toLowerCase(java.util.Locale.ROOT);
      case 1:
        return id.substring(0, rnd.nextInt(27));
      case 2:
        return id + "Z";
      case 3:
        return "8" + id.substring(1);
      case 4:
        return id.substring(0, 25) + "ILOU".charAt(rnd.nextInt(4));
      case 5:
        return id.substring(0, 25) + "é";
      default:
        return id;
    }
  }

  @Property(tries = 2000)
  void uniqueIdsCompareAsStrings(@ForAll long seed) {
    Random rnd = new Random(seed);
    String a = arbitraryId(rnd);
    String b = rnd.nextInt(5) == 0 ? a : rnd.nextBoolean() ? arbitraryId(rnd)
        : a.substring(0, Math.min(a.length(), rnd.nextInt(27)));
    StoredEvent x = StoredEvent.of(Event.builder("x").time(Instant.EPOCH).origin("o").uniqueId(a).build());
    StoredEvent y = StoredEvent.idOnly(b);
    assertThat(x.uniqueId()).isEqualTo(a);
    assertThat(y.uniqueId()).isEqualTo(b);
    assertThat(Integer.signum(x.compareUniqueId(y))).as("%s vs %s", a, b).isEqualTo(Integer.signum(a.compareTo(b)));
    assertThat(Integer.signum(y.compareUniqueId(x))).isEqualTo(Integer.signum(b.compareTo(a)));
    assertThat(x.sameUniqueId(y)).isEqualTo(a.equals(b));
    assertThat(x.compareUniqueId(StoredEvent.idOnly(a))).isZero();
    assertThat(x.sameUniqueId(StoredEvent.idOnly(a))).isTrue();
  }

  @Test
  void ulidsAreKeptAsTheirBits() {
    // 26 digits: '7' then 25 'Z' is the largest ULID (all 128 bits set), 26 '0' the smallest
    String max = "7" + "Z".repeat(25);
    String min = "0".repeat(26);
    StoredEvent hi = StoredEvent.idOnly(max);
    StoredEvent lo = StoredEvent.idOnly(min);
    assertThat(hi.uniqueId()).isEqualTo(max);
    assertThat(lo.uniqueId()).isEqualTo(min);
    assertThat(hi.compareUniqueId(lo)).isPositive();
    assertThat(StoredEvent.idOnly("01KAXQ4ZK3V0M5F0H7S6W2J8YB").uniqueId()).isEqualTo("01KAXQ4ZK3V0M5F0H7S6W2J8YB");
    assertThat(Ulid.isValid("81KAXQ4ZK3V0M5F0H7S6W2J8YB")).isFalse();
  }

  @Test
  void encodingVector() {
    Event e = Event.builder("x").time(Instant.ofEpochSecond(1, 2)).identifiers(GW).uniqueId("u").origin("o").build();
    byte[] expected = {
        0x0a, 0x01, 'x', // 1 name: "x"
        0x12, 0x04, 0x08, 0x01, 0x10, 0x02, // 2 time: {1 seconds: 1, 2 nanos: 2}
        0x1a, 0x08, 0x22, 0x06, 0x0a, 0x04, 'g', 'w', '-', '1', // 3 identifiers: {4 gateway_ids: {1 gateway_id}}
        0x32, 0x01, 'o', // 6 origin: "o"
        0x62, 0x01, 'u', // 12 unique_id: "u"
    };
    assertThat(e.protoBytes()).isEqualTo(expected);
    assertThat(StoredEvent.of(e).toEvent()).isEqualTo(e);
  }
}
