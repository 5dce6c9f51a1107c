package dev.loralab.gatewayserver.udp;

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
 * whenever it decodes at all: for valid, mutated (the streaming decoder's generators) and
 * arbitrary datagrams, and for numbers of every shape; the codec as a whole still equals the tree.
 */
class PushDataBytesDecodingProperties {

  private static final int HEADER = 12;
  private static final Eui64 EUI = new Eui64(0x0102030405060708L);

  private final SemtechUdpCodec codec = new SemtechUdpCodec();
  private final StreamingPushDataDecodingProperties streaming =
      new StreamingPushDataDecodingProperties();

  private record Outcome(Object value) {}

  private static Outcome outcome(java.util.function.Supplier<Object> decode) {
    try {
      return new Outcome(decode.get());
    } catch (SemtechUdpException e) {
      return new Outcome(List.of(e.reason(), String.valueOf(e.field()), String.valueOf(e.expected()),
          String.valueOf(e.found())));
    }
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

  private PushData bytes(SemtechUdpCodec c, byte[] d) {
    return c.decodePushDataBytes(2, 0x1234, EUI, d, HEADER, d.length - HEADER);
  }

  /** The bytes decoder, when it decodes, equals the tree; the codec equals the tree. */
  private void assertAsTheTree(SemtechUdpCodec c, byte[] d) {
    String text = new String(d, StandardCharsets.ISO_8859_1);
    int len = d.length - HEADER;
    Outcome tree = outcome(() -> c.decodePushDataTree(2, 0x1234, EUI, d, HEADER, len));
    PushData direct = bytes(c, d);
    if (direct != null) {
      assertThat(new Outcome(direct)).as(text).isEqualTo(tree);
    }
    assertThat(outcome(() -> c.decode(d))).as(text).isEqualTo(tree);
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

  @Property(tries = 3_000)
  void mutatedDatagramsDecodeOrFailAsByTheTree(@ForAll("mutated") byte[] d) {
    Statistics.label("read from the bytes").collect(bytes(codec, d) != null);
    assertAsTheTree(codec, d);
  }

  @Property(tries = 500)
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
    return streaming.valid();
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    return streaming.mutated();
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
