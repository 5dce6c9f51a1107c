package dev.loralab.lorawan;

import static dev.loralab.lorawan.LoRaWanVectorsTest.hex;
import static dev.loralab.lorawan.LoRaWanVectorsTest.key;
import static dev.loralab.lorawan.LoRaWanVectorsTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.EncryptedJoinAccept;
import dev.loralab.lorawan.frame.JoinAccept;
import dev.loralab.lorawan.frame.JoinRequest;
import dev.loralab.lorawan.frame.MType;
import dev.loralab.lorawan.frame.PhyPayload;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import dev.loralab.lorawan.frame.Proprietary;
import java.util.Arrays;

/**
 * The {@code full_phypayload_decode} vectors: the frame codec's decoding (and re-encoding) and
 * the crypto side (MIC, FRMPayload and FOpts decryption, join-accept decryption).
 */
final class FullPhyPayloadVectors {

  private FullPhyPayloadVectors() {}

  static void check(JsonNode v) {
    JsonNode in = v.get("inputs");
    JsonNode ex = v.get("expected");
    byte[] phy = hex(text(in, "phypayload"));
    if (in.has("phypayload_base64")) {
      assertThat(java.util.Base64.getDecoder().decode(text(in, "phypayload_base64"))).isEqualTo(phy);
    }
    codec(ex, phy);
    switch (text(ex, "mtype")) {
      case "UnconfirmedDataUp", "ConfirmedDataUp", "UnconfirmedDataDown", "ConfirmedDataDown" ->
          dataFrame(in, ex, phy);
      case "JoinAccept" -> joinAccept(in, ex, phy);
      case "JoinRequest" -> joinRequest(ex, phy);
      case "Proprietary" -> proprietary(ex, phy);
      default -> throw new AssertionError("unexpected mtype " + text(ex, "mtype"));
    }
  }

  /** Decodes with {@link PhyPayloadCodec} and checks the fields and the re-encoding. */
  private static void codec(JsonNode ex, byte[] phy) {
    if (ex.has("mhdr") && (phy[0] & 0x03) != 0) {
      // RFU Major: a conformant receiver drops the frame (LoRaWAN 1.1 §4.2.2)
      assertThatThrownBy(() -> PhyPayloadCodec.decode(phy))
          .isInstanceOf(LoRaWanException.class)
          .hasMessageContaining("MHDR.Major");
      return;
    }
    PhyPayload p = PhyPayloadCodec.decode(phy);
    assertThat(p.mType()).isEqualTo(switch (text(ex, "mtype")) {
      case "UnconfirmedDataUp" -> MType.UNCONFIRMED_DATA_UP;
      case "ConfirmedDataUp" -> MType.CONFIRMED_DATA_UP;
      case "UnconfirmedDataDown" -> MType.UNCONFIRMED_DATA_DOWN;
      case "ConfirmedDataDown" -> MType.CONFIRMED_DATA_DOWN;
      case "JoinAccept" -> MType.JOIN_ACCEPT;
      case "JoinRequest" -> MType.JOIN_REQUEST;
      case "Proprietary" -> MType.PROPRIETARY;
      default -> throw new AssertionError(text(ex, "mtype"));
    });
    assertThat(PhyPayloadCodec.encode(p)).isEqualTo(phy);
    if (p instanceof DataFrame df) {
      assertThat(df.devAddr()).isEqualTo(DevAddr.parse(text(ex, "dev_addr")));
      assertThat(df.fCnt()).isEqualTo(ex.get("fcnt").asInt());
      assertThat(df.fPort().getAsInt()).isEqualTo(ex.get("fport").asInt());
      assertThat(df.frmPayload()).isEqualTo(Bytes.parse(text(ex, "frm_payload")));
      if (ex.has("fopts")) {
        assertThat(df.fHdr().fOpts()).isEqualTo(Bytes.parse(text(ex, "fopts")));
      }
      if (ex.has("ack")) {
        assertThat(df.fHdr().fCtrl().ack()).isEqualTo(ex.get("ack").asBoolean());
      }
      assertThat(df.mic()).isEqualTo(Mic.parse(text(ex, "mic")));
    } else if (p instanceof JoinRequest jr) {
      assertThat(jr.joinEui()).isEqualTo(Eui64.parse(text(ex, "join_eui")));
      assertThat(jr.devEui()).isEqualTo(Eui64.parse(text(ex, "dev_eui")));
      assertThat(jr.devNonce()).isEqualTo(DevNonce.parse(text(ex, "dev_nonce_display")));
      assertThat(jr.mic()).isEqualTo(Mic.parse(text(ex, "mic")));
    } else if (p instanceof Proprietary pr) {
      assertThat(pr.payload()).isEqualTo(Bytes.parse(text(ex, "macpayload")));
      assertThat(pr.mic()).isEqualTo(Mic.parse(text(ex, "mic")));
    } else {
      assertThat(p).isInstanceOf(EncryptedJoinAccept.class);
    }
  }

