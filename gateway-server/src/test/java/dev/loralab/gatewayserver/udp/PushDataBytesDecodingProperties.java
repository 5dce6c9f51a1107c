package dev.loralab.gatewayserver.udp;

import static dev.loralab.gatewayserver.udp.PushDataOutcomes.EUI;
import static dev.loralab.gatewayserver.udp.PushDataOutcomes.HEADER;
import static dev.loralab.gatewayserver.udp.PushDataOutcomes.assertAsTheTree;
import static dev.loralab.gatewayserver.udp.PushDataOutcomes.bytes;
import static dev.loralab.gatewayserver.udp.PushDataOutcomes.datagram;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Decoding PUSH_DATA straight from the bytes gives what the tree decoder (the reference) gives,
 * whenever it decodes at all, and it decodes every plain body: for valid, mutated (bit flips,
 * cuts, duplicate and unknown fields, odd values) and arbitrary datagrams, and for numbers of
 * every shape; the codec as a whole (the bytes decoder, else the tree decoder) equals the tree,
 * its packet or its error (reason, field, expected and found).
 */
class PushDataBytesDecodingProperties {

  private final SemtechUdpCodec codec = new SemtechUdpCodec();
  private final StreamingEncodingProperties packets = new StreamingEncodingProperties();

  /** Strings without escapes or non-ASCII characters; numbers without exponents, <= 15 digits. */
  private static final Pattern STRING = Pattern.compile("\"[^\"\\\\]*\"");
  private static final Pattern NUMBER = Pattern.compile("-?[0-9][0-9.eE+-]*");

  /** Whether a body is of the plain JSON the bytes decoder reads itself (see its comment). */
  private static boolean plain(byte[] d) {
    String json = body(d);
    if (json.indexOf('\\') >= 0 || json.chars().anyMatch(c -> c >= 0x80)) {
      return false;
    }
    Matcher m = NUMBER.matcher(STRING.matcher(json).replaceAll("\"\""));
    while (m.find()) {
      String n = m.group();
      if (n.indexOf('e') >= 0 || n.indexOf('E') >= 0 || n.replaceAll("[^0-9]", "").length() > 15) {
        return false;
      }
    }
    return true;
  }

