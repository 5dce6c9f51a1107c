package dev.loralab.joinserver;

import com.google.protobuf.ByteString;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.CFList;
import dev.loralab.api.v3.DLSettings;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.JoinRequest;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import java.util.Arrays;
import java.util.concurrent.Executor;

/** Devices and join-requests for the Join Server tests. */
final class JoinFixture {

  static final Eui64 JOIN_EUI = Eui64.parse("70B3D57ED0000001");
  static final Eui64 DEV_EUI = Eui64.parse("70B3D57ED0050EAD");
  static final AesKey APP_KEY = AesKey.parse("2B7E151628AED2A6ABF7158809CF4F3C");
  static final AesKey NWK_KEY = AesKey.parse("000102030405060708090A0B0C0D0E0F");
  static final AesKey WRONG_KEY = AesKey.parse("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");
  /** DevAddr 00FF52E3 as the Network Server sends it (MSB first). */
  static final byte[] DEV_ADDR = {0x00, (byte) 0xFF, 0x52, (byte) 0xE3};
  /** NetID 000013. */
  static final byte[] NET_ID = {0x00, 0x00, 0x13};

  private JoinFixture() {}

  static EndDeviceIdentifiers ids() {
    return EndDeviceIdentifiers.newBuilder().setDeviceId("dev2")
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1"))
        .setDevEui(DEV_EUI.toString()).setJoinEui(JOIN_EUI.toString()).build();
  }

  static JoinDevice device10(dev.loralab.lorawan.MacVersion v) {
    return JoinDevice.of(ids(), v, APP_KEY, java.util.Optional.empty());
  }

  static JoinDevice device11() {
    return JoinDevice.of(ids(), dev.loralab.lorawan.MacVersion.V1_1, APP_KEY,
        java.util.Optional.of(NWK_KEY));
  }

  /** The device side: a join-request PHYPayload with its MIC under {@code key}. */
  static byte[] joinRequestPhy(AesKey key, Eui64 joinEui, Eui64 devEui, int devNonce) {
    dev.loralab.lorawan.frame.JoinRequest f = new dev.loralab.lorawan.frame.JoinRequest(joinEui,
        devEui, new DevNonce(devNonce), new Mic(0));
    Mic mic = Mics.joinRequestMic(key, PhyPayloadCodec.encodeWithoutMic(f));
    return PhyPayloadCodec.encode(f.withMic(mic));
  }

  /** The Network Server side: a JoinRequest message as in the seed's cluster attempt. */
  static JoinRequest request(byte[] phy, MACVersion selected) {
    return JoinRequest.newBuilder()
        .setRawPayload(ByteString.copyFrom(phy))
        .setDevAddr(ByteString.copyFrom(DEV_ADDR))
        .setNetId(ByteString.copyFrom(NET_ID))
        .setSelectedMacVersion(selected)
        .setDownlinkSettings(DLSettings.newBuilder().setRx1DrOffset(1).setRx2Dr(3))
        .setRxDelay(5)
        .setCfList(CFList.newBuilder().addFreq(8671000).addFreq(8673000).addFreq(8675000)
            .addFreq(8677000).addFreq(8679000))
        .addCorrelationIds("ns:uplink:01G76SF01C64KZ26CKK4SK5G10")
        .build();
  }

  static JoinRequest request(AesKey key, int devNonce, MACVersion selected) {
    return request(joinRequestPhy(key, JOIN_EUI, DEV_EUI, devNonce), selected);
  }

  /** The device side: {@code MHDR | clear body | MIC} of an encrypted join-accept. */
  static byte[] decryptJoinAccept(byte[] phy, AesKey key) {
    byte[] body = PayloadCipher.joinAcceptDecrypt(key, Arrays.copyOfRange(phy, 1, phy.length));
    byte[] clear = new byte[phy.length];
    clear[0] = phy[0];
    System.arraycopy(body, 0, clear, 1, body.length);
    return clear;
  }

  static final Executor DIRECT = Runnable::run;
}