  private static void dataFrame(JsonNode in, JsonNode ex, byte[] phy) {
    int mType = (phy[0] & 0xFF) >>> 5;
    boolean uplink = mType == 2 || mType == 4;
    DevAddr devAddr = DevAddr.readLittleEndian(phy, 1);
    int fCtrl = phy[5] & 0xFF;
    int fCnt = (phy[6] & 0xFF) | (phy[7] & 0xFF) << 8;
    int fOptsLen = fCtrl & 0x0F;
    byte[] fOpts = Arrays.copyOfRange(phy, 8, 8 + fOptsLen);
    int portAt = 8 + fOptsLen;
    Integer fPort = portAt < phy.length - 4 ? phy[portAt] & 0xFF : null;
    byte[] frm = fPort == null ? new byte[0] : Arrays.copyOfRange(phy, portAt + 1, phy.length - 4);
    byte[] msg = Arrays.copyOf(phy, phy.length - 4);
    Mic mic = Mic.of(phy, phy.length - 4);

    assertThat(devAddr).isEqualTo(DevAddr.parse(text(ex, "dev_addr")));
    assertThat(HexBytes.format(new byte[] {(byte) fCtrl})).isEqualTo(text(ex, "fctrl"));
    assertThat(fCnt).isEqualTo(ex.get("fcnt").asInt());
    if (ex.has("fopts")) {
      assertThat(HexBytes.format(fOpts)).isEqualTo(text(ex, "fopts"));
    }
    assertThat(fPort).isEqualTo(ex.get("fport").asInt());
    assertThat(HexBytes.format(frm)).isEqualTo(text(ex, "frm_payload"));
    assertThat(mic).isEqualTo(Mic.parse(text(ex, "mic")));

    boolean v11 = "1.1".equals(text(in, "version"));
    Mic computed;
    AesKey frmKey;
    if (v11) {
      int confFCnt = in.get("conf_fcnt").asInt();
      computed = uplink
          ? Mics.dataUplinkMic11(key(in, "s_nwk_s_int_key"), key(in, "f_nwk_s_int_key"), confFCnt,
              in.get("tx_dr").asInt(), in.get("tx_ch").asInt(), devAddr, fCnt, msg)
          : Mics.dataDownlinkMic(key(in, "s_nwk_s_int_key"), devAddr, fCnt, confFCnt, msg);
      frmKey = fPort == 0 ? key(in, "nwk_s_enc_key") : key(in, "app_s_key");
      if (ex.has("fopts_plaintext")) {
        boolean nFCntDown = fPort == null || fPort == 0;
        assertThat(HexBytes.format(PayloadCipher.fOpts11(key(in, "nwk_s_enc_key"), uplink, devAddr,
            fCnt, nFCntDown, fOpts))).isEqualTo(text(ex, "fopts_plaintext"));
      }
    } else {
      AesKey nwkSKey = key(in, "nwk_s_key");
      computed = uplink
          ? Mics.dataUplinkMic10(nwkSKey, devAddr, fCnt, msg)
          : Mics.dataDownlinkMic(nwkSKey, devAddr, fCnt, 0, msg);
      frmKey = fPort == 0 ? nwkSKey : key(in, "app_s_key");
    }
    assertThat(computed).isEqualTo(mic);
    assertThat(Mics.equalsConstantTime(computed, mic)).isTrue();
    assertThat(HexBytes.format(PayloadCipher.frmPayload(frmKey, uplink, devAddr, fCnt, frm)))
        .isEqualTo(text(ex, "frm_plaintext"));
  }

