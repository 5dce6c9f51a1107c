package dev.loralab.lorawan.frame;

import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.internal.FrequencyField;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.NetId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Encodes and decodes PHYPayloads (LoRaWAN 1.1 §4, §6.2). Pure functions: bytes in, value out.
 *
 * <p>Every decoder accepts arbitrary bytes and either returns a value or throws
 * {@link LoRaWanException} naming the field, what was expected and what was found. RFU bits are
 * ignored on decode and written as 0 on encode, so MICs must be verified over the received bytes,
 * not over a re-encoding.
 */
public final class PhyPayloadCodec {

  /** The largest PHYPayload a LoRa radio carries (255 bytes); the default size limit. */
  public static final int DEFAULT_MAX_SIZE = 255;

  private static final int MHDR = 1;
  private static final int MIC = Mic.SIZE;

  private PhyPayloadCodec() {}

  /** Decodes a PHYPayload of at most {@link #DEFAULT_MAX_SIZE} bytes. */
  public static PhyPayload decode(byte[] phy) {
    return decode(phy, DEFAULT_MAX_SIZE);
  }

  /**
   * Decodes a PHYPayload. A join-accept is returned as {@link EncryptedJoinAccept}.
   *
   * @param phy the bytes as received
   * @param maxSize the largest accepted length
   * @throws LoRaWanException on any malformed input
   */
  public static PhyPayload decode(byte[] phy, int maxSize) {
    MHdr mhdr = checkHeader(phy, maxSize);
    return switch (mhdr.mType()) {
      case JOIN_REQUEST -> decodeJoinRequest(phy);
      case JOIN_ACCEPT -> decodeEncryptedJoinAccept(phy);
      case UNCONFIRMED_DATA_UP, UNCONFIRMED_DATA_DOWN, CONFIRMED_DATA_UP, CONFIRMED_DATA_DOWN ->
          decodeData(phy, mhdr.mType());
      case REJOIN_REQUEST -> decodeRejoin(phy);
      case PROPRIETARY -> decodeProprietary(phy);
    };
  }

  /**
   * Decodes a join-accept in clear form, {@code MHDR | plaintext} (17 or 33 bytes), i.e. after
   * the bytes following MHDR have been decrypted.
   *
   * @throws LoRaWanException on any malformed input
   */
  public static JoinAccept decodeJoinAccept(byte[] clearPhy) {
    MHdr mhdr = checkHeader(clearPhy, JoinAccept.SIZE_WITH_CFLIST);
    if (mhdr.mType() != MType.JOIN_ACCEPT) {
      throw new LoRaWanException("MHDR.MType", "JOIN_ACCEPT", mhdr.mType().name());
    }
    int n = clearPhy.length;
    if (n != JoinAccept.SIZE && n != JoinAccept.SIZE_WITH_CFLIST) {
      throw new LoRaWanException("JoinAccept", "17 or 33 bytes", n + " bytes");
    }
    JoinNonce joinNonce = JoinNonce.readLittleEndian(clearPhy, 1);
    NetId netId = NetId.readLittleEndian(clearPhy, 4);
    DevAddr devAddr = DevAddr.readLittleEndian(clearPhy, 7);
    DlSettings dl = DlSettings.decode(clearPhy[11] & 0xFF);
    int rxDelay = clearPhy[12] & 0x0F;
    Optional<CfList> cfList = n == JoinAccept.SIZE_WITH_CFLIST ? Optional.of(decodeCfList(clearPhy, 13)) : Optional.empty();
    return new JoinAccept(joinNonce, netId, devAddr, dl, rxDelay, cfList, Mic.of(clearPhy, n - MIC));
  }

