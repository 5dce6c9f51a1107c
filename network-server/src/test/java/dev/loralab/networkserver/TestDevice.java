package dev.loralab.networkserver;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.DataRate;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.LoRaDataRate;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.api.v3.TxSettings;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.FCtrl;
import dev.loralab.lorawan.frame.FHdr;
import dev.loralab.lorawan.frame.JoinRequest;
import dev.loralab.lorawan.frame.MType;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import java.time.Instant;
import java.util.Arrays;
import java.util.OptionalInt;

/** Builds a device's frames with the LoRaWAN crypto, as a real device would. */
final class TestDevice {

  static final String PLAN = "EU_863_870_TTN";
  static final long FREQUENCY = 868_100_000L;
  /** SF7BW125 = DR5 in EU868. */
  static final int SF = 7;

  final EndDeviceIdentifiers ids;
  final boolean v11;
  DevAddr devAddr;
  AesKey fNwkSIntKey;
  AesKey sNwkSIntKey;
  AesKey nwkSEncKey;
  AesKey appSKey;
  /** For 1.1 uplink MICs: the FCnt of the confirmed downlink being acknowledged. */
  int confFCnt;

  TestDevice(String id, String devEui, boolean v11) {
    this.ids = EndDeviceIdentifiers.newBuilder().setDeviceId(id)
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1"))
        .setDevEui(devEui).setJoinEui("0000000000000000").build();
    this.v11 = v11;
  }

  /** An OTAA device record (no session yet). */
  EndDevice otaa() {
    return EndDevice.newBuilder().setIds(ids).setLorawanVersion(MACVersion.MAC_V1_0_3)
        .setFrequencyPlanId(PLAN).setSupportsJoin(true).build();
  }

  /** An ABP device record with a session under these keys. */
  EndDevice abp(String addr, AesKey f, AesKey s, AesKey e, AesKey app) {
    devAddr = DevAddr.parse(addr);
    fNwkSIntKey = f;
    sNwkSIntKey = s;
    nwkSEncKey = e;
    appSKey = app;
    SessionKeys.Builder k = SessionKeys.newBuilder()
        .setSessionKeyId(ByteString.copyFromUtf8("abp-" + addr))
        .setFNwkSIntKey(KeyEnvelope.newBuilder().setKey(f.toHex()))
        .setSNwkSIntKey(KeyEnvelope.newBuilder().setKey(s.toHex()))
        .setNwkSEncKey(KeyEnvelope.newBuilder().setKey(e.toHex()));
    return EndDevice.newBuilder().setIds(ids)
        .setLorawanVersion(v11 ? MACVersion.MAC_V1_1 : MACVersion.MAC_V1_0_3)
        .setFrequencyPlanId(PLAN)
        .setSession(Session.newBuilder().setDevAddr(addr).setKeys(k))
        .build();
  }

  byte[] joinRequest(AesKey appKey, int devNonce) {
    JoinRequest jr = new JoinRequest(Eui64.parse(ids.getJoinEui()), Eui64.parse(ids.getDevEui()),
        new DevNonce(devNonce), new Mic(0));
    Mic mic = Mics.joinRequestMic(appKey, PhyPayloadCodec.encodeWithoutMic(jr));
    return PhyPayloadCodec.encode(jr.withMic(mic));
  }

  /** A data uplink. {@code macCommands} go in FOpts (clear bytes; encrypted here in 1.1). */
  byte[] uplink(long fCnt, boolean confirmed, int fPort, byte[] payload, byte[] macCommands,
      boolean adr, boolean ack) {
    return uplink(fCnt, confirmed, fPort, payload, macCommands, adr, ack, false);
  }

  /** A data uplink, optionally with ADRACKReq set. */
  byte[] uplink(long fCnt, boolean confirmed, int fPort, byte[] payload, byte[] macCommands,
      boolean adr, boolean ack, boolean adrAckReq) {
    byte[] fOpts = macCommands == null ? new byte[0] : macCommands;
    if (v11 && fOpts.length > 0) {
      fOpts = PayloadCipher.fOpts11(nwkSEncKey, true, devAddr, fCnt, true, fOpts);
    }
    OptionalInt port = fPort < 0 ? OptionalInt.empty() : OptionalInt.of(fPort);
    Bytes frm = Bytes.EMPTY;
    if (fPort >= 0) {
      AesKey k = fPort == 0 ? nwkSEncKey : appSKey;
      frm = Bytes.of(PayloadCipher.frmPayload(k, true, devAddr, fCnt, payload));
    }
    DataFrame f = new DataFrame(MType.data(true, confirmed),
        new FHdr(devAddr, new FCtrl.Uplink(adr, adrAckReq, ack, false), (int) (fCnt & 0xFFFF),
            Bytes.of(fOpts)), port, frm, new Mic(0));
    byte[] msg = PhyPayloadCodec.encodeWithoutMic(f);
    Mic mic = v11
        ? Mics.dataUplinkMic11(sNwkSIntKey, fNwkSIntKey, ack ? confFCnt : 0, 5, 0, devAddr, fCnt,
            msg)
        : Mics.dataUplinkMic10(fNwkSIntKey, devAddr, fCnt, msg);
    return PhyPayloadCodec.encode(f.withMic(mic));
  }

  /** Decodes a downlink, checking its MIC; returns the frame. */
  DataFrame downlink(byte[] raw, long fCnt32, int ackedFCntUp) {
    DataFrame f = (DataFrame) PhyPayloadCodec.decode(raw);
    byte[] msg = Arrays.copyOf(raw, raw.length - 4);
    int conf = v11 && f.fHdr().fCtrl().ack() ? ackedFCntUp & 0xFFFF : 0;
    Mic mic = Mics.dataDownlinkMic(sNwkSIntKey, devAddr, fCnt32, conf, msg);
    if (!mic.equals(f.mic())) {
      throw new AssertionError("downlink MIC mismatch");
    }
    return f;
  }

  /** The clear MAC commands of a downlink (FOpts or FPort 0). */
  byte[] downlinkMac(DataFrame f, long fCnt32) {
    if (f.fPort().isPresent() && f.fPort().getAsInt() == 0) {
      return PayloadCipher.frmPayload(nwkSEncKey, false, devAddr, fCnt32,
          f.frmPayload().toArray());
    }
    byte[] fOpts = f.fHdr().fOpts().toArray();
    if (v11 && fOpts.length > 0) {
      boolean nFCnt = f.fPort().isEmpty() || f.fPort().getAsInt() == 0;
      return PayloadCipher.fOpts11(nwkSEncKey, false, devAddr, fCnt32, nFCnt, fOpts);
    }
    return fOpts;
  }

  /** One gateway's copy of {@code raw}. */
  static UplinkMessage copy(byte[] raw, String gateway, float snr, float rssi, String gsUplinkId) {
    return UplinkMessage.newBuilder()
        .setRawPayload(ByteString.copyFrom(raw))
        .setSettings(TxSettings.newBuilder().setFrequency(FREQUENCY)
            .setDataRate(DataRate.newBuilder().setLora(LoRaDataRate.newBuilder()
                .setSpreadingFactor(SF).setBandwidth(125_000))))
        .addRxMetadata(RxMetadata.newBuilder()
            .setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId(gateway))
            .setSnr(snr).setRssi(rssi)
            .setUplinkToken(ByteString.copyFromUtf8("token-" + gateway)))
        .setReceivedAt(Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond()))
        .addCorrelationIds("gs:uplink:" + gsUplinkId)
        .build();
  }
}
