package dev.loralab.gatewayserver.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.lorawan.Eui64;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Decoding PUSH_DATA straight from the parser's tokens gives what the tree decoder (the reference)
 * gives: for valid datagrams, for datagrams mutated at the byte and at the JSON level (bit flips,
 * cuts, duplicate and unknown fields, odd values), the codec's result equals the tree decoder's
 * result, or its exception has the same reason, field, expected and found.
 */
class StreamingPushDataDecodingProperties {

  private static final int HEADER = 12;

  private final SemtechUdpCodec codec = new SemtechUdpCodec();
  private final StreamingEncodingProperties packets = new StreamingEncodingProperties();

  /** A decoded packet or the description of the error. */
  private record Outcome(Object value) {}

  private static Outcome outcome(java.util.function.Supplier<SemtechPacket> decode) {
    try {
      return new Outcome(decode.get());
    } catch (SemtechUdpException e) {
      return new Outcome(List.of(e.reason(), String.valueOf(e.field()), String.valueOf(e.expected()),
          String.valueOf(e.found())));
    }
  }

  private void assertAsTheTree(byte[] d) {
    String text = new String(d, StandardCharsets.ISO_8859_1);
    Eui64 eui = new Eui64(0x0102030405060708L);
    int bodyLen = d.length - HEADER;
    Outcome tree = outcome(() -> codec.decodePushDataTree(2, 0x1234, eui, d, HEADER, bodyLen));
    PushData direct = codec.decodePushDataStreaming(2, 0x1234, eui, d, HEADER, bodyLen);
    if (direct != null) {
      assertThat(new Outcome(direct)).as(text).isEqualTo(tree);
    }
    Outcome decoded = outcome(() -> codec.decode(d));
    Outcome expected = outcome(() -> {
      SemtechPacket p = codec.decodePushDataTree(2, 0x1234, eui, d, HEADER, bodyLen);
      return p;
    });
    assertThat(decoded).as(text).isEqualTo(expected);
  }

