package dev.loralab.lorawan.crypto;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.internal.Cmac128;

/**
 * Message integrity codes of every LoRaWAN frame type: the first 4 bytes of an AES-128 CMAC over
 * the frame (without its MIC), prefixed by a block for data frames and 1.1 join-accepts.
 *
 * <p>All {@code msg} arguments are the PHYPayload bytes in wire order from MHDR up to, not
 * including, the MIC; for data frames after FRMPayload (and, in 1.1, FOpts) encryption.
 * Counters are the full 32-bit values (see {@link dev.loralab.lorawan.FCnt#reconstruct}).
 */
public final class Mics {

  private static final int JOIN_ACCEPT_11_PREFIX = 1 + Eui64.SIZE + 2;

  private Mics() {}

  /**
   * Join-request MIC: {@code cmac(key, MHDR | JoinEUI | DevEUI | DevNonce)} (LoRaWAN 1.1 §6.2.2;
   * 1.0.x §6.2.4). The key is the AppKey in 1.0.x and the NwkKey in 1.1.
   */
  public static Mic joinRequestMic(AesKey nwkOrAppKey, byte[] phyWithoutMic) {
    return plainMic(nwkOrAppKey, phyWithoutMic, "join-request");
  }

  /**
   * Join-accept MIC for 1.0.x and for 1.1 with OptNeg=0:
   * {@code cmac(key, MHDR | JoinNonce | NetID | DevAddr | DLSettings | RxDelay | [CFList])},
   * computed over the plaintext (LoRaWAN 1.0.2 §6.2.5; 1.1 §6.2.3).
   */
  public static Mic joinAcceptMic10(AesKey appKeyOrNwkKey, byte[] mhdrAndPlainFields) {
    return plainMic(appKeyOrNwkKey, mhdrAndPlainFields, "join-accept");
  }

  /**
   * Join-accept MIC for 1.1 with OptNeg=1 (LoRaWAN 1.1 §6.2.3):
   * {@code cmac(JSIntKey, JoinReqType | JoinEUI | DevNonce | MHDR | JoinNonce | NetID | DevAddr
   * | DLSettings | RxDelay | [CFList])}.
   *
   * @param joinReqType 0xFF answering a join-request; 0, 1 or 2 answering a rejoin of that type
   * @param devNonce the DevNonce, or RJcount0/RJcount1 when answering a rejoin
   */
  public static Mic joinAcceptMic11(AesKey jsIntKey, int joinReqType, Eui64 joinEui,
      DevNonce devNonce, byte[] mhdrAndPlainFields) {
    CryptoBlocks.requireKey(jsIntKey, "JSIntKey");
    if (joinReqType != 0xFF && (joinReqType < 0 || joinReqType > 2)) {
      throw new LoRaWanException("JoinReqType", "0xFF, 0x00, 0x01 or 0x02",
          "0x" + Integer.toHexString(joinReqType));
    }
    if (joinEui == null || devNonce == null) {
      throw new LoRaWanException("join-accept MIC", "JoinEUI and DevNonce",
          joinEui == null ? "no JoinEUI" : "no DevNonce");
    }
    requireMsg(mhdrAndPlainFields, "join-accept");
    byte[] prefix = new byte[JOIN_ACCEPT_11_PREFIX];
    prefix[0] = (byte) joinReqType;
    joinEui.writeLittleEndian(prefix, 1);
    devNonce.writeLittleEndian(prefix, 1 + Eui64.SIZE);
    return new Mic(Cmac128.first4(jsIntKey, prefix, mhdrAndPlainFields, 0,
        mhdrAndPlainFields.length));
  }

  /**
   * Rejoin-request MIC (LoRaWAN 1.1 §6.2.4): {@code cmac(key, MHDR | RejoinType | ...)}, with
   * the SNwkSIntKey for types 0 and 2 and the JSIntKey for type 1.
   */
  public static Mic rejoinMic(AesKey sNwkSIntKeyOrJsIntKey, byte[] phyWithoutMic) {
    return plainMic(sNwkSIntKeyOrJsIntKey, phyWithoutMic, "rejoin-request");
  }

  /**
   * LoRaWAN 1.0.x data uplink MIC (1.0.2 §4.4): {@code cmac(NwkSKey, B0 | msg)[0..3]}. Also the
   * MIC a 1.1 device sends on a 1.0 network, with the FNwkSIntKey.
   */
  public static Mic dataUplinkMic10(AesKey nwkSKey, DevAddr devAddr, long fCnt32, byte[] msg) {
    return dataUplinkMic10(nwkSKey, devAddr, fCnt32, msg, 0, msg == null ? 0 : msg.length);
  }

  /**
   * As {@link #dataUplinkMic10(AesKey, DevAddr, long, byte[])} over {@code msg[off, off+len)},
   * e.g. a received PHYPayload without its last 4 bytes, so the caller need not copy it.
   *
   * @throws LoRaWanException if the range lies outside {@code msg} or is longer than 255 bytes
   */
  public static Mic dataUplinkMic10(AesKey nwkSKey, DevAddr devAddr, long fCnt32, byte[] msg,
      int off, int len) {
    CryptoBlocks.requireKey(nwkSKey, "NwkSKey");
    CryptoBlocks.requireMsgRange(msg, off, len);
    return new Mic(CryptoBlocks.micAfterBlock(nwkSKey, 0, 0, 0, 0, true, devAddr, fCnt32, msg,
        off, len));
  }