  @Example
  void aForwardersUplinkIsReadFromTheBytes() {
    // {"rxpk":[{ tmst 3512348611, time 2026-01-15T10:00:00.123456Z, chan 2, rfch 0,
    // freq 868.5 MHz, stat 1 (CRC ok), LORA SF7BW125 4/5, lsnr 7.8 dB, rssi -35 dBm, size 17,
    // data: 40 F17DBE49 00 0200 01 95437876 2B11FF0D }]}
    byte[] d = datagram("{\"rxpk\":[{\"tmst\":3512348611,\"time\":\"2026-01-15T10:00:00.123456Z\","
        + "\"chan\":2,\"rfch\":0,\"freq\":868.500000,\"stat\":1,\"modu\":\"LORA\","
        + "\"datr\":\"SF7BW125\",\"codr\":\"4/5\",\"lsnr\":7.8,\"rssi\":-35,\"size\":17,"
        + "\"data\":\"QPF9vkkAAgABlUN4disR/w0=\"}]}");
    PushData p = bytes(codec, d);
    assertThat(p).isNotNull();
    assertThat(p).isEqualTo(new PushData(2, 0x1234, EUI, List.of(new Rxpk(
        Instant.parse("2026-01-15T10:00:00.123456Z"), null, 3_512_348_611L, null, 868_500_000L,
        2, 0, null, 1, Modulation.LORA, new Datr.LoRa(7, 125_000), "4/5", -35.0, null, 7.8,
        null, null, null, null, List.of(),
        Bytes.parse("40F17DBE490002000195437876" + "2B11FF0D"))), Optional.empty()));
    assertAsTheTree(codec, d);
    // the same with one bit of the FPort's base64 character flipped ('A' 0x41 -> 'C' 0x43)
    String flipped = new String(d, StandardCharsets.ISO_8859_1).replace("QPF9vkkAAgAB",
        "QPF9vkkCAgAB");
    assertAsTheTree(codec, flipped.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Example
  void statusAndRsigAreReadFromTheBytes() {
    for (String json : List.of(
        "{\"stat\":{\"time\":\"2026-01-15 10:00:00 GMT\",\"lati\":46.24,\"long\":3.25,"
            + "\"alti\":145,\"rxnb\":2,\"rxok\":2,\"rxfw\":2,\"ackr\":100.0,\"dwnb\":2,\"txnb\":2}}",
        "{\"rxpk\":[{\"jver\":2,\"tmst\":1,\"freq\":868.1,\"modu\":\"LORA\",\"datr\":\"SF12BW125\","
            + "\"rsig\":[{\"ant\":0,\"chan\":1,\"rssic\":-40,\"lsnr\":-2.5,\"etime\":\"AAEC\"},"
            + "{\"ant\":1,\"chan\":1,\"rssic\":-41.0,\"foff\":-120}],\"data\":\"QA==\"}]}",
        " { \"rxpk\" : [ ] , \"stat\" : null } ", "{}")) {
      byte[] d = datagram(json);
      assertThat(bytes(codec, d)).as(json).isNotNull();
      assertAsTheTree(codec, d);
    }
  }

  @Example
  void shapesLeftToTheParserStillDecodeAsByTheTree() {
    for (String json : List.of("{\"rxpk\":[],\"rxpk\":[]}", "{\"x\":1,\"x\":1}",
        "{\"rxpk\":[{\"x\":{\"a\":1}}]}", "{}{}", "{\"rxpk\":[{\"tmst\":1}]}",
        "{\"rxpk\":[{\"tmst\":1e3,\"freq\":868.1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\","
            + "\"data\":\"QA==\"}]}",
        "{\"rxpk\":[{\"tmst\":1,\"freq\":868.1,\"modu\":\"LO\\u0052A\",\"datr\":\"SF7BW125\","
            + "\"data\":\"QA==\"}]}",
        "{\"rxpk\":[{\"tmst\":01,\"freq\":868.1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\","
            + "\"data\":\"QA==\"}]}",
        "{\"rxpk\":[{\"tmst\":1,\"freq\":868.1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\","
            + "\"data\":\"QA\"}]}",
        "{\"x\":\"\u00e9\"}", "{\"x\":1.}", "{\"x\":-}", "{\"x\":truex}", "{\"x\":1,}", "\uFEFF{}")) {
      byte[] d = datagram(json);
      assertThat(bytes(codec, d)).as(json).isNull();
      assertAsTheTree(codec, d);
    }
  }

  @Example
  void nestingBeyondTheLimitIsLeftToTheParser() {
    SemtechUdpCodec shallow = new SemtechUdpCodec(new SemtechUdpLimits(16 * 1024, 64, 16, 3));
    byte[] d = datagram("{\"rxpk\":[{\"tmst\":1,\"freq\":868.1,\"modu\":\"LORA\","
        + "\"datr\":\"SF7BW125\",\"rsig\":[{\"ant\":0}],\"data\":\"QA==\"}]}");
    assertThat(bytes(shallow, d)).isNull();
    assertAsTheTree(shallow, d);
    assertThat(bytes(codec, d)).isNotNull();
  }

  @Property(tries = 1_000)
  void validDatagramsDecodeAsByTheTree(@ForAll("valid") byte[] d) {
    Statistics.label("read from the bytes").collect(bytes(codec, d) != null);
    assertAsTheTree(codec, d);
  }

  @Property(tries = 1_000)
  void plainValidDatagramsAreReadStraightFromTheBytesAsByTheTree(@ForAll("valid") byte[] d) {
    boolean plain = plain(d);
    Statistics.label("plain").collect(plain);
    if (plain) {
      assertThat(bytes(codec, d)).as(body(d)).isNotNull();
    }
    assertAsTheTree(codec, d);
  }

  @Example
  void usualBodiesWithExtrasAreReadStraightFromTheBytes() {
    for (String json : List.of(
        "{\"rxpk\":[{\"tmst\":3512348611,\"time\":\"2026-01-15T10:00:00.123456Z\",\"chan\":2,"
            + "\"rfch\":0,\"freq\":868.500000,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\","
            + "\"codr\":\"4/5\",\"lsnf\":7.8,\"rssi\":-35,\"size\":17,"
            + "\"data\":\"QPF9vkkAAgABlUN4disR/w0=\"}]}",
        "{\"stat\":{\"time\":\"2026-01-15 10:00:00 GMT\",\"lati\":46.24,\"long\":3.25,"
            + "\"alti\":145,\"rxnb\":2,\"rxok\":2,\"rxfw\":2,\"ackr\":100.0,\"dwnb\":2,\"txnb\":2}}",
        "{\"rxpk\":null,\"stat\":null}", "{}")) {
      byte[] d = datagram(json);
      assertThat(bytes(codec, d))
          .as(json).isNotNull();
      assertAsTheTree(codec, d);
    }
    for (String json : List.of("{\"rxpk\":[],\"rxpk\":[]}", "{\"x\":1,\"x\":1}",
        "{\"rxpk\":[{\"x\":{\"a\":1,\"a\":1}}]}", "{}{}", "{\"rxpk\":[{\"tmst\":1}]}")) {
      byte[] d = datagram(json);
      assertThat(bytes(codec, d))
          .as(json).isNull();
      assertAsTheTree(codec, d);
    }
  }

  @Property(tries = 6_000) // with the 3,000 of the deleted streaming decoder's copy
  void mutatedDatagramsDecodeOrFailAsByTheTree(@ForAll("mutated") byte[] d) {
    Statistics.label("read from the bytes").collect(bytes(codec, d) != null);
    assertAsTheTree(codec, d);
  }

  @Property(tries = 1_000) // with the 500 of the deleted streaming decoder's copy
  void arbitraryBodiesDecodeOrFailAsByTheTree(@ForAll byte[] body) {
    byte[] d = Arrays.copyOf(datagram(""), HEADER + body.length);
    System.arraycopy(body, 0, d, HEADER, body.length);
    assertAsTheTree(codec, d);
  }

  @Property(tries = 3_000)
  void numbersDecodeAsByTheTree(@ForAll("numbers") String n, @ForAll("numericFields") String f) {
    byte[] d = datagram("{\"rxpk\":[{\"tmst\":1,\"freq\":868.1,\"modu\":\"LORA\","
        + "\"datr\":\"SF7BW125\",\"data\":\"QA==\",\"" + f + "\":" + n + "}]}");
    Statistics.label("read from the bytes").collect(bytes(codec, d) != null);
    assertAsTheTree(codec, datagram("{\"rxpk\":[{\"tmst\":1,\"freq\":868.1,\"modu\":\"LORA\","
        + "\"datr\":\"SF7BW125\",\"data\":\"QA==\",\"" + f + "\":" + n + "}]}"));
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

  @Provide
  Arbitrary<String> numericFields() {
    return Arbitraries.of("freq", "rssi", "lsnr", "tmst", "tmms", "chan", "foff", "stat", "size",
        "unknown");
  }

  @Provide
  Arbitrary<String> numbers() {
    Arbitrary<String> decimals = Combinators.combine(
            Arbitraries.longs().between(-9_999_999_999_999_999L, 9_999_999_999_999_999L),
            Arbitraries.integers().between(0, 18))
        .as((unscaled, scale) -> BigDecimal.valueOf(unscaled, scale).toPlainString());
    Arbitrary<String> frequencies = Arbitraries.integers().between(100_000, 3_000_000)
        .map(khz -> BigDecimal.valueOf(khz, 3).toPlainString());
    Arbitrary<String> doubles = Arbitraries.doubles().between(-400, 400).map(String::valueOf);
    Arbitrary<String> odd = Arbitraries.of("0", "-0", "-0.0", "00", "01", "1.", ".5", "-", "+1",
        "1e2", "1E-2", "0.1e1", "4294967295", "4294967296", "2147483648", "-2147483649",
        "999999999999999", "9999999999999999", "123456789012345678", "1.0", "255.0", "255.5",
        "NaN", "Infinity", "1 ", "1\n", "1/", "1x");
    Arbitrary<String> random = Arbitraries.strings().withChars("0123456789.-eE+").ofMinLength(1)
        .ofMaxLength(20);
    return Arbitraries.oneOf(decimals, frequencies, doubles, odd, random);
  }
}
