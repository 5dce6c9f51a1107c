package dev.loralab.cli.packet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.cli.CliInputException;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.HexBytes;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.crypto.SessionKeyDerivation;
import dev.loralab.lorawan.crypto.SessionKeys10;
import dev.loralab.lorawan.crypto.SessionKeys11;
import dev.loralab.lorawan.frame.CfList;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.EncryptedJoinAccept;
import dev.loralab.lorawan.frame.FCtrl;
import dev.loralab.lorawan.frame.JoinAccept;
import dev.loralab.lorawan.frame.JoinRequest;
import dev.loralab.lorawan.frame.MType;
import dev.loralab.lorawan.frame.PhyPayload;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import dev.loralab.lorawan.frame.Proprietary;
import dev.loralab.lorawan.frame.RejoinRequestType02;
import dev.loralab.lorawan.frame.RejoinRequestType1;
import java.util.Arrays;

/**
 * Renders a PHYPayload as a JSON tree named after The Things Stack's {@code ttn.lorawan.v3.Message}
 * ({@code m_hdr}, {@code mic}, {@code mac_payload}, {@code join_request_payload},
 * {@code join_accept_payload}, {@code rejoin_request_payload}), plus, when keys allow,
 * {@code mic_valid}, decrypted payloads, MAC commands and session keys. Byte fields are uppercase
 * hex; EUIs, DevAddr, NetID and nonces are MSB-first display strings.
 */
final class FrameReport {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private FrameReport() {}

  /**
   * @throws LoRaWanException if the frame cannot be decoded
   * @throws CliInputException if the options are inconsistent with the frame
   */
  static ObjectNode render(byte[] phy, DecodeOptions o) {
    PhyPayload p = PhyPayloadCodec.decode(phy);
    ObjectNode root = NODES.objectNode();
    ObjectNode mHdr = root.putObject("m_hdr");
    mHdr.put("m_type", ttsMType(p.mType()));
    mHdr.put("major", "LORAWAN_R1");
    byte[] msg = Arrays.copyOf(phy, Math.max(0, phy.length - Mic.SIZE));
    if (p instanceof DataFrame df) {
      data(root, df, msg, o);
    } else if (p instanceof JoinRequest jr) {
      joinRequest(root, jr, msg, o);
    } else if (p instanceof EncryptedJoinAccept eja) {
      joinAccept(root, phy, eja, o);
    } else if (p instanceof RejoinRequestType02 r) {
      rejoin02(root, r, msg, o);
    } else if (p instanceof RejoinRequestType1 r) {
      rejoin1(root, r, msg, o);
    } else if (p instanceof Proprietary pr) {
      root.put("mic", pr.mic().toString());
      root.put("proprietary_payload", pr.payload().toString());
    }
    return root;
  }

  static String ttsMType(MType t) {
    return switch (t) {
      case JOIN_REQUEST -> "JOIN_REQUEST";
      case JOIN_ACCEPT -> "JOIN_ACCEPT";
      case UNCONFIRMED_DATA_UP -> "UNCONFIRMED_UP";
      case UNCONFIRMED_DATA_DOWN -> "UNCONFIRMED_DOWN";
      case CONFIRMED_DATA_UP -> "CONFIRMED_UP";
      case CONFIRMED_DATA_DOWN -> "CONFIRMED_DOWN";
      case REJOIN_REQUEST -> "REJOIN_REQUEST";
      case PROPRIETARY -> "PROPRIETARY";
    };
  }

  // ---------------------------------------------------------------- data