  /**
   * Encodes a frame. A {@link JoinAccept} is encoded in clear form ({@code MHDR | plaintext | MIC});
   * encrypt the bytes after MHDR before sending it.
   *
   * @throws LoRaWanException if the frame exceeds {@link #DEFAULT_MAX_SIZE} bytes
   */
  public static byte[] encode(PhyPayload p) {
    if (p == null) {
      throw new LoRaWanException("PHYPayload", "a frame", "null");
    }
    byte[] out;
    if (p instanceof JoinRequest jr) {
      out = encodeJoinRequest(jr);
    } else if (p instanceof JoinAccept ja) {
      out = encodeJoinAccept(ja);
    } else if (p instanceof EncryptedJoinAccept eja) {
      out = withMhdr(MType.JOIN_ACCEPT, eja.encrypted());
    } else if (p instanceof DataFrame df) {
      out = encodeData(df);
    } else if (p instanceof RejoinRequestType02 r) {
      out = encodeRejoin02(r);
    } else if (p instanceof RejoinRequestType1 r) {
      out = encodeRejoin1(r);
    } else {
      out = encodeProprietary((Proprietary) p);
    }
    if (out.length > DEFAULT_MAX_SIZE) {
      throw new LoRaWanException("PHYPayload", "at most " + DEFAULT_MAX_SIZE + " bytes", out.length + " bytes");
    }
    return out;
  }

  /**
   * The encoded frame without its last four bytes: the MIC input of a join-request, rejoin-request
   * or data message, and the 1.0 join-accept MIC input ({@code MHDR | JoinNonce | ... | CFList}).
   *
   * @throws LoRaWanException for an {@link EncryptedJoinAccept}, whose MIC is not separable
   */
  public static byte[] encodeWithoutMic(PhyPayload p) {
    if (p instanceof EncryptedJoinAccept) {
      throw new LoRaWanException("PHYPayload", "a frame with a clear MIC", "an encrypted join-accept");
    }
    byte[] full = encode(p);
    return Arrays.copyOf(full, full.length - MIC);
  }

  // ---------------------------------------------------------------- decoding

  private static MHdr checkHeader(byte[] phy, int maxSize) {
    if (phy == null) {
      throw new LoRaWanException("PHYPayload", "bytes", "null");
    }
    if (phy.length < MHDR) {
      throw new LoRaWanException("PHYPayload", "at least 1 byte (MHDR)", "0 bytes");
    }
    if (phy.length > maxSize) {
      throw new LoRaWanException("PHYPayload", "at most " + maxSize + " bytes", phy.length + " bytes");
    }
    MHdr mhdr = MHdr.decode(phy[0]);
    // §4.2.2: a frame with an unknown Major is not LoRaWAN R1 and must be dropped
    if (mhdr.major() != MHdr.MAJOR_LORAWAN_R1) {
      throw new LoRaWanException("MHDR.Major", "0 (LoRaWAN R1)", Integer.toString(mhdr.major()));
    }
    return mhdr;
  }

  private static void exactLength(byte[] phy, int expected, String what) {
    if (phy.length != expected) {
      throw new LoRaWanException(what, expected + " bytes", phy.length + " bytes");
    }
  }

  private static JoinRequest decodeJoinRequest(byte[] phy) {
    exactLength(phy, JoinRequest.SIZE, "JoinRequest");
    return new JoinRequest(Eui64.readLittleEndian(phy, 1), Eui64.readLittleEndian(phy, 9),
        DevNonce.readLittleEndian(phy, 17), Mic.of(phy, 19));
  }

  private static EncryptedJoinAccept decodeEncryptedJoinAccept(byte[] phy) {
    if (phy.length != JoinAccept.SIZE && phy.length != JoinAccept.SIZE_WITH_CFLIST) {
      throw new LoRaWanException("JoinAccept", "17 or 33 bytes", phy.length + " bytes");
    }
    return new EncryptedJoinAccept(Bytes.of(phy, MHDR, phy.length - MHDR));
  }

  private static CfList decodeCfList(byte[] b, int off) {
    int type = b[off + 15] & 0xFF;
    switch (type) {
      case 0: {
        List<Long> f = new ArrayList<>(CfList.Frequencies.COUNT);
        for (int i = 0; i < CfList.Frequencies.COUNT; i++) {
          f.add(FrequencyField.read(b, off + 3 * i));
        }
        return new CfList.Frequencies(f);
      }
      case 1: {
        List<Integer> m = new ArrayList<>(CfList.ChannelMasks.COUNT);
        for (int i = 0; i < CfList.ChannelMasks.COUNT; i++) {
          m.add((b[off + 2 * i] & 0xFF) | (b[off + 2 * i + 1] & 0xFF) << 8);
        }
        return new CfList.ChannelMasks(m); // byte 14 is RFU
      }
      default:
        throw new LoRaWanException("CFList.CFListType", "0 (frequencies) or 1 (channel masks)", Integer.toString(type));
    }
  }

