package dev.loralab.lorawan.crypto;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.crypto.internal.Aes128;

/**
 * Encryption of FRMPayload, of LoRaWAN 1.1 FOpts and of join-accepts. Every method returns a new
 * array and leaves its input untouched.
 */
public final class PayloadCipher {

  /** Largest FOpts field (FOptsLen is 4 bits, LoRaWAN 1.1 §4.3.1). */
  public static final int MAX_FOPTS_LENGTH = 15;

  private PayloadCipher() {}

  /**
   * Encrypts or decrypts (the same operation) an FRMPayload (LoRaWAN 1.1 §4.3.3; 1.0.2 §4.3.3):
   * {@code pld XOR (AES(K, A_1) | AES(K, A_2) | ...)} with
   * {@code A_i = 0x01 | 00000000 | Dir | DevAddr | FCnt | 0x00 | i}.
   *
   * @param key the AppSKey for FPort 1..255; for FPort 0 the NwkSKey (1.0.x) or NwkSEncKey (1.1)
   * @param uplink the frame direction
   * @param fCnt32 FCntUp, FCntDown (1.0.x), or in 1.1 NFCntDwn for FPort 0 and AFCntDwn otherwise
   */
  public static byte[] frmPayload(AesKey key, boolean uplink, DevAddr devAddr, long fCnt32,
      byte[] payload) {
    CryptoBlocks.requireKey(key, "FRMPayload key");
    if (payload == null) {
      throw new LoRaWanException("FRMPayload", "a byte string", "null");
    }
    return CryptoBlocks.keyStreamXor(key, 0, uplink, devAddr, fCnt32, payload);
  }

  /**
   * Encrypts or decrypts (the same operation) LoRaWAN 1.1 FOpts with the NwkSEncKey as the 2018
   * errata "FOpts Encryption, Usage of FCntDwn" defines it: {@code fOpts XOR AES(K, A)} with
   * {@code A = 0x01 | 000000 C | Dir | DevAddr | FCnt | 0x00 | 0x01}, where {@code C = 0x01}
   * for FCntUp and NFCntDwn and {@code C = 0x02} for AFCntDwn. In 1.0.x FOpts are sent in
   * clear and this method must not be used.
   *
   * @param uplink the frame direction
   * @param fCnt32 FCntUp (uplink), NFCntDwn or AFCntDwn (downlink)
   * @param nFCntDownForDownlink for downlinks: true if {@code fCnt32} is the NFCntDwn (no FPort
   *     or FPort 0), false if it is the AFCntDwn (FPort &gt; 0); ignored for uplinks
   * @param fOpts 0..15 bytes
   */
  public static byte[] fOpts11(AesKey nwkSEncKey, boolean uplink, DevAddr devAddr, long fCnt32,
      boolean nFCntDownForDownlink, byte[] fOpts) {
    CryptoBlocks.requireKey(nwkSEncKey, "NwkSEncKey");
    if (fOpts == null) {
      throw new LoRaWanException("FOpts", "a byte string", "null");
    }
    if (fOpts.length > MAX_FOPTS_LENGTH) {
      throw new LoRaWanException("FOpts", "at most " + MAX_FOPTS_LENGTH + " bytes",
          fOpts.length + " bytes");
    }
    int frameTypeConstant = uplink || nFCntDownForDownlink ? 0x01 : 0x02;
    return CryptoBlocks.keyStreamXor(nwkSEncKey, frameTypeConstant, uplink, devAddr, fCnt32,
        fOpts);
  }

  /**
   * Encrypts a join-accept body, i.e. everything after MHDR including the MIC (16 or 32 bytes),
   * with AES <em>decryption</em> in ECB mode so that the device only needs AES encryption
   * (LoRaWAN 1.1 §6.2.3; 1.0.2 §6.2.5).
   *
   * @param key the AppKey (1.0.x), the NwkKey (1.1 answering a join-request) or the JSEncKey
   *     (1.1 answering a rejoin-request)
   */
  public static byte[] joinAcceptEncrypt(AesKey key, byte[] plainBodyWithMic) {
    requireJoinAcceptBody(key, plainBodyWithMic);
    return Aes128.ecb(false, key, plainBodyWithMic, 0, plainBodyWithMic.length);
  }

  /** Inverse of {@link #joinAcceptEncrypt}: AES encryption of each block of the body. */
  public static byte[] joinAcceptDecrypt(AesKey key, byte[] encryptedBody) {
    requireJoinAcceptBody(key, encryptedBody);
    return Aes128.ecb(true, key, encryptedBody, 0, encryptedBody.length);
  }

  private static void requireJoinAcceptBody(AesKey key, byte[] body) {
    CryptoBlocks.requireKey(key, "join-accept key");
    if (body == null) {
      throw new LoRaWanException("join-accept body", "16 or 32 bytes", "null");
    }
    if (body.length != 16 && body.length != 32) {
      throw new LoRaWanException("join-accept body", "16 or 32 bytes", body.length + " bytes");
    }
  }
}