  /**
   * LoRaWAN 1.1 data uplink MIC (§4.4.2): {@code cmacS[0..1] | cmacF[0..1]} where
   * {@code cmacS = cmac(SNwkSIntKey, B1 | msg)} and {@code cmacF = cmac(FNwkSIntKey, B0 | msg)}.
   *
   * @param confFCnt the FCnt (mod 2^16) of the acknowledged confirmed downlink if ACK is set,
   *     otherwise 0
   * @param txDr data rate index of this transmission
   * @param txCh channel index of this transmission
   */
  public static Mic dataUplinkMic11(AesKey sNwkSIntKey, AesKey fNwkSIntKey, int confFCnt,
      int txDr, int txCh, DevAddr devAddr, long fCnt32, byte[] msg) {
    return dataUplinkMic11(sNwkSIntKey, fNwkSIntKey, confFCnt, txDr, txCh, devAddr, fCnt32, msg,
        0, msg == null ? 0 : msg.length);
  }

  /**
   * As {@link #dataUplinkMic11(AesKey, AesKey, int, int, int, DevAddr, long, byte[])} over
   * {@code msg[off, off+len)}, so the caller need not copy the frame without its MIC.
   *
   * @throws LoRaWanException if the range lies outside {@code msg} or is longer than 255 bytes
   */
  public static Mic dataUplinkMic11(AesKey sNwkSIntKey, AesKey fNwkSIntKey, int confFCnt,
      int txDr, int txCh, DevAddr devAddr, long fCnt32, byte[] msg, int off, int len) {
    CryptoBlocks.requireKey(sNwkSIntKey, "SNwkSIntKey");
    CryptoBlocks.requireKey(fNwkSIntKey, "FNwkSIntKey");
    CryptoBlocks.requireRange("ConfFCnt", confFCnt, 0xFFFF);
    CryptoBlocks.requireRange("TxDr", txDr, 0xFF);
    CryptoBlocks.requireRange("TxCh", txCh, 0xFF);
    CryptoBlocks.requireMsgRange(msg, off, len);
    int cmacS = CryptoBlocks.micAfterBlock(sNwkSIntKey, confFCnt, confFCnt >>> 8, txDr, txCh,
        true, devAddr, fCnt32, msg, off, len);
    int cmacF = CryptoBlocks.micAfterBlock(fNwkSIntKey, 0, 0, 0, 0, true, devAddr, fCnt32, msg,
        off, len);
    // MIC = cmacS[0..1] | cmacF[0..1], first byte most significant
    return new Mic((cmacS & 0xFFFF0000) | (cmacF >>> 16));
  }

  /**
   * Data downlink MIC, 1.0.x (1.0.2 §4.4) and 1.1 (§4.4.1):
   * {@code cmac(key, B0 | msg)[0..3]} with {@code B0 = 0x49 | ConfFCnt(2, LE) | 0000 | 0x01 |
   * DevAddr | FCnt | 0x00 | len(msg)}.
   *
   * @param key the NwkSKey (1.0.x) or the SNwkSIntKey (1.1)
   * @param fCnt32 FCntDown (1.0.x), or AFCntDwn / NFCntDwn (1.1)
   * @param confFCnt 1.1 only: the FCntUp (mod 2^16) of the acknowledged confirmed uplink if ACK
   *     is set; always 0 in 1.0.x
   */
  public static Mic dataDownlinkMic(AesKey key, DevAddr devAddr, long fCnt32, int confFCnt,
      byte[] msg) {
    CryptoBlocks.requireKey(key, "downlink MIC key");
    CryptoBlocks.requireRange("ConfFCnt", confFCnt, 0xFFFF);
    CryptoBlocks.requireMsgLength(msg);
    return new Mic(CryptoBlocks.micAfterBlock(key, confFCnt, confFCnt >>> 8, 0, 0, false, devAddr,
        fCnt32, msg, 0, msg.length));
  }

  /**
   * Compares two MICs in time independent of where they differ. Returns false if either is
   * null.
   */
  public static boolean equalsConstantTime(Mic a, Mic b) {
    if (a == null || b == null) {
      return false;
    }
    // a single XOR over the whole 32-bit value: no early exit on the first differing byte
    return (a.value() ^ b.value()) == 0;
  }

  private static Mic plainMic(AesKey key, byte[] msg, String frame) {
    CryptoBlocks.requireKey(key, frame + " MIC key");
    requireMsg(msg, frame);
    return new Mic(Cmac128.first4(key, null, msg, 0, msg.length));
  }

  private static void requireMsg(byte[] msg, String frame) {
    if (msg == null || msg.length == 0) {
      throw new LoRaWanException(frame + " MIC input", "MHDR and payload",
          msg == null ? "null" : "0 bytes");
    }
  }
}
