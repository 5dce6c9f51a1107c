package dev.loralab.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.ProtoJsonException;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationUplink;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.GatewayUplinkMessage;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.UplinkMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The stream frames and {@link Event#toJson()} are printed straight into bytes; they must be
 * byte-identical to the String rendering they replace: {@code ProtoJson.print(toProto())} (without
 * data when that fails), framed by string concatenation and encoded with {@code getBytes(UTF_8)},
 * whichever rendering is asked for first.
 */
class EventFrameRenderingTest {

  /** The rendering before frames were printed into bytes. */
  private static String referenceJson(Event e) {
    try {
      return ProtoJson.print(e.toProto());
    } catch (ProtoJsonException x) {
      return ProtoJson.print(e.toProto().toBuilder().clearData());
    }
  }

  private static void assertRendersLikeReference(Event e) {
    String json = referenceJson(e);
    byte[] ndjson = ("{\"result\":" + json + "}\n").getBytes(StandardCharsets.UTF_8);
    byte[] sse = ("id: " + e.uniqueId() + "\ndata: {\"result\":" + json + "}\n\n")
        .getBytes(StandardCharsets.UTF_8);

    Event a = e.withoutRenderings(); // JSON first
    assertThat(a.toJson()).isEqualTo(json);
    assertThat(a.ndjsonFrameUtf8()).isEqualTo(ndjson);
    assertThat(a.sseFrameUtf8()).isEqualTo(sse);

    Event b = e.withoutRenderings(); // NDJSON frame first
    assertThat(b.ndjsonFrameUtf8()).isEqualTo(ndjson);
    assertThat(b.toJson()).isEqualTo(json);
    assertThat(b.sseFrameUtf8()).isEqualTo(sse);
    assertThat(b.ndjsonFrameUtf8()).isSameAs(b.ndjsonFrameUtf8());
    assertThat(b.toJson()).isSameAs(b.toJson());

    Event c = e.withoutRenderings(); // SSE frame first
    assertThat(c.sseFrameUtf8()).isEqualTo(sse);
    assertThat(c.sseFrameUtf8()).isSameAs(c.sseFrameUtf8());
    assertThat(c.toJson()).isEqualTo(json);
    assertThat(c.ndjsonFrameUtf8()).isEqualTo(ndjson);
  }

  private static final String[] PIECES = {"a", "dev-1", "é", "€", "😀", "\u2028", "\"",
      "\\", "\n", "\u0001", "<>&=", "\u007f", " ", "\ufffd"};

  private static String string(Random rnd) {
    StringBuilder sb = new StringBuilder();
    for (int i = rnd.nextInt(6); i > 0; i--) {
      sb.append(PIECES[rnd.nextInt(PIECES.length)]);
    }
    return sb.toString();
  }

  private static Instant instant(Random rnd) {
    return Instant.ofEpochSecond(rnd.nextInt(2_000_000_000), rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(1_000_000_000));
  }

  private static Timestamp timestamp(Random rnd) {
    Instant t = instant(rnd);
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  private static ByteString bytes(Random rnd) {
    byte[] b = new byte[rnd.nextInt(20)];
    rnd.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  private static Message data(Random rnd) {
    switch (rnd.nextInt(8)) {
      case 0:
        return null;
      case 1:
      case 2: {
        Struct.Builder decoded = Struct.newBuilder();
        for (int i = rnd.nextInt(3); i > 0; i--) {
          decoded.putFields(string(rnd), rnd.nextBoolean() ? Value.newBuilder().setStringValue(string(rnd)).build()
              : Value.newBuilder().setNumberValue(rnd.nextInt(1000) / 8.0).build());
        }
        return ApplicationUp.newBuilder()
            .setEndDeviceIds(EntityKeys.device("app-" + rnd.nextInt(9), "dev-" + string(rnd)).getDeviceIds())
            .addCorrelationIds("as:up:" + string(rnd)).setReceivedAt(timestamp(rnd))
            .setUplinkMessage(ApplicationUplink.newBuilder().setFPort(rnd.nextInt(224))
                .setFCnt(rnd.nextInt() & 0x7fffffff).setFrmPayload(bytes(rnd)).setDecodedPayload(decoded)
                .setSessionKeyId(bytes(rnd)).setReceivedAt(timestamp(rnd)))
            .build();
      }
      case 3:
        return GatewayUplinkMessage.newBuilder().setBandId(string(rnd)).setMessage(UplinkMessage.newBuilder()
            .setRawPayload(bytes(rnd)).setReceivedAt(timestamp(rnd)).addCorrelationIds("gs:up:" + string(rnd)))
            .build();
      case 4: // a type unknown to the registry: rendered without data
        return com.google.protobuf.Type.newBuilder().setName(string(rnd)).build();
      case 5: // packed data of an unknown type URL
        return Any.newBuilder().setTypeUrl("type.googleapis.com/no.such." + rnd.nextInt(3))
            .setValue(bytes(rnd)).build();
      case 6: { // packed data, intact or with a bit flipped
        byte[] b = GatewayIdentifiers.newBuilder().setGatewayId(string(rnd)).setEui(string(rnd)).build()
            .toByteArray();
        if (b.length > 0 && rnd.nextBoolean()) {
          b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        return Any.newBuilder().setTypeUrl("type.googleapis.com/ttn.lorawan.v3.GatewayIdentifiers")
            .setValue(ByteString.copyFrom(b)).build();
      }
      default:
        return Struct.newBuilder().putFields(string(rnd), Value.newBuilder().setBoolValue(true).build()).build();
    }
  }

  private static Event randomEvent(long seed) {
    Random rnd = new Random(seed);
    Event.Builder b = Event.builder(rnd.nextBoolean() ? TestCatalogue.AS_UP_DATA_FORWARD : TestCatalogue.GS_UP_RECEIVE)
        .time(instant(rnd)).uniqueId(rnd.nextInt(4) == 0 ? string(rnd) : new Ulid(java.time.Clock.fixed(instant(rnd), java.time.ZoneOffset.UTC), rnd).next())
        .origin(string(rnd)).data(data(rnd));
    for (int i = rnd.nextInt(3); i > 0; i--) {
      b.identifiers(rnd.nextBoolean() ? EntityKeys.device("app" + rnd.nextInt(3), "dev" + string(rnd))
          : EntityIdentifiers.newBuilder().setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId("gw"
              + rnd.nextInt(5))).build());
    }
    if (rnd.nextBoolean()) {
      b.correlationIds(CorrelationIds.of("gs:uplink:" + rnd.nextInt(100), "ns:" + string(rnd) + "x"));
    }
    for (int i = rnd.nextInt(3); i > 0; i--) {
      b.context(string(rnd), bytes(rnd));
    }
    if (rnd.nextBoolean()) {
      b.visibility(RightSet.of(Right.RIGHT_APPLICATION_TRAFFIC_READ, Right.RIGHT_GATEWAY_TRAFFIC_READ));
    }
    if (rnd.nextInt(3) == 0) {
      b.authentication("Bearer", string(rnd), string(rnd));
    }
    if (rnd.nextBoolean()) {
      b.remoteIp("10.0.0." + rnd.nextInt(256)).userAgent(string(rnd));
    }
    Event e = b.build();
    return rnd.nextInt(4) == 0 ? Event.fromProto(e.toProto()) : e;
  }

  @Property(tries = 1000)
  void framesAndJsonAreByteIdenticalToTheStringRendering(@ForAll long seed) {
    assertRendersLikeReference(randomEvent(seed));
  }

  @Test
  void manyFixedSeeds() {
    for (long seed = 0; seed < 2000; seed++) {
      assertRendersLikeReference(randomEvent(seed));
    }
  }

  @Test
  void dataOfATypeUnknownToTheRegistryIsLeftOut() {
    Event e = Event.builder(TestCatalogue.AS_UP_DATA_FORWARD).identifiers(TestCatalogue.DEV1).uniqueId("u1")
        .time(Instant.EPOCH).origin("o").data(com.google.protobuf.Type.newBuilder().setName("t").build()).build();
    assertThatThrownBy(() -> ProtoJson.print(e.toProto())).isInstanceOf(ProtoJsonException.class);
    assertThat(e.toJson()).doesNotContain("\"data\"");
    assertRendersLikeReference(e);
  }

  @Test
  void unpairedSurrogates() {
    // (kept out of the random strings: protobuf logs a warning for each one it encodes)
    assertRendersLikeReference(Event.builder(TestCatalogue.GS_UP_RECEIVE).identifiers(TestCatalogue.DEV1)
        .uniqueId("u\ud800").time(Instant.EPOCH).origin("a\udc00b").userAgent("\ud83d").build());
  }

  @Test
  void eventWithoutData() {
    assertRendersLikeReference(Event.builder(TestCatalogue.GS_UP_RECEIVE).identifiers(TestCatalogue.DEV1)
        .uniqueId("01G76SF01BNW5SKRAND31Z0MGB").time(Instant.EPOCH).origin("host").build());
  }
}
