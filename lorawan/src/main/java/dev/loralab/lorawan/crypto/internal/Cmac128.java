package dev.loralab.lorawan.crypto.internal;

import dev.loralab.lorawan.AesKey;

/**
 * AES-128 CMAC (RFC 4493) on raw bytes, on this thread's {@link ExpandedKey}: no allocation but
 * the returned tag, and no key expansion or subkey generation when the key repeats on the
 * thread. Thread-safe.
 */
public final class Cmac128 {

  private Cmac128() {}

  /** The full 16-byte CMAC of the concatenation of {@code prefix} and {@code msg[off, off+len)}. */
  public static byte[] compute(byte[] key, byte[] prefix, byte[] msg, int off, int len) {
    ExpandedKey k = ExpandedKey.of(key, 0);
    k.cmac(prefix, msg, off, len);
    byte[] out = new byte[Aes128.BLOCK];
    for (int i = 0; i < 4; i++) {
      Aes128Rounds.writeWord(k.tag(i), out, 4 * i);
    }
    return out;
  }

  /** As {@link #compute(byte[], byte[], byte[], int, int)}, without copying the key out. */
  public static byte[] compute(AesKey key, byte[] prefix, byte[] msg, int off, int len) {
    ExpandedKey k = ExpandedKey.of(key);
    k.cmac(prefix, msg, off, len);
    byte[] out = new byte[Aes128.BLOCK];
    for (int i = 0; i < 4; i++) {
      Aes128Rounds.writeWord(k.tag(i), out, 4 * i);
    }
    return out;
  }

  /**
   * The first 4 bytes of the CMAC of {@code prefix | msg[off, off+len)} as a big-endian int
   * (first byte most significant): a LoRaWAN MIC, without allocating.
   */
  public static int first4(AesKey key, byte[] prefix, byte[] msg, int off, int len) {
    ExpandedKey k = ExpandedKey.of(key);
    k.cmac(prefix, msg, off, len);
    return k.tag(0);
  }

  /**
   * As {@link #first4} with a 16-byte prefix given as four big-endian words {@code p0..p3}
   * (prefix bytes 0-3, 4-7, 8-11, 12-15).
   */
  public static int first4AfterBlock(AesKey key, int p0, int p1, int p2, int p3, byte[] msg,
      int off, int len) {
    ExpandedKey k = ExpandedKey.of(key);
    k.cmacAfterBlock(p0, p1, p2, p3, msg, off, len);
    return k.tag(0);
  }
}
