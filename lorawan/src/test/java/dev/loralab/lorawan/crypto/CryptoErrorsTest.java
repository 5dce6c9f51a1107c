package dev.loralab.lorawan.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.FCnt;
import dev.loralab.lorawan.HexBytes;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.Mic;
import org.junit.jupiter.api.Test;

/** RFC 4493 vectors for the CMAC, and precise domain errors for bad arguments. */
class CryptoErrorsTest {

  private static final AesKey KEY = AesKey.parse("2B7E151628AED2A6ABF7158809CF4F3C");
  private static final DevAddr ADDR = DevAddr.parse("01020304");

  @Test
  void cmacMatchesRfc4493Examples() {
    String m = "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51"
        + "30C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710";
    byte[] msg = HexBytes.parse("m", m);
    // RFC 4493 §4, examples 1 to 4 (lengths 0, 16, 40, 64)
    assertThat(HexBytes.format(AesCmac.cmac(KEY, msg, 0, 0))).isEqualTo("BB1D6929E95937287FA37D129B756746");
    assertThat(HexBytes.format(AesCmac.cmac(KEY, msg, 0, 16))).isEqualTo("070A16B46B4D4144F79BDD9DD04A287C");
    assertThat(HexBytes.format(AesCmac.cmac(KEY, msg, 0, 40))).isEqualTo("DFA66747DE9AE63030CA32611497C827");
    assertThat(HexBytes.format(AesCmac.cmac(KEY, msg))).isEqualTo("51F0BEBF7E3B9D92FC49741779363CFE");
  }

  @Test
  void cmacRejectsRangesOutsideTheMessage() {
    assertThatThrownBy(() -> AesCmac.cmac(KEY, new byte[4], 2, 3))
        .isInstanceOf(LoRaWanException.class)
        .hasMessage("CMAC input: expected 3 bytes at offset 2, found 4 bytes");
  }

  @Test
  void joinAcceptBodyMustBe16Or32Bytes() {
    assertThatThrownBy(() -> PayloadCipher.joinAcceptDecrypt(KEY, new byte[31]))
        .isInstanceOf(LoRaWanException.class)
        .hasMessage("join-accept body: expected 16 or 32 bytes, found 31 bytes");
  }

  @Test
  void fOptsAreAtMost15Bytes() {
    assertThatThrownBy(() -> PayloadCipher.fOpts11(KEY, true, ADDR, 0, true, new byte[16]))
        .isInstanceOf(LoRaWanException.class)
        .hasMessage("FOpts: expected at most 15 bytes, found 16 bytes");
  }

  @Test
  void countersAre32BitUnsigned() {
    assertThatThrownBy(() -> Mics.dataUplinkMic10(KEY, ADDR, 1L << 32, new byte[8]))
        .isInstanceOf(LoRaWanException.class)
        .hasMessage("FCnt: expected a 32-bit unsigned counter, found 4294967296");
    assertThatThrownBy(() -> PayloadCipher.frmPayload(KEY, true, ADDR, -1, new byte[1]))
        .isInstanceOf(LoRaWanException.class);
  }

  @Test
  void micInputIsAtMost255Bytes() {
    assertThatThrownBy(() -> Mics.dataDownlinkMic(KEY, ADDR, 0, 0, new byte[256]))
        .isInstanceOf(LoRaWanException.class)
        .hasMessage("MIC input: expected at most 255 bytes, found 256 bytes");
  }

  @Test
  void uplink11ParametersAreRangeChecked() {
    assertThatThrownBy(() -> Mics.dataUplinkMic11(KEY, KEY, 0x10000, 0, 0, ADDR, 0, new byte[8]))
        .isInstanceOf(LoRaWanException.class)
        .hasMessage("ConfFCnt: expected 0..65535, found 65536");
    assertThatThrownBy(() -> Mics.dataUplinkMic11(KEY, KEY, 0, 256, 0, ADDR, 0, new byte[8]))
        .hasMessage("TxDr: expected 0..255, found 256");
  }

  @Test
  void joinReqTypeIsFfOr0To2() {
    assertThatThrownBy(() -> Mics.joinAcceptMic11(KEY, 3, new Eui64(1), new DevNonce(1), new byte[13]))
        .isInstanceOf(LoRaWanException.class)
        .hasMessage("JoinReqType: expected 0xFF, 0x00, 0x01 or 0x02, found 0x3");
  }

  @Test
  void nullKeysAreDomainErrors() {
    assertThatThrownBy(() -> Mics.joinRequestMic(null, new byte[19]))
        .isInstanceOf(LoRaWanException.class)
        .hasMessage("join-request MIC key: expected an AES-128 key, found null");
    assertThatThrownBy(() -> SessionKeyDerivation.jsIntKey(KEY, null))
        .isInstanceOf(LoRaWanException.class)
        .hasMessage("DevEUI: expected a value, found null");
  }

  @Test
  void constantTimeComparison() {
    assertThat(Mics.equalsConstantTime(new Mic(0x01020304), Mic.parse("01020304"))).isTrue();
    assertThat(Mics.equalsConstantTime(new Mic(0x01020304), new Mic(0x01020305))).isFalse();
    assertThat(Mics.equalsConstantTime(null, new Mic(0))).isFalse();
  }

  @Test
  void sessionKeysNeverPrintKeyMaterial() {
    SessionKeys10 keys = new SessionKeys10(KEY, KEY);
    assertThat(keys.toString()).doesNotContain(KEY.toHex());
    assertThat(keys.asLegacy11().fNwkSIntKey()).isEqualTo(KEY);
  }

  @Test
  void fCntGapAndRanges() {
    assertThat(FCnt.exceedsMaxGap(10, 10 + FCnt.DEFAULT_MAX_FCNT_GAP, FCnt.DEFAULT_MAX_FCNT_GAP)).isFalse();
    assertThat(FCnt.exceedsMaxGap(10, 11 + FCnt.DEFAULT_MAX_FCNT_GAP, FCnt.DEFAULT_MAX_FCNT_GAP)).isTrue();
    assertThat(FCnt.exceedsMaxGap(10, 9, FCnt.DEFAULT_MAX_FCNT_GAP)).isFalse();
    assertThat(FCnt.reconstruct(FCnt.MAX, 0)).isZero();
    assertThatThrownBy(() -> FCnt.reconstruct(0, 0x10000))
        .isInstanceOf(LoRaWanException.class)
        .hasMessage("FCnt: expected a 16-bit value, found 65536");
  }

  @Test
  void pingOffsetRejectsBadPeriod() {
    assertThatThrownBy(() -> PingSlotOffset.compute(0, ADDR, 0))
        .isInstanceOf(LoRaWanException.class)
        .hasMessage("pingPeriod: expected 1..4096, found 0");
  }
}