  private static void data(ObjectNode root, DataFrame df, byte[] msg, DecodeOptions o) {
    root.put("mic", df.mic().toString());
    long fCnt32 = fullFCnt(df, o);
    ObjectNode mac = root.putObject("mac_payload");
    ObjectNode fHdr = mac.putObject("f_hdr");
    fHdr.put("dev_addr", df.devAddr().toString());
    ObjectNode fCtrl = fHdr.putObject("f_ctrl");
    FCtrl c = df.fHdr().fCtrl();
    fCtrl.put("adr", c.adr());
    if (c instanceof FCtrl.Uplink u) {
      fCtrl.put("adr_ack_req", u.adrAckReq());
      fCtrl.put("ack", u.ack());
      fCtrl.put("class_b", u.classB());
    } else if (c instanceof FCtrl.Downlink d) {
      fCtrl.put("ack", d.ack());
      fCtrl.put("f_pending", d.fPending());
    }
    fHdr.put("f_cnt", df.fCnt());
    fHdr.put("f_opts", df.fHdr().fOpts().toString());
    if (df.fPort().isPresent()) {
      mac.put("f_port", df.fPort().getAsInt());
    }
    mac.put("frm_payload", df.frmPayload().toString());
    mac.put("full_f_cnt", fCnt32);

    boolean v11 = o.version().is1_1();
    boolean uplink = df.uplink();
    int confFCnt = c.ack() ? o.confFCnt() : 0;
    Mic computed = null;
    if (!v11 && o.nwkSKey() != null) {
      computed = uplink
          ? Mics.dataUplinkMic10(o.nwkSKey(), df.devAddr(), fCnt32, msg)
          : Mics.dataDownlinkMic(o.nwkSKey(), df.devAddr(), fCnt32, 0, msg);
    } else if (v11 && uplink && o.sNwkSIntKey() != null && o.fNwkSIntKey() != null) {
      computed = Mics.dataUplinkMic11(o.sNwkSIntKey(), o.fNwkSIntKey(), confFCnt, o.txDr(), o.txCh(),
          df.devAddr(), fCnt32, msg);
    } else if (v11 && !uplink && o.sNwkSIntKey() != null) {
      computed = Mics.dataDownlinkMic(o.sNwkSIntKey(), df.devAddr(), fCnt32, confFCnt, msg);
    }
    if (computed != null) {
      root.put("mic_valid", Mics.equalsConstantTime(computed, df.mic()));
    }

    // FOpts: clear in 1.0.x, encrypted with NwkSEncKey in 1.1 (errata constant per counter)
    byte[] fOpts = df.fHdr().fOpts().toArray();
    byte[] macCommands = null;
    if (fOpts.length > 0) {
      if (!v11) {
        macCommands = fOpts;
      } else if (o.nwkSEncKey() != null) {
        boolean nFCntDown = df.fPort().isEmpty() || df.fPort().getAsInt() == 0;
        macCommands = PayloadCipher.fOpts11(o.nwkSEncKey(), uplink, df.devAddr(), fCnt32, nFCntDown, fOpts);
        mac.put("f_opts_decrypted", HexBytes.format(macCommands));
      }
    }
    if (df.fPort().isPresent()) {
      int fPort = df.fPort().getAsInt();
      AesKey key = fPort != 0 ? o.appSKey() : v11 ? o.nwkSEncKey() : o.nwkSKey();
      if (key != null) {
        byte[] plain = PayloadCipher.frmPayload(key, uplink, df.devAddr(), fCnt32, df.frmPayload().toArray());
        mac.put("frm_payload_decrypted", HexBytes.format(plain));
        if (fPort == 0) {
          macCommands = plain;
        }
      }
    }
    if (macCommands != null) {
      macCommands(mac, macCommands, uplink);
    }
  }

  private static long fullFCnt(DataFrame df, DecodeOptions o) {
    if (o.fullFCnt() == null) {
      return df.fCnt();
    }
    long full = o.fullFCnt();
    if (full < 0 || full > 0xFFFF_FFFFL || (full & 0xFFFF) != df.fCnt()) {
      throw new CliInputException("--f-cnt: expected a 32-bit counter whose low 16 bits are the frame's FCnt "
          + df.fCnt() + ", found " + full);
    }
    return full;
  }

  private static void macCommands(ObjectNode mac, byte[] bytes, boolean uplink) {
    try {
      ArrayNode commands = MacCommandsJson.render(bytes, uplink);
      if (commands != null) {
        mac.set("mac_commands", commands);
      }
    } catch (LoRaWanException e) {
      mac.put("mac_commands_error", e.getMessage());
    }
  }

  // ---------------------------------------------------------------- join

  private static void joinRequest(ObjectNode root, JoinRequest jr, byte[] msg, DecodeOptions o) {
    root.put("mic", jr.mic().toString());
    ObjectNode j = root.putObject("join_request_payload");
    j.put("join_eui", jr.joinEui().toString());
    j.put("dev_eui", jr.devEui().toString());
    j.put("dev_nonce", jr.devNonce().toString());
    AesKey key = rootKey(o);
    if (key != null) {
      root.put("mic_valid", Mics.equalsConstantTime(Mics.joinRequestMic(key, msg), jr.mic()));
    }
  }

  /** The key of join-request MICs and join-accept encryption: NwkKey (1.1) or AppKey (1.0.x). */
  private static AesKey rootKey(DecodeOptions o) {
    if (o.version().is1_1()) {
      return o.nwkKey() != null ? o.nwkKey() : o.appKey();
    }
    return o.appKey() != null ? o.appKey() : o.nwkKey();
  }

