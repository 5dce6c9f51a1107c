package dev.loralab.gatewayserver.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.gatewayserver.udp.SemtechPacket.PullAck;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullData;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullResp;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushAck;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.gatewayserver.udp.SemtechPacket.TxAck;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SemtechUdpCodecTest {

  private static final SemtechUdpCodec CODEC = new SemtechUdpCodec();
  private static final Eui64 EUI = Eui64.parse("B827EBFFFE8DB887");

  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h.replace(" ", ""));
  }

  private static byte[] concat(byte[] a, String json) {
    byte[] j = json.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[a.length + j.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(j, 0, out, a.length, j.length);
    return out;
  }

  // ---- header-only packets -------------------------------------------------------------------

  @Test
  void pullDataV2BothDirections() {
    byte[] wire = hex("02"                  // protocol version 2
        + "ABCD"                            // token (opaque, read big-endian)
        + "02"                              // PULL_DATA
        + "B827EBFFFE8DB887");              // gateway EUI, network byte order
    PullData p = new PullData(2, 0xABCD, EUI);
    assertThat(CODEC.decode(wire)).isEqualTo(p);
    assertThat(CODEC.encode(p)).isEqualTo(wire);
  }

  @Test
  void acksBothDirections() {
    byte[] pushAck = hex("02 ABCD 01");     // v2, token echoed, PUSH_ACK
    byte[] pullAck = hex("01 1234 04");     // v1, token echoed, PULL_ACK
    assertThat(CODEC.decode(pushAck)).isEqualTo(new PushAck(2, 0xABCD));
    assertThat(CODEC.encode(new PushAck(2, 0xABCD))).isEqualTo(pushAck);
    assertThat(CODEC.decode(pullAck)).isEqualTo(new PullAck(1, 0x1234));
    assertThat(CODEC.encode(new PullAck(1, 0x1234))).isEqualTo(pullAck);
  }

  @Test
  void txAckWithoutJsonIsSuccess() {
    byte[] wire = hex("02 0102 05 B827EBFFFE8DB887"); // v2, token, TX_ACK, EUI, no JSON
    TxAck ack = (TxAck) CODEC.decode(wire);
    assertThat(ack).isEqualTo(new TxAck(2, 0x0102, EUI, Optional.empty()));
    assertThat(ack.result()).isEqualTo(TxAckResult.SUCCESS);
    assertThat(CODEC.encode(ack)).isEqualTo(wire);
  }

  @Test
  void txAckResults() {
    byte[] header = hex("02 0102 05 B827EBFFFE8DB887");
    assertThat(((TxAck) CODEC.decode(concat(header, "{\"txpk_ack\":{\"error\":\"NONE\"}}")))
        .result()).isEqualTo(TxAckResult.SUCCESS);
    assertThat(((TxAck) CODEC.decode(concat(header, "{\"txpk_ack\":{\"error\":\"\"}}")))
        .result()).isEqualTo(TxAckResult.SUCCESS);
    assertThat(((TxAck) CODEC.decode(concat(header, "{\"txpk_ack\":{\"error\":\"TOO_LATE\"}}\0")))
        .result()).isEqualTo(TxAckResult.TOO_LATE);
    assertThat(((TxAck) CODEC.decode(
        concat(header, "{\"txpk_ack\":{\"warn\":\"TX_POWER\",\"value\":14}}"))).result())
        .isEqualTo(TxAckResult.TX_POWER_WARNING);
    for (String e : List.of("TOO_EARLY", "COLLISION_PACKET", "COLLISION_BEACON", "TX_FREQ",
        "TX_POWER", "GPS_UNLOCKED")) {
      TxAckResult r = ((TxAck) CODEC.decode(
          concat(header, "{\"txpk_ack\":{\"error\":\"" + e + "\"}}"))).result();
      assertThat(r.name()).isEqualTo(e);
      assertThat(r.success()).isFalse();
    }
    assertThat(((TxAck) CODEC.decode(concat(header, "{\"txpk_ack\":{\"error\":\"WHAT\"}}")))
        .result()).isEqualTo(TxAckResult.UNKNOWN);
    byte[] encoded = CODEC.encode(new TxAck(2, 0x0102, EUI, Optional.of(TxpkAck.error("TOO_LATE"))));
    assertThat(new String(encoded, 12, encoded.length - 12, StandardCharsets.UTF_8))
        .isEqualTo("{\"txpk_ack\":{\"error\":\"TOO_LATE\"}}");
  }

  // ---- PUSH_DATA -----------------------------------------------------------------------------

  private static final String PUSH_JSON = "{\"rxpk\":[{"
      + "\"time\":\"2013-03-31T16:21:17.528002Z\","  // UTC time of reception
      + "\"tmst\":3512348611,"                      // µs counter at RX end
      + "\"freq\":868.1,"                           // MHz
      + "\"chan\":2,"                               // IF channel
      + "\"rfch\":0,"                               // RF chain
      + "\"stat\":1,"                               // CRC OK
      + "\"modu\":\"LORA\","
      + "\"datr\":\"SF7BW125\","
      + "\"codr\":\"4/5\","
      + "\"rssi\":-35,"                             // dBm
      + "\"lsnr\":5.1,"                             // dB
      + "\"size\":5,"
      + "\"data\":\"QAEAAAA=\""                     // 40 01 00 00 00
      + "}],\"stat\":{"
      + "\"time\":\"2014-01-12 08:59:28 GMT\","
      + "\"lati\":46.24,\"long\":3.2523,\"alti\":145,"
      + "\"rxnb\":2,\"rxok\":2,\"rxfw\":2,\"ackr\":100,\"dwnb\":2,\"txnb\":2}}";

  private static PushData pushData() {
    Rxpk rxpk = new Rxpk(Instant.parse("2013-03-31T16:21:17.528002Z"), null, 3512348611L, null,
        868_100_000L, 2, 0, null, 1, Modulation.LORA, new Datr.LoRa(7, 125_000), "4/5", -35.0,
        null, 5.1, null, null, null, null, List.of(), Bytes.parse("4001000000"));
    Stat stat = new Stat("2014-01-12 08:59:28 GMT", 46.24, 3.2523, 145, 2L, 2L, 2L, 100.0, 2L, 2L,
        null, null, null, null, null, null, null, null, null);
    return new PushData(2, 0x0001, EUI, List.of(rxpk), Optional.of(stat));
  }

  @Test
  void pushDataBothDirections() {
    byte[] wire = concat(hex("02 0001 00 B827EBFFFE8DB887"), PUSH_JSON);
    assertThat(CODEC.decode(wire)).isEqualTo(pushData());
    assertThat(new String(CODEC.encode(pushData()), StandardCharsets.UTF_8))
        .isEqualTo(new String(wire, StandardCharsets.UTF_8));
  }

  @Test
  void pushDataSx1302FieldsAndRsig() {
    String json = "{\"rxpk\":[{\"jver\":1,\"tmst\":1,\"ftime\":123456,\"freq\":867.5,\"chan\":0,"
        + "\"rfch\":0,\"brd\":0,\"mid\":8,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF12BW125\","
        + "\"codr\":\"4/5\",\"rssis\":-40,\"rssi\":-38,\"lsnr\":9.5,\"foff\":-250,\"size\":1,"
        + "\"data\":\"AA==\",\"rsig\":[{\"ant\":0,\"chan\":3,\"rssic\":-38,\"lsnr\":9.5},"
        + "{\"ant\":1,\"chan\":3,\"rssic\":-50,\"rssis\":-52,\"lsnr\":1.25,\"etime\":\"AQI=\"}]}]}";
    PushData p = (PushData) CODEC.decode(concat(hex("02 0001 00 B827EBFFFE8DB887"), json));
    Rxpk r = p.rxpk().get(0);
    assertThat(r.ftime()).isEqualTo(123456L);
    assertThat(r.mid()).isEqualTo(8);
    assertThat(r.rssis()).isEqualTo(-40.0);
    assertThat(r.foff()).isEqualTo(-250L);
    assertThat(r.datr()).isEqualTo(new Datr.LoRa(12, 125_000));
    assertThat(r.rsig()).hasSize(2);
    assertThat(r.rsig().get(1).etime()).isEqualTo(Bytes.parse("0102"));
    assertThat(CODEC.decode(CODEC.encode(p))).isEqualTo(p);
  }

  @Test
  void fskUplink() {
    String json = "{\"rxpk\":[{\"tmst\":7,\"freq\":868.8,\"modu\":\"FSK\",\"datr\":50000,"
        + "\"rssi\":-75,\"size\":2,\"data\":\"AAE=\"}]}";
    Rxpk r = ((PushData) CODEC.decode(concat(hex("01 0001 00 B827EBFFFE8DB887"), json)))
        .rxpk().get(0);
    assertThat(r.datr()).isEqualTo(new Datr.Fsk(50_000));
    assertThat(r.frequencyHz()).isEqualTo(868_800_000L);
  }

  // ---- PULL_RESP -----------------------------------------------------------------------------

  @Test
  void pullRespBothDirections() {
    Txpk txpk = Txpk.loraAt(4_000_000_000L, 869_525_000L, 27, 9, 125_000, "4/5",
        Bytes.parse("20FFEE"));
    byte[] wire = concat(hex("02"           // version 2
        + "5A5A"                            // fresh token
        + "03"),                            // PULL_RESP (no EUI)
        "{\"txpk\":{"
        + "\"tmst\":4000000000,"             // preamble start on the µs counter
        + "\"freq\":869.525,"                // exact decimal MHz
        + "\"rfch\":0,\"powe\":27,"
        + "\"modu\":\"LORA\",\"datr\":\"SF9BW125\",\"codr\":\"4/5\","
        + "\"ipol\":true,"                   // downlink polarity
        + "\"size\":3,\"data\":\"IP/u\","
        + "\"ncrc\":true}}");                // no PHY CRC on downlinks
    assertThat(CODEC.encode(new PullResp(2, 0x5A5A, txpk))).isEqualTo(wire);
    assertThat(CODEC.decode(wire)).isEqualTo(new PullResp(2, 0x5A5A, txpk));
  }

  @Test
  void frequenciesAreExactDecimals() {
    assertThat(SemtechUdpCodec.megahertz(923_300_000L).toPlainString()).isEqualTo("923.3");
    assertThat(SemtechUdpCodec.megahertz(900_000_000L).toPlainString()).isEqualTo("900");
    assertThat(SemtechUdpCodec.megahertz(868_100_001L).toPlainString()).isEqualTo("868.100001");
  }

  // ---- bad input -----------------------------------------------------------------------------

  private static DropReason reasonOf(byte[] b) {
    try {
      CODEC.decode(b);
      throw new AssertionError("decoded");
    } catch (SemtechUdpException e) {
      return e.reason();
    }
  }

  @Test
  void badHeaders() {
    assertThat(reasonOf(hex("02 ABCD"))).isEqualTo(DropReason.TRUNCATED);
    assertThat(reasonOf(hex("02 ABCD 02 B827EBFFFE8D"))).isEqualTo(DropReason.TRUNCATED);
    assertThat(reasonOf(hex("03 ABCD 02 B827EBFFFE8DB887"))).isEqualTo(
        DropReason.UNSUPPORTED_VERSION);
    assertThat(reasonOf(hex("02 ABCD 09 B827EBFFFE8DB887"))).isEqualTo(DropReason.UNKNOWN_TYPE);
    assertThat(reasonOf(hex("01 ABCD 05 B827EBFFFE8DB887"))).isEqualTo(
        DropReason.UNSUPPORTED_VERSION);
    assertThat(reasonOf(new byte[SemtechUdpLimits.DEFAULT.maxDatagramBytes() + 1]))
        .isEqualTo(DropReason.OVERSIZED);
  }

  @Test
  void badJson() {
    byte[] h = hex("02 0001 00 B827EBFFFE8DB887");
    assertThat(reasonOf(h)).isEqualTo(DropReason.INVALID_JSON);
    assertThat(reasonOf(concat(h, "{\"rxpk\":["))).isEqualTo(DropReason.INVALID_JSON);
    assertThat(reasonOf(concat(h, "[1,2]"))).isEqualTo(DropReason.INVALID_JSON);
    assertThat(reasonOf(concat(h, "{}{}"))).isEqualTo(DropReason.INVALID_JSON);
    assertThat(reasonOf(concat(h, "{\"a\":1,\"a\":2}"))).isEqualTo(DropReason.INVALID_JSON);
    assertThat(reasonOf(concat(h, "{\"a\":" + "[".repeat(50) + "]".repeat(50) + "}")))
        .isEqualTo(DropReason.INVALID_JSON);
  }

  @Test
  void absurdFieldsNameTheField() {
    byte[] h = hex("02 0001 00 B827EBFFFE8DB887");
    String base = PUSH_JSON;
    assertThatThrownBy(() -> CODEC.decode(concat(h, base.replace("868.1", "1e300"))))
        .isInstanceOfSatisfying(SemtechUdpException.class, e -> {
          assertThat(e.reason()).isEqualTo(DropReason.INVALID_FIELD);
          assertThat(e.field()).isEqualTo("rxpk[0].freq");
        });
    assertThatThrownBy(() -> CODEC.decode(concat(h, base.replace("3512348611", "4294967296"))))
        .isInstanceOfSatisfying(SemtechUdpException.class,
            e -> assertThat(e.field()).isEqualTo("rxpk[0].tmst"));
    assertThatThrownBy(() -> CODEC.decode(concat(h, base.replace("SF7BW125", "SF13BW125"))))
        .isInstanceOfSatisfying(SemtechUdpException.class,
            e -> assertThat(e.field()).isEqualTo("rxpk[0].datr"));
    assertThatThrownBy(() -> CODEC.decode(concat(h, base.replace("\"size\":5", "\"size\":6"))))
        .isInstanceOfSatisfying(SemtechUdpException.class,
            e -> assertThat(e.field()).isEqualTo("rxpk[0].size"));
    assertThatThrownBy(() -> CODEC.decode(concat(h, base.replace("\"lati\":46.24", "\"lati\":91"))))
        .isInstanceOfSatisfying(SemtechUdpException.class,
            e -> assertThat(e.field()).isEqualTo("stat.lati"));
    assertThatThrownBy(() -> CODEC.decode(concat(h, base.replace("QAEAAAA=", "QAE!AAA="))))
        .isInstanceOfSatisfying(SemtechUdpException.class, e -> {
          assertThat(e.reason()).isEqualTo(DropReason.INVALID_BASE64);
          assertThat(e.field()).isEqualTo("rxpk[0].data");
        });
  }

  @Test
  void oneBitCorruptions() {
    byte[] wire = concat(hex("02 0001 00 B827EBFFFE8DB887"), PUSH_JSON);
    // bit 0 of the version byte: 0x02 -> 0x03
    assertThat(reasonOf(flip(wire, 0, 0))).isEqualTo(DropReason.UNSUPPORTED_VERSION);
    // bit 3 of the type byte: PUSH_DATA 0x00 -> 0x08
    assertThat(reasonOf(flip(wire, 3, 3))).isEqualTo(DropReason.UNKNOWN_TYPE);
    // bit 2 of the opening brace: '{' 0x7B -> 0x7F (DEL)
    assertThat(reasonOf(flip(wire, 12, 2))).isEqualTo(DropReason.INVALID_JSON);
    // bit 1 of the base64 padding: '=' 0x3D -> '?' 0x3F
    int q = new String(wire, StandardCharsets.ISO_8859_1).indexOf("QAEAAAA=") + 7;
    assertThat(reasonOf(flip(wire, q, 1))).isEqualTo(DropReason.INVALID_BASE64);
    // bit 0 of the 3rd digit of tmst: a different, still valid counter value
    int t = new String(wire, StandardCharsets.ISO_8859_1).indexOf("3512348611") + 2;
    PushData changed = (PushData) CODEC.decode(flip(wire, t, 0));
    assertThat(changed.rxpk().get(0).tmst()).isEqualTo(3502348611L);
    // every single-bit flip either decodes or is a typed drop
    for (int i = 0; i < wire.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        try {
          CODEC.decode(flip(wire, i, bit));
        } catch (SemtechUdpException expected) {
          assertThat(expected.reason()).isNotNull();
        }
      }
    }
  }

  private static byte[] flip(byte[] b, int index, int bit) {
    byte[] c = b.clone();
    c[index] ^= (byte) (1 << bit);
    return c;
  }
}
