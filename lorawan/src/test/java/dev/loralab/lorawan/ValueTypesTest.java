package dev.loralab.lorawan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValueTypesTest {

  @Test
  void eui64DisplayIsMsbFirstAndWireIsLittleEndian() {
    Eui64 eui = Eui64.parse("70b3d57ed0000001");
    assertThat(eui.toString()).isEqualTo("70B3D57ED0000001");
    byte[] wire = new byte[10];
    eui.writeLittleEndian(wire, 1);
    assertThat(HexBytes.format(wire)).isEqualTo("00010000D07ED5B37000");
    assertThat(Eui64.readLittleEndian(wire, 1)).isEqualTo(eui);
    assertThat(HexBytes.format(eui.toBigEndianBytes())).isEqualTo("70B3D57ED0000001");
    assertThat(Eui64.ofBigEndian(eui.toBigEndianBytes())).isEqualTo(eui);
    assertThat(Eui64.parse("FFFFFFFFFFFFFFFF").value()).isEqualTo(-1L);
  }

  @Test
  void eui64RejectsBadInput() {
    assertThatThrownBy(() -> Eui64.parse("70B3D57ED000000")).isInstanceOf(LoRaWanException.class)
        .hasMessageContaining("EUI64: expected 16 hex digits");
    assertThatThrownBy(() -> Eui64.parse("70B3D57ED000000G")).isInstanceOf(LoRaWanException.class)
        .hasMessageContaining("'G'");
    assertThatThrownBy(() -> Eui64.parse(null)).isInstanceOf(LoRaWanException.class);
    assertThatThrownBy(() -> Eui64.readLittleEndian(new byte[7], 0)).isInstanceOf(LoRaWanException.class)
        .hasMessage("EUI64: expected 8 bytes at offset 0, found 7 bytes available");
    assertThatThrownBy(() -> Eui64.readLittleEndian(new byte[8], -1)).isInstanceOf(LoRaWanException.class);
    assertThatThrownBy(() -> Eui64.ofBigEndian(new byte[9])).isInstanceOf(LoRaWanException.class);
  }

  @Test
  void devAddrWireOrder() {
    // DevAddr 01020304 goes on the wire as 04 03 02 01 (notes §1)
    DevAddr a = DevAddr.parse("01020304");
    byte[] wire = new byte[4];
    a.writeLittleEndian(wire, 0);
    assertThat(HexBytes.format(wire)).isEqualTo("04030201");
    assertThat(DevAddr.readLittleEndian(wire, 0)).isEqualTo(a);
    assertThat(DevAddr.parse("FFFFFFFF").toString()).isEqualTo("FFFFFFFF");
    assertThat(HexBytes.format(DevAddr.parse("26011BDA").toBigEndianBytes())).isEqualTo("26011BDA");
  }

  @Test
  void devAddrNetIdHelpers() {
    // The Things Network, NetID 000013: type 0, NwkID 0x13, DevAddr prefix 26000000/7
    NetId ttn = NetId.parse("000013");
    assertThat(ttn.type()).isZero();
    assertThat(ttn.nwkId()).isEqualTo(0x13);
    DevAddr a = DevAddr.inNetId(ttn, 0x11BDA);
    assertThat(a).isEqualTo(DevAddr.parse("26011BDA"));
    assertThat(a.netIdType()).isZero();
    assertThat(a.nwkId()).isEqualTo(0x13);
    assertThat(a.nwkAddr()).isEqualTo(0x11BDA);
    assertThat(a.belongsTo(ttn)).isTrue();
    assertThat(a.belongsTo(NetId.parse("000012"))).isFalse();

    // type 3: prefix 1110, 11-bit NwkID, 17-bit NwkAddr
    NetId t3 = NetId.parse("6005AB");
    assertThat(t3.type()).isEqualTo(3);
    assertThat(t3.nwkId()).isEqualTo(0x5AB & 0x7FF);
    DevAddr b = DevAddr.inNetId(t3, 0x1FFFF);
    assertThat(b.netIdType()).isEqualTo(3);
    assertThat(b.nwkId()).isEqualTo(t3.nwkId());
    assertThat(b.nwkAddr()).isEqualTo(0x1FFFF);
    assertThat(b.value() >>> 28).isEqualTo(0b1110);
    assertThatThrownBy(() -> DevAddr.inNetId(t3, 0x20000)).isInstanceOf(LoRaWanException.class)
        .hasMessageContaining("17-bit");

    // type 7: prefix 11111110, 17-bit NwkID, 7-bit NwkAddr
    NetId t7 = NetId.parse("FFFFFF");
    DevAddr c = DevAddr.inNetId(t7, 0x7F);
    assertThat(c).isEqualTo(DevAddr.parse("FEFFFFFF"));
    assertThat(c.belongsTo(t7)).isTrue();
    assertThat(DevAddr.parse("FF000000").netIdType()).isEqualTo(-1);
    assertThat(DevAddr.parse("FF000000").nwkId()).isEqualTo(-1);
  }

  @Test
  void netIdRangeAndWire() {
    assertThatThrownBy(() -> new NetId(0x1000000)).isInstanceOf(LoRaWanException.class)
        .hasMessageContaining("NetID: expected a 24-bit value");
    NetId n = NetId.parse("C00053");
    byte[] wire = new byte[3];
    n.writeLittleEndian(wire, 0);
    assertThat(HexBytes.format(wire)).isEqualTo("5300C0");
    assertThat(NetId.readLittleEndian(wire, 0)).isEqualTo(n);
    assertThat(n.toString()).isEqualTo("C00053");
    assertThat(n.type()).isEqualTo(6);
  }

  @Test
  void aesKeyHasContentEqualityAndNeverPrintsItself() {
    AesKey k = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
    assertThat(k).isEqualTo(AesKey.of(HexBytes.parse("k", "2B7E151628AED2A6ABF7158809CF4F3C")));
    assertThat(k.hashCode()).isEqualTo(AesKey.parse("2B7E151628AED2A6ABF7158809CF4F3C").hashCode());
    assertThat(k.toString()).doesNotContain("2B7E").isEqualTo("AesKey[redacted]");
    assertThat(k.toHex()).isEqualTo("2B7E151628AED2A6ABF7158809CF4F3C");
    byte[] copy = k.toBytes();
    copy[0] = 0;
    assertThat(k.toHex()).startsWith("2B");
    assertThatThrownBy(() -> AesKey.of(new byte[15])).isInstanceOf(LoRaWanException.class)
        .hasMessage("AesKey: expected 16 bytes, found 15 bytes");
    assertThatThrownBy(() -> AesKey.parse("00")).isInstanceOf(LoRaWanException.class);
  }

  @Test
  void aesKeyIsHexOnlyForItsOwn32HexDigits() {
    AesKey k = AesKey.parse("2B7E151628AED2A6ABF7158809CF4F3C");
    assertThat(k.isHex("2B7E151628AED2A6ABF7158809CF4F3C")).isTrue();
    assertThat(k.isHex("2b7e151628aed2a6abf7158809cf4f3c")).isTrue();
    assertThat(k.isHex("2B7E151628AED2A6ABF7158809CF4F3D")).isFalse(); // last digit
    assertThat(k.isHex("3B7E151628AED2A6ABF7158809CF4F3C")).isFalse(); // first digit
    assertThat(k.isHex("2B7E151628AED2A6ABF7158809CF4F3")).isFalse(); // 31 digits
    assertThat(k.isHex("2B7E151628AED2A6ABF7158809CF4F3C0")).isFalse(); // 33 digits
    assertThat(k.isHex("2B7E151628AED2A6ABF7158809CF4FG3")).isFalse(); // not hex
    assertThat(k.isHex("2B7E151628AED2A6ABF7158809CF4F\uFF13C")).isFalse(); // a fullwidth 3
    assertThat(k.isHex("")).isFalse();
    assertThat(k.isHex(null)).isFalse();
  }

  @Test
  void micKeepsWireOrder() {
    byte[] b = HexBytes.parse("b", "0093FF9A3A");
    Mic m = Mic.of(b, 1);
    assertThat(m.toString()).isEqualTo("93FF9A3A");
    assertThat(m).isEqualTo(Mic.parse("93ff9a3a"));
    assertThat(HexBytes.format(m.toBytes())).isEqualTo("93FF9A3A");
    assertThatThrownBy(() -> Mic.of(b, 2)).isInstanceOf(LoRaWanException.class);
  }

  @Test
  void noncesDisplayMsbFirstAndTravelLittleEndian() {
    DevNonce d = DevNonce.parse("AF7C");
    byte[] w = new byte[2];
    d.writeLittleEndian(w, 0);
    assertThat(HexBytes.format(w)).isEqualTo("7CAF");
    assertThat(DevNonce.readLittleEndian(w, 0)).isEqualTo(d);
    assertThatThrownBy(() -> new DevNonce(65536)).isInstanceOf(LoRaWanException.class);
    assertThatThrownBy(() -> new DevNonce(-1)).isInstanceOf(LoRaWanException.class);

    JoinNonce j = JoinNonce.parse("010203");
    byte[] w3 = new byte[3];
    j.writeLittleEndian(w3, 0);
    assertThat(HexBytes.format(w3)).isEqualTo("030201");
    assertThat(JoinNonce.readLittleEndian(w3, 0)).isEqualTo(j);
    assertThat(j.toString()).isEqualTo("010203");
    assertThatThrownBy(() -> new JoinNonce(1 << 24)).isInstanceOf(LoRaWanException.class);
  }

  @Test
  void macVersionParsesAllForms() {
    assertThat(MacVersion.parse("1.0.3")).isEqualTo(MacVersion.V1_0_3);
    assertThat(MacVersion.parse("1.1")).isEqualTo(MacVersion.V1_1);
    assertThat(MacVersion.parse("1.1.0")).isEqualTo(MacVersion.V1_1);
    assertThat(MacVersion.parse("MAC_V1_0_3")).isEqualTo(MacVersion.V1_0_3);
    assertThat(MacVersion.parse("MAC_V1_1")).isEqualTo(MacVersion.V1_1);
    assertThat(MacVersion.V1_1.is1_1()).isTrue();
    assertThat(MacVersion.V1_0_4.is1_1()).isFalse();
    assertThat(MacVersion.V1_0_4.atLeast(MacVersion.V1_0_2)).isTrue();
    assertThatThrownBy(() -> MacVersion.parse("2.0")).isInstanceOf(LoRaWanException.class)
        .hasMessageContaining("found \"2.0\"");
  }

  @Test
  void bytesHaveContentEquality() {
    Bytes a = Bytes.parse("cafe");
    assertThat(a).isEqualTo(Bytes.of(new byte[] {(byte) 0xCA, (byte) 0xFE}));
    assertThat(a.toString()).isEqualTo("CAFE");
    assertThat(a.length()).isEqualTo(2);
    assertThat(a.get(1)).isEqualTo(0xFE);
    assertThat(Bytes.of(new byte[0])).isSameAs(Bytes.EMPTY);
    assertThatThrownBy(() -> a.get(2)).isInstanceOf(LoRaWanException.class);
    assertThatThrownBy(() -> Bytes.parse("abc")).isInstanceOf(LoRaWanException.class);
    assertThatThrownBy(() -> Bytes.of(new byte[2], 1, 2)).isInstanceOf(LoRaWanException.class);
  }

  @Test
  void devAddrsInSequenceMixOverTheLowBits() {
    // 4,096 consecutive NwkAddrs of one NetID share all but their low 12 bits; mixed, their low 8
    // bits reach every one of 256 slots, none more than twice its share
    int[] slots = new int[256];
    for (int i = 0; i < 4096; i++) {
      slots[new DevAddr(0x2601_1000 + i).mixed() & 0xFF]++;
    }
    for (int n : slots) {
      assertThat(n).isBetween(1, 32);
    }
    assertThat(new DevAddr(0x2601_1BDA).mixed()).isEqualTo(new DevAddr(0x2601_1BDA).mixed());
  }
}