  private static DataFrame decodeData(byte[] phy, MType mType) {
    int n = phy.length;
    int min = MHDR + FHdr.MIN_SIZE + MIC;
    if (n < min) {
      throw new LoRaWanException("DataFrame", "at least " + min + " bytes (MHDR, FHDR, MIC)", n + " bytes");
    }
    DevAddr devAddr = DevAddr.readLittleEndian(phy, 1);
    int fCtrlByte = phy[5] & 0xFF;
    int fOptsLen = fCtrlByte & 0x0F;
    int available = n - min;
    if (fOptsLen > available) {
      throw new LoRaWanException("FHDR.FOptsLen", "at most " + available + " bytes available", Integer.toString(fOptsLen));
    }
    int fCnt = (phy[6] & 0xFF) | (phy[7] & 0xFF) << 8;
    Bytes fOpts = Bytes.of(phy, 8, fOptsLen);
    FHdr fHdr = new FHdr(devAddr, FCtrl.decode(fCtrlByte, mType.uplink()), fCnt, fOpts);
    int portOff = 8 + fOptsLen;
    int rest = n - MIC - portOff;
    OptionalInt fPort = rest > 0 ? OptionalInt.of(phy[portOff] & 0xFF) : OptionalInt.empty();
    Bytes frm = rest > 1 ? Bytes.of(phy, portOff + 1, rest - 1) : Bytes.EMPTY;
    return new DataFrame(mType, fHdr, fPort, frm, Mic.of(phy, n - MIC));
  }

  private static RejoinRequest decodeRejoin(byte[] phy) {
    if (phy.length < 2) {
      throw new LoRaWanException("RejoinRequest.RejoinType", "1 byte", "0 bytes");
    }
    int type = phy[1] & 0xFF;
    switch (type) {
      case 0:
      case 2:
        exactLength(phy, RejoinRequestType02.SIZE, "RejoinRequest(type " + type + ")");
        return new RejoinRequestType02(type, NetId.readLittleEndian(phy, 2), Eui64.readLittleEndian(phy, 5),
            (phy[13] & 0xFF) | (phy[14] & 0xFF) << 8, Mic.of(phy, 15));
      case 1:
        exactLength(phy, RejoinRequestType1.SIZE, "RejoinRequest(type 1)");
        return new RejoinRequestType1(Eui64.readLittleEndian(phy, 2), Eui64.readLittleEndian(phy, 10),
            (phy[18] & 0xFF) | (phy[19] & 0xFF) << 8, Mic.of(phy, 20));
      default:
        throw new LoRaWanException("RejoinRequest.RejoinType", "0, 1 or 2", Integer.toString(type));
    }
  }

  private static Proprietary decodeProprietary(byte[] phy) {
    if (phy.length < MHDR + MIC) {
      throw new LoRaWanException("Proprietary", "at least 5 bytes (MHDR, MIC)", phy.length + " bytes");
    }
    return new Proprietary(Bytes.of(phy, MHDR, phy.length - MHDR - MIC), Mic.of(phy, phy.length - MIC));
  }

  // ---------------------------------------------------------------- encoding

  private static byte[] encodeJoinRequest(JoinRequest jr) {
    byte[] out = new byte[JoinRequest.SIZE];
    out[0] = (byte) MHdr.of(MType.JOIN_REQUEST).encode();
    jr.joinEui().writeLittleEndian(out, 1);
    jr.devEui().writeLittleEndian(out, 9);
    jr.devNonce().writeLittleEndian(out, 17);
    jr.mic().write(out, 19);
    return out;
  }

