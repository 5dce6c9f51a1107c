package dev.loralab.lorawan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ValueTypeProperties {

  @Property
  void eui64TextAndWireRoundTrip(@ForAll long v) {
    Eui64 eui = new Eui64(v);
    assertThat(Eui64.parse(eui.toString())).isEqualTo(eui);
    assertThat(Eui64.parse(eui.toString().toLowerCase())).isEqualTo(eui);
    byte[] wire = new byte[8];
    eui.writeLittleEndian(wire, 0);
    assertThat(Eui64.readLittleEndian(wire, 0)).isEqualTo(eui);
    byte[] be = eui.toBigEndianBytes();
    for (int i = 0; i < 8; i++) {
      assertThat(be[i]).isEqualTo(wire[7 - i]);
    }
    assertThat(Eui64.ofBigEndian(be)).isEqualTo(eui);
  }

  @Property
  void devAddrTextAndWireRoundTrip(@ForAll int v) {
    DevAddr a = new DevAddr(v);
    assertThat(DevAddr.parse(a.toString())).isEqualTo(a);
    byte[] wire = new byte[4];
    a.writeLittleEndian(wire, 0);
    assertThat(DevAddr.readLittleEndian(wire, 0)).isEqualTo(a);
  }

  @Property
  void devAddrInNetIdBelongsToIt(@ForAll @IntRange(min = 0, max = 0xFFFFFF) int netIdValue, @ForAll int anyAddr) {
    NetId netId = new NetId(netIdValue);
    int nwkAddrBits = 32 - (netId.type() + 1) - NetId.NWK_ID_BITS[netId.type()];
    int nwkAddr = anyAddr & ((1 << nwkAddrBits) - 1);
    DevAddr a = DevAddr.inNetId(netId, nwkAddr);
    assertThat(a.belongsTo(netId)).isTrue();
    assertThat(a.netIdType()).isEqualTo(netId.type());
    assertThat(a.nwkId()).isEqualTo(netId.nwkId());
    assertThat(a.nwkAddr()).isEqualTo(nwkAddr);
  }

  @Property
  void threeAndTwoByteValuesRoundTrip(@ForAll @IntRange(min = 0, max = 0xFFFFFF) int v24,
      @ForAll @IntRange(min = 0, max = 0xFFFF) int v16) {
    byte[] w = new byte[3];
    new NetId(v24).writeLittleEndian(w, 0);
    assertThat(NetId.readLittleEndian(w, 0)).isEqualTo(new NetId(v24));
    assertThat(NetId.parse(new NetId(v24).toString())).isEqualTo(new NetId(v24));
    new JoinNonce(v24).writeLittleEndian(w, 0);
    assertThat(JoinNonce.readLittleEndian(w, 0)).isEqualTo(new JoinNonce(v24));
    assertThat(JoinNonce.parse(new JoinNonce(v24).toString())).isEqualTo(new JoinNonce(v24));
    new DevNonce(v16).writeLittleEndian(w, 1);
    assertThat(DevNonce.readLittleEndian(w, 1)).isEqualTo(new DevNonce(v16));
    assertThat(DevNonce.parse(new DevNonce(v16).toString())).isEqualTo(new DevNonce(v16));
  }

  @Property
  void micAndKeyRoundTrip(@ForAll int mic, @ForAll @Size(16) byte[] key) {
    Mic m = new Mic(mic);
    assertThat(Mic.of(m.toBytes(), 0)).isEqualTo(m);
    assertThat(Mic.parse(m.toString())).isEqualTo(m);
    AesKey k = AesKey.of(key);
    assertThat(k.toBytes()).isEqualTo(key);
    assertThat(AesKey.parse(k.toHex())).isEqualTo(k);
    assertThat(k.isHex(k.toHex())).isTrue();
    assertThat(k.isHex(k.toHex().toLowerCase(java.util.Locale.ROOT))).isTrue();
    assertThat(k.toString()).isEqualTo("AesKey[redacted]");
  }

  @Property
  void aKeyIsHexExactlyWhenTheTextParsesToIt(@ForAll @Size(16) byte[] key, @ForAll String text,
      @ForAll @IntRange(min = 0, max = 31) int digit) {
    AesKey k = AesKey.of(key);
    boolean parsesToIt;
    try {
      parsesToIt = AesKey.parse(text).equals(k);
    } catch (LoRaWanException notAKey) {
      parsesToIt = false;
    }
    assertThat(k.isHex(text)).isEqualTo(parsesToIt);
    // one digit of the key's own text changed
    char[] hex = k.toHex().toCharArray();
    hex[digit] = hex[digit] == '0' ? '1' : '0';
    assertThat(k.isHex(new String(hex))).isFalse();
  }

  @Property
  void bytesHexRoundTrip(@ForAll @Size(max = 64) byte[] b) {
    Bytes bytes = Bytes.of(b);
    assertThat(Bytes.parse(bytes.toString())).isEqualTo(bytes);
    assertThat(bytes.toArray()).isEqualTo(b);
    assertThat(HexBytes.parse("x", HexBytes.format(b))).isEqualTo(b);
  }

  @Property
  void arbitraryTextOnlyEverThrowsTheDomainException(@ForAll String text) {
    for (Runnable r : new Runnable[] {() -> Eui64.parse(text), () -> DevAddr.parse(text), () -> NetId.parse(text),
        () -> AesKey.parse(text), () -> DevNonce.parse(text), () -> JoinNonce.parse(text), () -> Mic.parse(text),
        () -> Bytes.parse(text), () -> MacVersion.parse(text)}) {
      try {
        r.run();
      } catch (LoRaWanException expected) {
        assertThat(expected.field()).isNotBlank();
      }
    }
  }

  @Property
  void outOfRangeReadsThrowTheDomainException(@ForAll @Size(max = 10) byte[] b, @ForAll @IntRange(min = -2, max = 12) int off) {
    if (off >= 0 && off + 8 <= b.length) {
      return;
    }
    assertThatThrownBy(() -> Eui64.readLittleEndian(b, off)).isInstanceOf(LoRaWanException.class);
  }
}
