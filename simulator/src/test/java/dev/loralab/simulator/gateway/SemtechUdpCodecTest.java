package dev.loralab.simulator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SemtechUdpCodecTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final Eui64 EUI = Eui64.parse("0016C001FF10A235");
  private final SemtechUdpCodec codec = new SemtechUdpCodec();

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void pullDataVector() {
    byte[] wire = HEX.parseHex(
        "02"                 // protocol version 2
        + "abcd"             // token
        + "02"               // PULL_DATA
        + "0016c001ff10a235"); // gateway EUI, big-endian
    SemtechPacket p = new SemtechPacket.PullData(2, 0xABCD, EUI);
    assertThat(codec.encode(p)).isEqualTo(wire);
    assertThat(codec.decode(wire)).isEqualTo(p);
  }

  @Test
  void acknowledgementVectors() {
    // version 2 | token 0x1234 | PUSH_ACK (1)
    assertThat(codec.decode(HEX.parseHex("02123401"))).isEqualTo(new SemtechPacket.PushAck(2, 0x1234));
    // version 1 | token 0xFFFF | PULL_ACK (4)
    assertThat(codec.decode(HEX.parseHex("01ffff04"))).isEqualTo(new SemtechPacket.PullAck(1, 0xFFFF));
    assertThat(codec.encode(new SemtechPacket.PullAck(2, 0x0102))).isEqualTo(HEX.parseHex("02010204"));
  }

  @Test
  void txAckVectors() {
    // success: 12-byte header only (reference forwarder v4.0.1)
    byte[] ok = HEX.parseHex("02" + "beef" + "05" + "0016c001ff10a235");
    SemtechPacket.TxAck success = new SemtechPacket.TxAck(2, 0xBEEF, EUI, TxAckError.NONE);
    assertThat(codec.encode(success)).isEqualTo(ok);
    assertThat(codec.decode(ok)).isEqualTo(success);
    // error: header | {"txpk_ack":{"error":"TOO_LATE"}}
    byte[] late = concat(ok, "{\"txpk_ack\":{\"error\":\"TOO_LATE\"}}".getBytes(StandardCharsets.UTF_8));
    SemtechPacket.TxAck tooLate = new SemtechPacket.TxAck(2, 0xBEEF, EUI, TxAckError.TOO_LATE);
    assertThat(codec.encode(tooLate)).isEqualTo(late);
    assertThat(codec.decode(late)).isEqualTo(tooLate);
    // "NONE", "" and trailing NULs are success too
    assertThat(codec.decode(concat(ok, "{\"txpk_ack\":{\"error\":\"NONE\"}}\0".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(success);
    assertThat(codec.decode(concat(ok, "{\"txpk_ack\":{\"error\":\"\"}}".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(success);
  }

  @Test
  void pushDataVector() {
    RxPacket rx = new RxPacket(Optional.of(Instant.parse("2013-03-31T16:21:17.528002Z")), 3512348611L, 866_349_812L,
        2, 0, 1, new LoRaDataRate(7, 125_000), "4/6", -35, 5.1, Bytes.parse("00112233"));
    String json = "{\"rxpk\":[{\"time\":\"2013-03-31T16:21:17.528002Z\",\"tmst\":3512348611,\"chan\":2,\"rfch\":0,"
        + "\"freq\":866.349812,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\",\"codr\":\"4/6\",\"lsnr\":5.1,"
        + "\"rssi\":-35,\"size\":4,\"data\":\"ABEiMw==\"}]}";
    byte[] wire = concat(HEX.parseHex("02" + "3f2a" + "00" + "0016c001ff10a235"), json.getBytes(StandardCharsets.UTF_8));
    SemtechPacket p = new SemtechPacket.PushData(2, 0x3F2A, EUI, List.of(rx), Optional.empty());
    assertThat(new String(codec.encode(p), 12, wire.length - 12, StandardCharsets.UTF_8)).isEqualTo(json);
    assertThat(codec.encode(p)).isEqualTo(wire);
    assertThat(codec.decode(wire)).isEqualTo(p);
  }

  @Test
  void statVector() {
    GatewayStat st = new GatewayStat(Instant.parse("2014-01-12T08:59:28Z"), 46.24, 3.2523, 145, 2, 2, 2, 100, 2, 2);
    String json = "{\"stat\":{\"time\":\"2014-01-12 08:59:28 GMT\",\"lati\":46.24000,\"long\":3.25230,\"alti\":145,"
        + "\"rxnb\":2,\"rxok\":2,\"rxfw\":2,\"ackr\":100.0,\"dwnb\":2,\"txnb\":2}}";
    SemtechPacket p = new SemtechPacket.PushData(2, 1, EUI, List.of(), Optional.of(st));
    byte[] wire = codec.encode(p);
    assertThat(new String(wire, 12, wire.length - 12, StandardCharsets.UTF_8)).isEqualTo(json);
    assertThat(codec.decode(wire)).isEqualTo(p);
  }

  @Test
  void pullRespFromTheProtocolSpecification() {
    // PROTOCOL.TXT §6 example; base64 without padding
    String json = "{\"txpk\":{\"imme\":true,\"freq\":864.123456,\"rfch\":0,\"powe\":14,\"modu\":\"LORA\","
        + "\"datr\":\"SF11BW125\",\"codr\":\"4/6\",\"ipol\":false,\"size\":32,"
        + "\"data\":\"H3P3N2i9qc4yt7rK7ldqoeCVJGBybzPY5h1Dd7P7p8v\"}}";
    byte[] wire = concat(HEX.parseHex("02" + "0001" + "03"), json.getBytes(StandardCharsets.UTF_8));
    SemtechPacket.PullResp r = (SemtechPacket.PullResp) codec.decode(wire);
    assertThat(r.token()).isEqualTo(1);
    TxPacket tx = r.txpk();
    assertThat(tx.immediate()).isTrue();
    assertThat(tx.tmst()).isEmpty();
    assertThat(tx.frequencyHz()).isEqualTo(864_123_456L);
    assertThat(tx.dataRate()).isEqualTo(new LoRaDataRate(11, 125_000));
    assertThat(tx.powerDbm()).isEqualTo(14);
    assertThat(tx.data().length()).isEqualTo(32);
    // our encoding pads base64; decoding it gives the same packet
    assertThat(codec.decode(codec.encode(r))).isEqualTo(r);
  }

  @Test
  void pullRespRoundTripWithTmst() {
    TxPacket tx = new TxPacket(false, OptionalLong.of(4_000_000_000L), 869_525_000L, 0, 27,
        new LoRaDataRate(12, 125_000), "4/5", true, true, Bytes.parse("20aabb"));
    SemtechPacket p = new SemtechPacket.PullResp(2, 0x0A0B, tx);
    assertThat(codec.decode(codec.encode(p))).isEqualTo(p);
  }

  @Test
  void malformedDatagramsNameTheField() {
    assertField(HEX.parseHex("0201"), "datagram");
    assertField(HEX.parseHex("03000002"), "version");
    assertField(HEX.parseHex("02000009"), "type");
    assertField(HEX.parseHex("020000020016c001ff10a2"), "gateway EUI");
    assertField(HEX.parseHex("0200000100"), "PUSH_ACK");
    assertField(concat(HEX.parseHex("02000003"), "{\"txpk\":{\"imme\":true}}".getBytes(StandardCharsets.UTF_8)),
        "txpk.modu");
    assertField(concat(HEX.parseHex("02000003"), "{\"txpk\":{\"freq\":868.1}}".getBytes(StandardCharsets.UTF_8)),
        "txpk.tmst");
    assertField(concat(HEX.parseHex("02000003"), "{nope".getBytes(StandardCharsets.UTF_8)), "PULL_RESP JSON");
    String badSize = "{\"txpk\":{\"imme\":true,\"freq\":868.1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\",\"codr\":\"4/5\","
        + "\"size\":3,\"data\":\"AAA=\"}}";
    assertField(concat(HEX.parseHex("02000003"), badSize.getBytes(StandardCharsets.UTF_8)), "txpk.size");
    String badDatr = badSize.replace("SF7BW125", "SF13BW125").replace("\"size\":3", "\"size\":2");
    assertField(concat(HEX.parseHex("02000003"), badDatr.getBytes(StandardCharsets.UTF_8)), "datr.SF");
  }

  @Test
  void sizeLimitIsCheckedBeforeParsing() {
    SemtechUdpCodec small = new SemtechUdpCodec(16);
    assertField(small, new byte[17], "datagram");
  }

  @Test
  void everyOneBitCorruptionOfAValidDatagramDecodesOrFailsTyped() {
    SemtechPacket[] packets = {
        new SemtechPacket.PullData(2, 0xABCD, EUI),
        new SemtechPacket.TxAck(2, 1, EUI, TxAckError.COLLISION_PACKET),
        new SemtechPacket.PullResp(2, 5, new TxPacket(false, OptionalLong.of(1000), 868_100_000L, 0, 14,
            new LoRaDataRate(7, 125_000), "4/5", true, false, Bytes.parse("0102")))};
    for (SemtechPacket p : packets) {
      byte[] wire = codec.encode(p);
      for (int bit = 0; bit < wire.length * 8; bit++) {
        byte[] c = wire.clone();
        c[bit / 8] ^= (byte) (1 << (bit % 8));
        try {
          SemtechPacket decoded = codec.decode(c);
          assertThat(decoded).isNotNull();
        } catch (SemtechUdpException e) {
          assertThat(e.field()).isNotBlank();
        }
      }
    }
  }

  private void assertField(byte[] wire, String field) {
    assertField(codec, wire, field);
  }

  private static void assertField(SemtechUdpCodec c, byte[] wire, String field) {
    assertThatThrownBy(() -> c.decode(wire)).isInstanceOfSatisfying(SemtechUdpException.class,
        e -> assertThat(e.field()).isEqualTo(field));
  }
}
