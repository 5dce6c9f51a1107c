package dev.loralab.joinserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.HexBytes;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.NetId;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.frame.CfList;
import dev.loralab.lorawan.frame.DlSettings;
import dev.loralab.lorawan.frame.JoinAccept;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import java.util.Arrays;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Join-accept sealing against the public vectors {@code brocaar_example_join_accept_1_0} and
 * {@code brocaar_example_join_accept_1_1} (shared/reference/lorawan-vectors.json), both
 * directions, with one-bit corruptions and round-trip properties.
 */
class JoinAcceptCipherTest {

  private static final AesKey KEY = AesKey.parse("0102030405060708090A0B0C0D0E0F10");
  private static final Eui64 JOIN_EUI = Eui64.parse("0807060504030201");
  private static final DevNonce DEV_NONCE = DevNonce.parse("0102");

  private static JoinAccept fields(boolean optNeg) {
    return new JoinAccept(JoinNonce.parse("010101"), NetId.parse("020202"),
        DevAddr.parse("01020304"), new DlSettings(optNeg, 0, 0), 0, Optional.empty(), new Mic(0));
  }

  @Test
  void seals10VectorByteExact() {
    byte[] phy = JoinAcceptCipher.seal10(fields(false), KEY);
    // 20                                MHDR: JoinAccept (001), RFU 000, Major 00
    // 23CF335489AAE3183C0BE0BAA8DEE5F3  AES-128-ECB decrypt(AppKey) of
    //   010101 JoinNonce | 020202 NetID | 04030201 DevAddr | 00 DLSettings | 00 RxDelay
    //   | 3449F212 MIC (wire order), all 16 bytes encrypted
    assertThat(HexBytes.format(phy)).isEqualTo("2023CF335489AAE3183C0BE0BAA8DEE5F3");
  }

  @Test
  void opens10VectorAndVerifiesMic() {
    byte[] phy = HexBytes.parse("phy", "2023CF335489AAE3183C0BE0BAA8DEE5F3");
    JoinAccept ja = open(phy, KEY);
    assertThat(ja.joinNonce()).isEqualTo(JoinNonce.parse("010101"));
    assertThat(ja.netId()).isEqualTo(NetId.parse("020202"));
    assertThat(ja.devAddr()).isEqualTo(DevAddr.parse("01020304"));
    assertThat(ja.dlSettings().optNeg()).isFalse();
    // the MIC as asserted by the ChirpStack rustdoc of the same example
    assertThat(ja.mic()).isEqualTo(Mic.parse("3449F212"));
    assertThat(ja.mic()).isEqualTo(Mics.joinAcceptMic10(KEY, clearWithoutMic(phy, KEY)));
  }

  @Test
  void seals11VectorByteExact() {
    // the example uses one key both as JSIntKey and as encryption key
    byte[] phy = JoinAcceptCipher.seal11(fields(true), KEY, KEY, JOIN_EUI, DEV_NONCE);
    // 20 MHDR, then encrypt(010101 | 020202 | 04030201 | 80 DLSettings OptNeg | 00 | MIC)
    assertThat(HexBytes.format(phy)).isEqualTo("207ABEEA06B02920F11C02D0348FCF1815");
  }

  @Test
  void opens11VectorAndVerifiesMic() {
    byte[] phy = HexBytes.parse("phy", "207ABEEA06B02920F11C02D0348FCF1815");
    byte[] clear = decrypt(phy, KEY);
    // plain MACPayload from lora-packet's test: JoinNonce 010101, NetID 020202,
    // DevAddr 04030201 (LE), DLSettings 80 (OptNeg), RxDelay 00
    assertThat(HexBytes.format(Arrays.copyOfRange(clear, 1, 13)))
        .isEqualTo("010101020202040302018000");
    JoinAccept ja = PhyPayloadCodec.decodeJoinAccept(clear);
    assertThat(ja.dlSettings().optNeg()).isTrue();
    assertThat(ja.mic()).isEqualTo(Mic.parse("93FF9A3A"));
    assertThat(ja.mic()).isEqualTo(Mics.joinAcceptMic11(KEY, 0xFF, JOIN_EUI, DEV_NONCE,
        Arrays.copyOf(clear, clear.length - 4)));
  }

