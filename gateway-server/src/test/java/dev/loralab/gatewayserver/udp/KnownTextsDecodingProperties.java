package dev.loralab.gatewayserver.udp;

import static dev.loralab.gatewayserver.udp.PushDataOutcomes.bytes;
import static dev.loralab.gatewayserver.udp.PushDataOutcomes.datagram;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
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
 * The bytes decoder's table look-ups (LoRa data rate and coding rate names) and its base64
 * decoding of padded quanta give what the tree decoder, the reference, gives: for the usual
 * names, near misses of them, and base64 text of every shape.
 */
class KnownTextsDecodingProperties {

  private final SemtechUdpCodec codec = new SemtechUdpCodec();

  private static String rxpk(String modu, String datr, String codr, String data) {
    return "{\"rxpk\":[{\"tmst\":7,\"freq\":868.1,\"modu\":\"" + modu + "\",\"datr\":\"" + datr
        + "\",\"codr\":\"" + codr + "\",\"data\":\"" + data + "\"}]}";
  }

  /** The bytes decoder, when it reads the datagram, equals the tree; the codec equals the tree. */
  private void assertAsTheTree(String json) {
    PushDataOutcomes.assertAsTheTree(codec, datagram(json));
  }

  @Example
  void usualNamesAreReadStraightFromTheBytes() {
    String json = rxpk("LORA", "SF7BW125", "4/5", "QPF9vkkAAgABlUN4disR/w0=");
    PushData direct = bytes(codec, datagram(json));
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
        byte[] c = ("xx" + name).getBytes(StandardCharsets.US_ASCII);
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
