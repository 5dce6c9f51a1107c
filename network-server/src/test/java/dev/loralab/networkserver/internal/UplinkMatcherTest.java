package dev.loralab.networkserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.DataRate;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.LoRaDataRate;
import dev.loralab.api.v3.MACParameters;
import dev.loralab.api.v3.MACState;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.api.v3.TxSettings;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.frequencyplans.Band;
import dev.loralab.frequencyplans.Bands;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.FCtrl;
import dev.loralab.lorawan.frame.FHdr;
import dev.loralab.lorawan.frame.MType;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class UplinkMatcherTest {

  static final AesKey KEY = AesKey.parse("2B7E151628AED2A6ABF7158809CF4F3C");
  static final DevAddr ADDR = DevAddr.parse("26011BDA");
  static final Band EU = Bands.byId("EU_863_870");
  static final UplinkMessage UP = UplinkMessage.newBuilder().setSettings(TxSettings.newBuilder()
      .setFrequency(868_100_000L).setDataRate(DataRate.newBuilder().setLora(
          LoRaDataRate.newBuilder().setSpreadingFactor(7).setBandwidth(125_000)))).build();

  static EndDevice device(long lastFCntUp, boolean anyUplink) {
    EndDevice.Builder b = EndDevice.newBuilder()
        .setIds(EndDeviceIdentifiers.newBuilder().setDeviceId("d")
            .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("a")))
        .setLorawanVersion(MACVersion.MAC_V1_0_3)
        .setSession(Session.newBuilder().setDevAddr(ADDR.toString()).setLastFCntUp((int) lastFCntUp)
            .setKeys(SessionKeys.newBuilder().setFNwkSIntKey(KeyEnvelope.newBuilder()
                .setKey(KEY.toHex()))));
    if (anyUplink) {
      b.setMacState(MACState.newBuilder().addRecentUplinks(MACState.UplinkQuality.newBuilder()));
    }
    return b.build();
  }

  /** A 1.0.x uplink with the given full counter (its low 16 bits on the air). */
  static byte[] frame(long fCnt32) {
    DataFrame f = new DataFrame(MType.UNCONFIRMED_DATA_UP,
        new FHdr(ADDR, new FCtrl.Uplink(false, false, false, false), (int) (fCnt32 & 0xFFFF)),
        OptionalInt.of(1), Bytes.of(new byte[] {1}), new Mic(0));
    Mic mic = Mics.dataUplinkMic10(KEY, ADDR, fCnt32, PhyPayloadCodec.encodeWithoutMic(f));
    return PhyPayloadCodec.encode(f.withMic(mic));
  }

  static UplinkMatcher.Result match(EndDevice d, byte[] raw) {
    return UplinkMatcher.match(d, (DataFrame) PhyPayloadCodec.decode(raw), raw,
        UP.toBuilder().setRawPayload(ByteString.copyFrom(raw)).build(), EU, 16384);
  }

  @Test
  void firstUplinkAfterActivationMayHaveCounterZero() {
    assertThat(match(device(0, false), frame(0)))
        .isEqualTo(new UplinkMatcher.Matched(false, 0, SessionKeyRing.of(device(0, false)
            .getSession(), false), dev.loralab.lorawan.MacVersion.V1_0_3, 5));
  }

  @Test
  void counterRollsOverThe16BitBoundary() {
    var r = match(device(0x1FFFF, true), frame(0x20000));
    assertThat(r).isInstanceOf(UplinkMatcher.Matched.class);
    assertThat(((UplinkMatcher.Matched) r).fCnt32()).isEqualTo(0x20000);
  }

  @Test
  void retransmissionAndOlderFramesAreTooLow() {
    assertThat(((UplinkMatcher.Rejected) match(device(10, true), frame(10))).reason())
        .isEqualTo("f_cnt_too_low");
    assertThat(((UplinkMatcher.Rejected) match(device(10, true), frame(3))).reason())
        .isEqualTo("f_cnt_too_low");
    assertThat(((UplinkMatcher.Rejected) match(device(0x10005, true), frame(0x0FFF0))).reason())
        .isEqualTo("f_cnt_too_low");
  }

  @Test
  void gapOverTheLimitIsRejectedAtTheLimitAccepted() {
    assertThat(match(device(10, true), frame(11 + 16384)))
        .isInstanceOf(UplinkMatcher.Matched.class);
    assertThat(((UplinkMatcher.Rejected) match(device(10, true), frame(12 + 16384))).reason())
        .isEqualTo("f_cnt_gap");
  }

  @Test
  void oneFlippedBitIsAMicMismatch() {
    byte[] raw = frame(11);
    raw[raw.length - 5] ^= 0x01;
    UplinkMatcher.Rejected r = (UplinkMatcher.Rejected) match(device(10, true), raw);
    assertThat(r.reason()).isEqualTo("mic_mismatch");
    assertThat(r.keysMatched()).isFalse();
  }

  @Test
  void wrappedKeysAreRejectedWithAReason() {
    EndDevice d = device(0, false).toBuilder().setSession(device(0, false).getSession()
        .toBuilder().setKeys(SessionKeys.newBuilder().setFNwkSIntKey(KeyEnvelope.newBuilder()
            .setKekLabel("ns").setEncryptedKey(ByteString.copyFrom(new byte[24]))))).build();
    UplinkMatcher.Rejected r = (UplinkMatcher.Rejected) match(d, frame(0));
    assertThat(r.reason()).isEqualTo("invalid_session");
    assertThat(r.message()).contains("wrapped");
  }

  /**
   * LoRaWAN 1.1: the first uplink after a join matches the pending session with TxCh taken from
   * the pending MAC state (here a CFList channel, 867.1 MHz = index 3), also for a device that has
   * no current MAC state yet (found by the simulator end-to-end test: a 1.1 device's first uplink
   * on a CFList channel was dropped with a MIC mismatch).
   */
  @Test
  void pendingSession11UsesThePendingMacStateChannels() {
    long[] channels = {868_100_000L, 868_300_000L, 868_500_000L, 867_100_000L, 867_300_000L};
    MACParameters.Builder params = MACParameters.newBuilder();
    for (long f : channels) {
      params.addChannels(MACParameters.Channel.newBuilder().setUplinkFrequency(f)
          .setDownlinkFrequency(f).setMaxDataRateIndex(5));
    }
    AesKey sNwk = AesKey.parse("000102030405060708090A0B0C0D0E0F");
    EndDevice d = EndDevice.newBuilder()
        .setIds(EndDeviceIdentifiers.newBuilder().setDeviceId("d")
            .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("a")))
        .setLorawanVersion(MACVersion.MAC_V1_1)
        .setPendingSession(Session.newBuilder().setDevAddr(ADDR.toString())
            .setKeys(SessionKeys.newBuilder()
                .setFNwkSIntKey(KeyEnvelope.newBuilder().setKey(KEY.toHex()))
                .setSNwkSIntKey(KeyEnvelope.newBuilder().setKey(sNwk.toHex()))
                .setNwkSEncKey(KeyEnvelope.newBuilder().setKey(sNwk.toHex()))))
        .setPendingMacState(MACState.newBuilder().setCurrentParameters(params))
        .build();
    DataFrame f = new DataFrame(MType.UNCONFIRMED_DATA_UP,
        new FHdr(ADDR, new FCtrl.Uplink(false, false, false, false), 0),
        OptionalInt.of(1), Bytes.of(new byte[] {1}), new Mic(0));
    // ConfFCnt 0, TxDr 5 (SF7BW125), TxCh 3
    Mic mic = Mics.dataUplinkMic11(sNwk, KEY, 0, 5, 3, ADDR, 0, PhyPayloadCodec.encodeWithoutMic(f));
    byte[] raw = PhyPayloadCodec.encode(f.withMic(mic));
    UplinkMessage up = UP.toBuilder().setSettings(UP.getSettings().toBuilder().setFrequency(867_100_000L))
        .setRawPayload(ByteString.copyFrom(raw)).build();
    UplinkMatcher.Result r = UplinkMatcher.match(d, (DataFrame) PhyPayloadCodec.decode(raw), raw, up, EU, 16384);
    assertThat(r).isInstanceOf(UplinkMatcher.Matched.class);
    assertThat(((UplinkMatcher.Matched) r).pending()).isTrue();
  }

  /** A confirmed frame with the last FCntUp is a retransmission to acknowledge; older ones are too low. */
  @Test
  void confirmedFrameWithTheLastCounterIsARetransmission() {
    assertThat(match(device(10, true), confirmedFrame(10)))
        .isEqualTo(new UplinkMatcher.Retransmission(10, 5));
    assertThat(((UplinkMatcher.Rejected) match(device(10, true), confirmedFrame(9))).reason())
        .isEqualTo("f_cnt_too_low");
  }

  static byte[] confirmedFrame(long fCnt32) {
    DataFrame f = new DataFrame(MType.CONFIRMED_DATA_UP,
        new FHdr(ADDR, new FCtrl.Uplink(false, false, false, false), (int) (fCnt32 & 0xFFFF)),
        OptionalInt.of(1), Bytes.of(new byte[] {1}), new Mic(0));
    Mic mic = Mics.dataUplinkMic10(KEY, ADDR, fCnt32, PhyPayloadCodec.encodeWithoutMic(f));
    return PhyPayloadCodec.encode(f.withMic(mic));
  }
}
