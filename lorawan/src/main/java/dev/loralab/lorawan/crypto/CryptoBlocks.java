package dev.loralab.lorawan.crypto;

import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.LoRaWanException;

/** The 16-byte B0/B1 (MIC) and A_i (encryption) blocks of LoRaWAN 1.1 §4.3.3 and §4.4. */
final class CryptoBlocks {

  static final int SIZE = 16;
  static final long MAX_FCNT = 0xFFFF_FFFFL;

  private CryptoBlocks() {}

  /**
   * {@code tag | b1 b2 | b3 b4 | dir | DevAddr(LE) | FCnt(LE,4) | 0x00 | last}: the common shape
   * of B0, B1 and A_i (LoRaWAN 1.1 §4.3.3.1, §4.4).
   */
  static byte[] block(int tag, int b1, int b2, int b3, int b4, boolean uplink, DevAddr devAddr,
      long fCnt32, int last) {
    requireFCnt(fCnt32);
    if (devAddr == null) {
      throw new LoRaWanException("DevAddr", "a device address", "null");
    }
    byte[] b = new byte[SIZE];
    b[0] = (byte) tag;
    b[1] = (byte) b1;
    b[2] = (byte) b2;
    b[3] = (byte) b3;
    b[4] = (byte) b4;
    b[5] = (byte) (uplink ? 0 : 1);
    devAddr.writeLittleEndian(b, 6);
    b[10] = (byte) fCnt32;
    b[11] = (byte) (fCnt32 >>> 8);
    b[12] = (byte) (fCnt32 >>> 16);
    b[13] = (byte) (fCnt32 >>> 24);
    b[14] = 0;
    b[15] = (byte) last;
    return b;
  }

  static void requireFCnt(long fCnt32) {
    if (fCnt32 < 0 || fCnt32 > MAX_FCNT) {
      throw new LoRaWanException("FCnt", "a 32-bit unsigned counter", Long.toString(fCnt32));
    }
  }

  static void requireMsgLength(byte[] msg) {
    if (msg == null) {
      throw new LoRaWanException("MIC input", "a message", "null");
    }
    // len(msg) is one byte in B0/B1 (LoRaWAN 1.1 §4.4)
    if (msg.length > 255) {
      throw new LoRaWanException("MIC input", "at most 255 bytes", msg.length + " bytes");
    }
  }

  static void requireMsgRange(byte[] msg, int off, int len) {
    if (msg == null) {
      throw new LoRaWanException("MIC input", "a message", "null");
    }
    if (off < 0 || len < 0 || off > msg.length - len) {
      throw new LoRaWanException("MIC input", len + " bytes at offset " + off,
          msg.length + " bytes");
    }
    // len(msg) is one byte in B0/B1 (LoRaWAN 1.1 §4.4)
    if (len > 255) {
      throw new LoRaWanException("MIC input", "at most 255 bytes", len + " bytes");
    }
  }

  static void requireRange(String field, int value, int max) {
    if (value < 0 || value > max) {
      throw new LoRaWanException(field, "0.." + max, Integer.toString(value));
    }
  }

  static void requireKey(Object key, String field) {
    if (key == null) {
      throw new LoRaWanException(field, "an AES-128 key", "null");
    }
  }
}