  private static byte[] datagram(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] d = new byte[HEADER + body.length];
    d[0] = 2;
    d[1] = 0x12;
    d[2] = 0x34;
    d[3] = 0;
    for (int i = 0; i < 8; i++) {
      d[4 + i] = (byte) (i + 1);
    }
    System.arraycopy(body, 0, d, HEADER, body.length);
    return d;
  }

  @Provide
  Arbitrary<byte[]> valid() {
    return Combinators.combine(packets.rxpk().list().ofMaxSize(4), packets.stat(),
            Arbitraries.of(true, false))
        .as((rxpk, stat, withStat) -> codec.encode(new PushData(2, 0x1234,
            new Eui64(0x0102030405060708L), rxpk, withStat ? Optional.of(stat) : Optional.empty())));
  }

  /** Inserted after an opening brace: unknown, duplicate, null and oddly typed fields. */
  private static final List<String> FIELDS = List.of(
      "\"lsnf\":7.8,", "\"x\":{\"a\":1,\"a\":2},", "\"x\":[1,{\"b\":null}],", "\"tmst\":1,",
      "\"rssi\":null,", "\"rsig\":null,", "\"stat\":null,", "\"rxpk\":null,", "\"freq\":868.1,",
      "\"datr\":50000,", "\"datr\":\"SF9BW125\",", "\"modu\":\"FSK\",", "\"size\":3,",
      "\"chan\":1.0,", "\"chan\":1.5,", "\"rssi\":-35,", "\"lsnr\":1e400,", "\"tmst\":4294967296,",
      "\"tmst\":9223372036854775808,", "\"ant\":0,", "\"time\":\"2026-01-15T10:00:00Z\",",
      "\"time\":\"not a time\",", "\"data\":\"QPF9vkkAAgABlUN4disR/w0=\",", "\"data\":\"***\",",
      "\"lati\":46.2,", "\"hal\":7,", "\"etime\":\"AAEC\",", "\"y\":1e-400,", "\"y\":-0.0,",
      "\"modu\":\"LO\\u0052A\",", "\"modu\":\"lora\",", "\"modu\":\"LR-FHSS\",",
      "\"x\":true,", "\"x\":\"\\u00e9\",", "\"x\":123456789012345678901234567890,",
      "\"codr\":\"4/9\",", "\"y\":0.12345678901234567890123456789012345678901234567,");

  /** Replacements of one scalar value. */
  private static final List<String> VALUES = List.of("null", "0", "-1", "1.5", "1e3", "\"x\"",
      "[]", "{}", "true", "4294967296", "9223372036854775808", "1e400", "\"SF7BW125\"", "255",
      "868.1", "\"\"");

  @Provide
  Arbitrary<byte[]> mutated() {
    Arbitrary<Integer> position = Arbitraries.integers().between(0, Integer.MAX_VALUE);
    return Arbitraries.oneOf(
        // One bit flipped in the body.
        Combinators.combine(valid(), position, Arbitraries.integers().between(0, 7)).as((d, at, bit) -> {
          byte[] m = d.clone();
          if (m.length > HEADER) {
            int i = HEADER + at % (m.length - HEADER);
            m[i] ^= (byte) (1 << bit);
          }
          return m;
        }),
        // Cut.
        Combinators.combine(valid(), position).as((d, at) ->
            Arrays.copyOf(d, HEADER + at % (d.length - HEADER + 1))),
        // A field inserted after some opening brace.
        Combinators.combine(valid(), position, Arbitraries.of(FIELDS)).as((d, at, field) ->
            edit(d, at, '{', field, false)),
        // Some value after a colon replaced.
        Combinators.combine(valid(), position, Arbitraries.of(VALUES)).as((d, at, value) ->
            edit(d, at, ':', value, true)),
        // Trailing bytes.
        Combinators.combine(valid(), Arbitraries.of("{}", "x", " ", "\u0000", ",1", "]"))
            .as((d, tail) -> datagram(body(d) + tail)));
  }

  private static String body(byte[] d) {
    return new String(d, HEADER, d.length - HEADER, StandardCharsets.UTF_8);
  }

  /**
   * Inserts {@code text} after the n-th (mod count) occurrence of {@code after}; with
   * {@code replaceScalar}, replaces the scalar value that follows it instead.
   */
  private static byte[] edit(byte[] d, int n, char after, String text, boolean replaceScalar) {
    String json = body(d);
    int count = (int) json.chars().filter(c -> c == after).count();
    if (count == 0) {
      return d;
    }
    int target = n % count;
    int at = -1;
    for (int i = 0; i <= target; i++) {
      at = json.indexOf(after, at + 1);
    }
    int start = at + 1;
    int end = start;
    if (replaceScalar) {
      if (json.charAt(start) == '"') {
        end = json.indexOf('"', start + 1) + 1;
      } else {
        while (end < json.length() && ",}]".indexOf(json.charAt(end)) < 0) {
          end++;
        }
      }
      if (end <= start || json.charAt(start) == '{' || json.charAt(start) == '[') {
        return d;
      }
    } else if (json.charAt(start) == '}') {
      text = text.substring(0, text.length() - 1);
    }
    return datagram(json.substring(0, start) + text + json.substring(end));
  }

  @Property(tries = 1_000)
  void validDatagramsAreReadStraightFromTheTokensAsByTheTree(@ForAll("valid") byte[] d) {
    Eui64 eui = new Eui64(0x0102030405060708L);
    assertThat(codec.decodePushDataStreaming(2, 0x1234, eui, d, HEADER, d.length - HEADER))
        .as(body(d)).isNotNull();
    assertAsTheTree(d);
  }

  @Property(tries = 3_000)
  void mutatedDatagramsDecodeOrFailAsByTheTree(@ForAll("mutated") byte[] d) {
    assertAsTheTree(d);
  }

  @Property(tries = 500)
  void arbitraryBodiesDecodeOrFailAsByTheTree(@ForAll byte[] body) {
    byte[] d = Arrays.copyOf(datagram(""), HEADER + body.length);
    System.arraycopy(body, 0, d, HEADER, body.length);
    assertAsTheTree(d);
  }

  @Example
  void usualBodiesWithExtrasAreReadStraightFromTheTokens() {
    Eui64 eui = new Eui64(0x0102030405060708L);
    for (String json : List.of(
        "{\"rxpk\":[{\"tmst\":3512348611,\"time\":\"2026-01-15T10:00:00.123456Z\",\"chan\":2,"
            + "\"rfch\":0,\"freq\":868.500000,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\","
            + "\"codr\":\"4/5\",\"lsnf\":7.8,\"rssi\":-35,\"size\":17,"
            + "\"data\":\"QPF9vkkAAgABlUN4disR/w0=\"}]}",
        "{\"stat\":{\"time\":\"2026-01-15 10:00:00 GMT\",\"lati\":46.24,\"long\":3.25,"
            + "\"alti\":145,\"rxnb\":2,\"rxok\":2,\"rxfw\":2,\"ackr\":100.0,\"dwnb\":2,\"txnb\":2}}",
        "{\"rxpk\":null,\"stat\":null}", "{}")) {
      byte[] d = datagram(json);
      assertThat(codec.decodePushDataStreaming(2, 0x1234, eui, d, HEADER, d.length - HEADER))
          .as(json).isNotNull();
      assertAsTheTree(d);
    }
    for (String json : List.of("{\"rxpk\":[],\"rxpk\":[]}", "{\"x\":1,\"x\":1}",
        "{\"rxpk\":[{\"x\":{\"a\":1,\"a\":1}}]}", "{}{}", "{\"rxpk\":[{\"tmst\":1}]}")) {
      byte[] d = datagram(json);
      assertThat(codec.decodePushDataStreaming(2, 0x1234, eui, d, HEADER, d.length - HEADER))
          .as(json).isNull();
      assertAsTheTree(d);
    }
  }
}