  private static void joinAccept(ObjectNode root, byte[] phy, EncryptedJoinAccept eja, DecodeOptions o) {
    ObjectNode j = root.putObject("join_accept_payload");
    j.put("encrypted", eja.encrypted().toString());
    AesKey key = rootKey(o);
    if (key == null) {
      return;
    }
    byte[] plain = PayloadCipher.joinAcceptDecrypt(key, eja.encrypted().toArray());
    byte[] clear = new byte[1 + plain.length];
    clear[0] = phy[0];
    System.arraycopy(plain, 0, clear, 1, plain.length);
    JoinAccept ja = PhyPayloadCodec.decodeJoinAccept(clear);
    root.put("mic", ja.mic().toString());
    j.put("join_nonce", ja.joinNonce().toString());
    j.put("net_id", ja.netId().toString());
    j.put("dev_addr", ja.devAddr().toString());
    ObjectNode dl = j.putObject("dl_settings");
    dl.put("rx1_dr_offset", ja.dlSettings().rx1DrOffset());
    dl.put("rx2_dr", ja.dlSettings().rx2DataRate());
    dl.put("opt_neg", ja.dlSettings().optNeg());
    j.put("rx_delay", ja.rxDelay());
    ja.cfList().ifPresent(cf -> cfList(j.putObject("cf_list"), cf));

    byte[] micInput = Arrays.copyOf(clear, clear.length - Mic.SIZE);
    boolean optNeg = ja.dlSettings().optNeg() && o.version().is1_1();
    Mic computed = null;
    if (!optNeg) {
      computed = Mics.joinAcceptMic10(key, micInput);
      if (o.devNonce() != null) {
        SessionKeys10 keys = SessionKeyDerivation.derive10(key, ja.joinNonce(), ja.netId(), o.devNonce());
        ObjectNode sk = sessionKeys(root, keys.asLegacy11());
        sk.set("nwk_s_key", envelope(keys.nwkSKey()));
      }
    } else {
      if (o.devEui() != null && o.joinEui() != null && o.devNonce() != null && o.nwkKey() != null) {
        AesKey jsIntKey = SessionKeyDerivation.jsIntKey(o.nwkKey(), o.devEui());
        computed = Mics.joinAcceptMic11(jsIntKey, 0xFF, o.joinEui(), o.devNonce(), micInput);
      }
      if (o.nwkKey() != null && o.appKey() != null && o.joinEui() != null && o.devNonce() != null) {
        sessionKeys(root, SessionKeyDerivation.derive11(o.nwkKey(), o.appKey(), ja.joinNonce(), o.joinEui(),
            o.devNonce()));
      }
    }
    if (computed != null) {
      root.put("mic_valid", Mics.equalsConstantTime(computed, ja.mic()));
    }
  }

  private static void cfList(ObjectNode node, CfList cf) {
    if (cf instanceof CfList.Frequencies f) {
      node.put("type", "FREQUENCIES");
      ArrayNode freq = node.putArray("freq");
      // TTS carries CFList frequencies in units of 100 Hz
      f.frequenciesHz().forEach(hz -> freq.add(hz / 100));
    } else if (cf instanceof CfList.ChannelMasks m) {
      node.put("type", "CHANNEL_MASKS");
      ArrayNode masks = node.putArray("ch_masks");
      for (int ch = 0; ch < CfList.ChannelMasks.COUNT * 16; ch++) {
        masks.add(m.enabled(ch));
      }
    }
  }

  static ObjectNode sessionKeys(ObjectNode root, SessionKeys11 keys) {
    ObjectNode sk = root.putObject("session_keys");
    sk.set("f_nwk_s_int_key", envelope(keys.fNwkSIntKey()));
    sk.set("s_nwk_s_int_key", envelope(keys.sNwkSIntKey()));
    sk.set("nwk_s_enc_key", envelope(keys.nwkSEncKey()));
    sk.set("app_s_key", envelope(keys.appSKey()));
    return sk;
  }

  /** A TTS {@code KeyEnvelope} with a clear key. */
  static ObjectNode envelope(AesKey key) {
    ObjectNode e = NODES.objectNode();
    e.put("key", key.toHex());
    return e;
  }

  // ---------------------------------------------------------------- rejoin

  private static void rejoin02(ObjectNode root, RejoinRequestType02 r, byte[] msg, DecodeOptions o) {
    root.put("mic", r.mic().toString());
    ObjectNode j = root.putObject("rejoin_request_payload");
    j.put("rejoin_type", r.rejoinType() == 0 ? "CONTEXT" : "KEYS");
    j.put("net_id", r.netId().toString());
    j.put("dev_eui", r.devEui().toString());
    j.put("rejoin_cnt", r.rjCount0());
    if (o.sNwkSIntKey() != null) {
      root.put("mic_valid", Mics.equalsConstantTime(Mics.rejoinMic(o.sNwkSIntKey(), msg), r.mic()));
    }
  }

  private static void rejoin1(ObjectNode root, RejoinRequestType1 r, byte[] msg, DecodeOptions o) {
    root.put("mic", r.mic().toString());
    ObjectNode j = root.putObject("rejoin_request_payload");
    j.put("rejoin_type", "SESSION");
    j.put("join_eui", r.joinEui().toString());
    j.put("dev_eui", r.devEui().toString());
    j.put("rejoin_cnt", r.rjCount1());
    if (o.nwkKey() != null) {
      AesKey jsIntKey = SessionKeyDerivation.jsIntKey(o.nwkKey(), r.devEui());
      root.put("mic_valid", Mics.equalsConstantTime(Mics.rejoinMic(jsIntKey, msg), r.mic()));
    }
  }
}
