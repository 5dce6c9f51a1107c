package dev.loralab.lorawan.crypto;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.crypto.internal.Aes128;
import dev.loralab.lorawan.crypto.internal.Cmac128;

/** The 16-byte B0/B1 (MIC) and A_i (encryption) blocks of LoRaWAN 1.1 §4.3.3 and §4.4. */
final class CryptoBlocks {

  static final int SIZE = 16;
  static final long MAX_FCNT = 0xFFFF_FFFFL;
  /** First byte of A_i (LoRaWAN 1.1 §4.3.3). */
  static final int ENC_TAG = 0x01;
  /** First byte of B0 and B1 (LoRaWAN 1.1 §4.4). */
  static final int MIC_TAG = 0x49;

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

  /**
   * The MIC of {@code block(0x49, b1, b2, b3, b4, uplink, devAddr, fCnt32, msg[off, off+len))
   * | msg[off, off+len)}: B0/B1 goes to the CMAC as four big-endian words, never as bytes.
   * Validates as {@link #block} does.
   */
  static int micAfterBlock(AesKey key, int b1, int b2, int b3, int b4, boolean uplink,
      DevAddr devAddr, long fCnt32, byte[] msg, int off, int len) {
    requireFCnt(fCnt32);
    if (devAddr == null) {
      throw new LoRaWanException("DevAddr", "a device address", "null");
    }
    int a = devAddr.value();
    int f = (int) fCnt32;
    // bytes: 0x49 b1 b2 b3 | b4 dir a0 a1 | a2 a3 f0 f1 | f2 f3 0x00 len (DevAddr, FCnt LE)
    int w0 = MIC_TAG << 24 | (b1 & 0xFF) << 16 | (b2 & 0xFF) << 8 | (b3 & 0xFF);
    int w1 = (b4 & 0xFF) << 24 | (uplink ? 0 : 1) << 16 | (a & 0xFF) << 8 | (a >>> 8 & 0xFF);
    int w2 = (a >>> 16 & 0xFF) << 24 | (a >>> 24) << 16 | (f & 0xFF) << 8 | (f >>> 8 & 0xFF);
    int w3 = (f >>> 16 & 0xFF) << 24 | (f >>> 24) << 16 | (len & 0xFF);
    return Cmac128.first4AfterBlock(key, w0, w1, w2, w3, msg, off, len);
  }

  /**
   * {@code data XOR (AES(K, A_1) | AES(K, A_2) | ...)} with {@code A_i = block(0x01, 0, 0, 0, b4,
   * uplink, devAddr, fCnt32, i)} into a new array; A_i goes to AES as four words, never as bytes.
   * Validates as {@link #block} does.
   */
  static byte[] keyStreamXor(AesKey key, int b4, boolean uplink, DevAddr devAddr, long fCnt32,
      byte[] data) {
    requireFCnt(fCnt32);
    if (devAddr == null) {
      throw new LoRaWanException("DevAddr", "a device address", "null");
    }
    int a = devAddr.value();
    int f = (int) fCnt32;
    // bytes: 0x01 00 00 00 | b4 dir a0 a1 | a2 a3 f0 f1 | f2 f3 0x00 i (DevAddr, FCnt LE)
    int w0 = ENC_TAG << 24;
    int w1 = (b4 & 0xFF) << 24 | (uplink ? 0 : 1) << 16 | (a & 0xFF) << 8 | (a >>> 8 & 0xFF);
    int w2 = (a >>> 16 & 0xFF) << 24 | (a >>> 24) << 16 | (f & 0xFF) << 8 | (f >>> 8 & 0xFF);
    int w3 = (f >>> 16 & 0xFF) << 24 | (f >>> 24) << 16;
    byte[] out = new byte[data.length];
    Aes128.xorKeyStream(key, w0, w1, w2, w3, data, 0, data.length, out, 0);
    return out;
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