  private static void joinAccept(JsonNode in, JsonNode ex, byte[] phy) {
    int body = phy.length - 1;
    if (!in.has("key")) {
      // lp_parse_join_accept_major3: Major 11 (RFU) and a 31-byte body; a strict receiver drops it
      assertThat(phy[0] & 0x03).isNotZero();
      assertThat(body).isNotIn(16, 32);
      return;
    }
    byte[] plain = PayloadCipher.joinAcceptDecrypt(key(in, "key"), Arrays.copyOfRange(phy, 1, phy.length));
    assertThat(JoinNonce.readLittleEndian(plain, 0).value()).isEqualTo(ex.get("join_nonce").asInt());
    assertThat(NetId.readLittleEndian(plain, 3)).isEqualTo(NetId.parse(text(ex, "net_id")));
    assertThat(DevAddr.readLittleEndian(plain, 6)).isEqualTo(DevAddr.parse(text(ex, "dev_addr")));
    assertThat(HexBytes.format(plain, 10, 1)).isEqualTo(text(ex, "dl_settings"));
    assertThat(plain[11] & 0xFF).isEqualTo(ex.get("rx_delay").asInt());
    Mic mic = Mic.of(plain, plain.length - 4);
    assertThat(mic).isEqualTo(Mic.parse(text(ex, "mic")));
    byte[] msg = new byte[plain.length - 3];
    msg[0] = phy[0];
    System.arraycopy(plain, 0, msg, 1, plain.length - 4);
    assertThat(Mics.joinAcceptMic10(key(in, "key"), msg)).isEqualTo(mic);
    byte[] clear = new byte[phy.length];
    clear[0] = phy[0];
    System.arraycopy(plain, 0, clear, 1, plain.length);
    JoinAccept ja = PhyPayloadCodec.decodeJoinAccept(clear);
    assertThat(ja.joinNonce().value()).isEqualTo(ex.get("join_nonce").asInt());
    assertThat(ja.netId()).isEqualTo(NetId.parse(text(ex, "net_id")));
    assertThat(ja.devAddr()).isEqualTo(DevAddr.parse(text(ex, "dev_addr")));
    assertThat(ja.rxDelay()).isEqualTo(ex.get("rx_delay").asInt());
    assertThat(ja.dlSettings().encode()).isEqualTo(Integer.parseInt(text(ex, "dl_settings"), 16));
    assertThat(ja.mic()).isEqualTo(mic);
    assertThat(PhyPayloadCodec.encodeWithoutMic(ja)).isEqualTo(msg);
  }

  private static void joinRequest(JsonNode ex, byte[] phy) {
    assertThat(phy).hasSize(23);
    assertThat(Eui64.readLittleEndian(phy, 1)).isEqualTo(Eui64.parse(text(ex, "join_eui")));
    assertThat(Eui64.readLittleEndian(phy, 9)).isEqualTo(Eui64.parse(text(ex, "dev_eui")));
    assertThat(DevNonce.readLittleEndian(phy, 17)).isEqualTo(DevNonce.parse(text(ex, "dev_nonce_display")));
    assertThat(Mic.of(phy, 19)).isEqualTo(Mic.parse(text(ex, "mic")));
  }

  private static void proprietary(JsonNode ex, byte[] phy) {
    assertThat(HexBytes.format(phy, 1, phy.length - 5)).isEqualTo(text(ex, "macpayload"));
    assertThat(Mic.of(phy, phy.length - 4)).isEqualTo(Mic.parse(text(ex, "mic")));
  }
}
