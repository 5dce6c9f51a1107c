package dev.loralab.joinserver.internal;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.crypto.SessionKeyDerivation;
import dev.loralab.lorawan.frame.JoinAccept;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import java.util.Arrays;

/**
 * Builds the on-air join-accept: MIC over the clear fields, then encryption of everything after
 * MHDR (LoRaWAN 1.1 §6.2.3; 1.0.2 §6.2.5). Pure functions; the MIC of the given
 * {@link JoinAccept} is ignored and replaced.
 */
public final class JoinAcceptCipher {

  /** JoinReqType of a join-accept answering a join-request (LoRaWAN 1.1 §6.2.3). */
  public static final int JOIN_REQ_TYPE_JOIN_REQUEST = 0xFF;

  private JoinAcceptCipher() {}

  /**
   * LoRaWAN 1.0.x, and 1.1 with OptNeg=0: MIC and encryption with one key, the AppKey (1.0.x)
   * or the NwkKey (1.1 device).
   *
   * @return the PHYPayload {@code MHDR | encrypted(body | MIC)}
   */
  public static byte[] seal10(JoinAccept accept, AesKey key) {
    byte[] clear = PhyPayloadCodec.encodeWithoutMic(accept);
    Mic mic = Mics.joinAcceptMic10(key, clear);
    return encrypt(clear, mic, key);
  }

  /**
   * LoRaWAN 1.1 with OptNeg=1 answering a join-request: MIC with the JSIntKey over
   * {@code JoinReqType(0xFF) | JoinEUI | DevNonce | MHDR | fields}, encryption with the NwkKey.
   *
   * @param jsIntKey the JSIntKey ({@link SessionKeyDerivation#jsIntKey})
   * @param encryptionKey the NwkKey (answering a join-request)
   * @return the PHYPayload {@code MHDR | encrypted(body | MIC)}
   */
  public static byte[] seal11(JoinAccept accept, AesKey jsIntKey, AesKey encryptionKey,
      Eui64 joinEui, DevNonce devNonce) {
    byte[] clear = PhyPayloadCodec.encodeWithoutMic(accept);
    Mic mic = Mics.joinAcceptMic11(jsIntKey, JOIN_REQ_TYPE_JOIN_REQUEST, joinEui, devNonce, clear);
    return encrypt(clear, mic, encryptionKey);
  }

  private static byte[] encrypt(byte[] clearWithoutMic, Mic mic, AesKey key) {
    byte[] body = Arrays.copyOfRange(clearWithoutMic, 1, clearWithoutMic.length + Mic.SIZE);
    mic.write(body, clearWithoutMic.length - 1);
    byte[] encrypted = PayloadCipher.joinAcceptEncrypt(key, body);
    byte[] phy = new byte[1 + encrypted.length];
    phy[0] = clearWithoutMic[0];
    System.arraycopy(encrypted, 0, phy, 1, encrypted.length);
    return phy;
  }
}