  private static byte[] encodeJoinAccept(JoinAccept ja) {
    int n = ja.cfList().isPresent() ? JoinAccept.SIZE_WITH_CFLIST : JoinAccept.SIZE;
    byte[] out = new byte[n];
    out[0] = (byte) MHdr.of(MType.JOIN_ACCEPT).encode();
    ja.joinNonce().writeLittleEndian(out, 1);
    ja.netId().writeLittleEndian(out, 4);
    ja.devAddr().writeLittleEndian(out, 7);
    out[11] = (byte) ja.dlSettings().encode();
    out[12] = (byte) ja.rxDelay();
    ja.cfList().ifPresent(cf -> encodeCfList(cf, out, 13));
    ja.mic().write(out, n - MIC);
    return out;
  }

  private static void encodeCfList(CfList cf, byte[] out, int off) {
    if (cf instanceof CfList.Frequencies f) {
      for (int i = 0; i < CfList.Frequencies.COUNT; i++) {
        FrequencyField.write(f.frequenciesHz().get(i), out, off + 3 * i);
      }
    } else {
      CfList.ChannelMasks m = (CfList.ChannelMasks) cf;
      for (int i = 0; i < CfList.ChannelMasks.COUNT; i++) {
        int v = m.chMasks().get(i);
        out[off + 2 * i] = (byte) v;
        out[off + 2 * i + 1] = (byte) (v >>> 8);
      }
    }
    out[off + 15] = (byte) cf.type();
  }

  private static byte[] withMhdr(MType mType, Bytes body) {
    byte[] out = new byte[MHDR + body.length()];
    out[0] = (byte) MHdr.of(mType).encode();
    body.copyTo(out, MHDR);
    return out;
  }

  private static byte[] encodeData(DataFrame df) {
    FHdr h = df.fHdr();
    int fOptsLen = h.fOpts().length();
    int n = MHDR + h.size() + (df.fPort().isPresent() ? 1 : 0) + df.frmPayload().length() + MIC;
    byte[] out = new byte[n];
    out[0] = (byte) MHdr.of(df.mType()).encode();
    h.devAddr().writeLittleEndian(out, 1);
    out[5] = (byte) (h.fCtrl().encodeFlags() | fOptsLen);
    out[6] = (byte) h.fCnt();
    out[7] = (byte) (h.fCnt() >>> 8);
    h.fOpts().copyTo(out, 8);
    int off = 8 + fOptsLen;
    if (df.fPort().isPresent()) {
      out[off++] = (byte) df.fPort().getAsInt();
      df.frmPayload().copyTo(out, off);
    }
    df.mic().write(out, n - MIC);
    return out;
  }

  private static byte[] encodeRejoin02(RejoinRequestType02 r) {
    byte[] out = new byte[RejoinRequestType02.SIZE];
    out[0] = (byte) MHdr.of(MType.REJOIN_REQUEST).encode();
    out[1] = (byte) r.rejoinType();
    r.netId().writeLittleEndian(out, 2);
    r.devEui().writeLittleEndian(out, 5);
    out[13] = (byte) r.rjCount0();
    out[14] = (byte) (r.rjCount0() >>> 8);
    r.mic().write(out, 15);
    return out;
  }

  private static byte[] encodeRejoin1(RejoinRequestType1 r) {
    byte[] out = new byte[RejoinRequestType1.SIZE];
    out[0] = (byte) MHdr.of(MType.REJOIN_REQUEST).encode();
    out[1] = 1;
    r.joinEui().writeLittleEndian(out, 2);
    r.devEui().writeLittleEndian(out, 10);
    out[18] = (byte) r.rjCount1();
    out[19] = (byte) (r.rjCount1() >>> 8);
    r.mic().write(out, 20);
    return out;
  }

  private static byte[] encodeProprietary(Proprietary p) {
    byte[] out = new byte[MHDR + p.payload().length() + MIC];
    out[0] = (byte) MHdr.of(MType.PROPRIETARY).encode();
    p.payload().copyTo(out, MHDR);
    p.mic().write(out, out.length - MIC);
    return out;
  }
}
