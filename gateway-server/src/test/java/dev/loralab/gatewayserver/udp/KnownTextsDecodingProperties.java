package dev.loralab.gatewayserver.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.lorawan.Eui64;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The streaming decoder's table look-ups (LoRa data rate and coding rate names) and its base64
 * decoding of padded quanta give what the tree decoder, the reference, gives: for the usual
 * names, near misses of them, and base64 text of every shape.
 */
class KnownTextsDecodingProperties {

  private static final int HEADER = 12;
  private static final Eui64 EUI = new Eui64(0x0102030405060708L);
  private final SemtechUdpCodec codec = new SemtechUdpCodec();

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

  private static String rxpk(String modu, String datr, String codr, String data) {
    return "{\"rxpk\":[{\"tmst\":7,\"freq\":868.1,\"modu\":\"" + modu + "\",\"datr\":\"" + datr
        + "\",\"codr\":\"" + codr + "\",\"data\":\"" + data + "\"}]}";
  }

  /** Streaming, when it reads the datagram, equals the tree; the codec equals the tree. */
  private void assertAsTheTree(String json) {
    byte[] d = datagram(json);
    int len = d.length - HEADER;
    Outcome tree = outcome(() -> codec.decodePushDataTree(2, 0x1234, EUI, d, HEADER, len));
    PushData direct = codec.decodePushDataStreaming(2, 0x1234, EUI, d, HEADER, len);
    if (direct != null) {
      assertThat(new Outcome(direct)).as(json).isEqualTo(tree);
    }
    assertThat(outcome(() -> codec.decode(d))).as(json).isEqualTo(tree);
  }

  @Example
  void usualNamesAreReadStraightFromTheTokens() {
    String json = rxpk("LORA", "SF7BW125", "4/5", "QPF9vkkAAgABlUN4disR/w0=");
    byte[] d = datagram(json);
    PushData direct = codec.decodePushDataStreaming(2, 0x1234, EUI, d, HEADER, d.length - HEADER);
    assertThat(direct).isNotNull();
    assertThat(direct.rxpk().get(0).datr()).isEqualTo(new Datr.LoRa(7, 125_000));
    assertThat(direct.rxpk().get(0).codr()).isEqualTo("4/5");
    assertThat(direct.rxpk().get(0).data().length()).isEqualTo(17);
    assertAsTheTree(json);
  }

  @Example
  void everyTableEntryIsWhatTheParserReads() {
    for (int sf = 5; sf <= 12; sf++) {
      for (int kHz : new int[] {125, 250, 500}) {
        String name = "SF" + sf + "BW" + kHz;
        char[] c = ("xx" + name).toCharArray();
        KnownTexts<Datr.LoRa> table = new KnownTexts<>(Map.of(name, Datr.LoRa.parse(name)));
        assertThat(table.value(c, 2, name.length())).isEqualTo(Datr.LoRa.parse(name));
        assertThat(table.value(c, 1, name.length())).isNull();
        assertAsTheTree(rxpk("LORA", name, "4/5", "QA=="));
        assertAsTheTree(rxpk("LR-FHSS", name, "4/5", "QA=="));
      }
    }
  }

  @Property(tries = 2_000)
  void namesAndPayloadsDecodeAsByTheTree(@ForAll("modus") String modu,
      @ForAll("datrs") String datr, @ForAll("codrs") String codr, @ForAll("datas") String data) {
    assertAsTheTree(rxpk(modu, datr, codr, data));
  }

  @Provide
  Arbitrary<String> modus() {
    return Arbitraries.of("LORA", "FSK", "LR-FHSS");
  }

  @Provide
  Arbitrary<String> datrs() {
    Arbitrary<String> usual = Combinators.combine(Arbitraries.integers().between(4, 13),
        Arbitraries.of("125", "250", "500", "62.5", "125.0", "0125", "1250", "812.5", "7.8"))
        .as((sf, bw) -> "SF" + sf + "BW" + bw);
    Arbitrary<String> odd = Arbitraries.of("sf7bw125", "SF7BW12", "SF7BW125 ", "SF07BW125",
        "SF7bw125", "M0CW137", "M0CW1523", "", "SF7", "BW125", "SF7BW125SF7BW125");
    Arbitrary<String> random = Arbitraries.strings().withChars("SFBW0123456789.M").ofMaxLength(12);
    return Arbitraries.oneOf(usual, usual, odd, random);
  }

  @Provide
  Arbitrary<String> codrs() {
    return Arbitraries.oneOf(Arbitraries.of(SemtechUdpCodec.CODING_RATES.toArray(new String[0])),
        Arbitraries.of("4/9", "4/5 ", "4/5li", "off", "", "4/5LI4/5LI"),
        Arbitraries.strings().withChars("45/LIOF").ofMaxLength(6));
  }

  @Provide
  Arbitrary<String> datas() {
    Arbitrary<String> encoded = Arbitraries.bytes().array(byte[].class).ofMaxSize(260)
        .map(b -> java.util.Base64.getEncoder().encodeToString(b));
    Arbitrary<String> unpadded = encoded.map(s -> s.replace("=", ""));
    Arbitrary<String> random = Arbitraries.strings()
        .withChars("ABCQPFvk019+/=-_").ofMaxLength(12);
    return Arbitraries.oneOf(encoded, encoded, unpadded, random);
  }
}
