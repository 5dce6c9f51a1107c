package dev.loralab.lorawan.crypto;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.crypto.internal.Cmac128;

/** AES-128 CMAC (RFC 4493), the MAC behind every LoRaWAN MIC (LoRaWAN 1.1 §4.4). */
public final class AesCmac {

  private AesCmac() {}

  /**
   * The 16-byte CMAC of {@code msg[off, off+len)} under {@code key}.
   *
   * @throws LoRaWanException if the key is null or the range lies outside {@code msg}
   */
  public static byte[] cmac(AesKey key, byte[] msg, int off, int len) {
    CryptoBlocks.requireKey(key, "CMAC key");
    requireRange(msg, off, len);
    return Cmac128.compute(key, null, msg, off, len);
  }

  /** The 16-byte CMAC of all of {@code msg}. */
  public static byte[] cmac(AesKey key, byte[] msg) {
    if (msg == null) {
      throw new LoRaWanException("CMAC input", "a byte string", "null");
    }
    return cmac(key, msg, 0, msg.length);
  }

  static void requireRange(byte[] msg, int off, int len) {
    if (msg == null) {
      throw new LoRaWanException("CMAC input", "a byte string", "null");
    }
    if (off < 0 || len < 0 || off > msg.length - len) {
      throw new LoRaWanException("CMAC input", len + " bytes at offset " + off,
          msg.length + " bytes");
    }
  }
}