  @Test
  void everyOneBitCorruptionBreaksTheMic() {
    byte[] phy = JoinAcceptCipher.seal10(fields(false), KEY);
    for (int bit = 8; bit < phy.length * 8; bit++) { // MHDR is not encrypted: from byte 1
      byte[] bad = phy.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      byte[] clear = decrypt(bad, KEY);
      Mic received = Mic.of(clear, clear.length - 4);
      assertThat(received).as("bit %d", bit)
          .isNotEqualTo(Mics.joinAcceptMic10(KEY, Arrays.copyOf(clear, clear.length - 4)));
    }
  }

  @Property(tries = 200)
  void seal10RoundTrips(@ForAll("accepts") JoinAccept accept, @ForAll("keys") AesKey key) {
    byte[] phy = JoinAcceptCipher.seal10(accept, key);
    assertThat(phy).hasSize(accept.cfList().isPresent() ? 33 : 17);
    JoinAccept opened = open(phy, key);
    assertThat(opened.withMic(new Mic(0))).isEqualTo(accept.withMic(new Mic(0)));
    assertThat(opened.mic()).isEqualTo(Mics.joinAcceptMic10(key, clearWithoutMic(phy, key)));
  }

  @Property(tries = 200)
  void seal11RoundTrips(@ForAll("accepts") JoinAccept accept, @ForAll("keys") AesKey jsInt,
      @ForAll("keys") AesKey enc, @ForAll long joinEui, @ForAll("devNonces") int devNonce) {
    byte[] phy = JoinAcceptCipher.seal11(accept, jsInt, enc, new Eui64(joinEui),
        new DevNonce(devNonce));
    JoinAccept opened = open(phy, enc);
    assertThat(opened.withMic(new Mic(0))).isEqualTo(accept.withMic(new Mic(0)));
    assertThat(opened.mic()).isEqualTo(Mics.joinAcceptMic11(jsInt, 0xFF, new Eui64(joinEui),
        new DevNonce(devNonce), clearWithoutMic(phy, enc)));
  }

  @Provide
  Arbitrary<Integer> devNonces() {
    return Arbitraries.integers().between(0, 0xFFFF);
  }

  @Provide
  Arbitrary<AesKey> keys() {
    return Arbitraries.bytes().array(byte[].class).ofSize(16).map(AesKey::of);
  }

  @Provide
  Arbitrary<JoinAccept> accepts() {
    Arbitrary<Optional<CfList>> cf = Arbitraries.oneOf(
        Arbitraries.just(Optional.<CfList>empty()),
        Arbitraries.longs().between(0, 0xFFFFFF).list().ofMaxSize(5)
            .map(l -> Optional.<CfList>of(CfList.Frequencies.of(
                l.stream().mapToLong(x -> x * 100).toArray()))),
        Arbitraries.integers().between(0, 0xFFFF).list().ofMaxSize(7)
            .map(l -> Optional.<CfList>of(CfList.ChannelMasks.of(
                l.stream().mapToInt(Integer::intValue).toArray()))));
    return Combinators.combine(
        Arbitraries.integers().between(0, 0xFFFFFF),
        Arbitraries.integers().between(0, 0xFFFFFF),
        Arbitraries.integers(),
        Arbitraries.integers().between(0, 0xFF),
        Arbitraries.integers().between(0, 15),
        cf).as((jn, net, addr, dl, rx, c) -> new JoinAccept(new JoinNonce(jn), new NetId(net),
            new DevAddr(addr), DlSettings.decode(dl), rx, c, new Mic(0)));
  }

  /** The device side: decrypts {@code MHDR | encrypted} into {@code MHDR | clear | MIC}. */
  static byte[] decrypt(byte[] phy, AesKey key) {
    byte[] body = PayloadCipher.joinAcceptDecrypt(key, Arrays.copyOfRange(phy, 1, phy.length));
    byte[] clear = new byte[phy.length];
    clear[0] = phy[0];
    System.arraycopy(body, 0, clear, 1, body.length);
    return clear;
  }

  static JoinAccept open(byte[] phy, AesKey key) {
    try {
      return PhyPayloadCodec.decodeJoinAccept(decrypt(phy, key));
    } catch (LoRaWanException e) {
      throw new AssertionError("join-accept does not decode: " + e.getMessage(), e);
    }
  }

  private static byte[] clearWithoutMic(byte[] phy, AesKey key) {
    byte[] clear = decrypt(phy, key);
    return Arrays.copyOf(clear, clear.length - 4);
  }
}
