package dev.loralab.lorawan.crypto.internal;

import dev.loralab.lorawan.AesKey;

/**
 * Single-block AES-128 (ECB) on raw bytes, on this thread's {@link ExpandedKey}: no allocation
 * but returned arrays, and no key expansion when the key repeats on the thread. Internal:
 * callers in {@code dev.loralab.lorawan.crypto} validate lengths before calling. Thread-safe.
 */
public final class Aes128 {

  /** AES block and key size in bytes. */
  public static final int BLOCK = 16;

  private Aes128() {}

  /** Encrypts one 16-byte block of {@code in} at {@code inOff} into {@code out} at {@code outOff}. */
  public static void encryptBlock(byte[] key, byte[] in, int inOff, byte[] out, int outOff) {
    ExpandedKey.of(key, 0).encryptBlock(in, inOff, out, outOff);
  }

  /** As {@link #encryptBlock(byte[], byte[], int, byte[], int)}, without copying the key out. */
  public static void encryptBlock(AesKey key, byte[] in, int inOff, byte[] out, int outOff) {
    ExpandedKey.of(key).encryptBlock(in, inOff, out, outOff);
  }

  /** Decrypts one 16-byte block of {@code in} at {@code inOff} into {@code out} at {@code outOff}. */
  public static void decryptBlock(byte[] key, byte[] in, int inOff, byte[] out, int outOff) {
    ExpandedKey.of(key, 0).decryptBlock(in, inOff, out, outOff);
  }

  /**
   * Processes {@code len} bytes (a multiple of 16) block by block in ECB mode with one key
   * schedule, returning a new array.
   */
  public static byte[] ecb(boolean encrypt, byte[] key, byte[] in, int off, int len) {
    return ecb(encrypt, ExpandedKey.of(key, 0), in, off, len);
  }

  /** As {@link #ecb(boolean, byte[], byte[], int, int)}, without copying the key out. */
  public static byte[] ecb(boolean encrypt, AesKey key, byte[] in, int off, int len) {
    return ecb(encrypt, ExpandedKey.of(key), in, off, len);
  }

  private static byte[] ecb(boolean encrypt, ExpandedKey k, byte[] in, int off, int len) {
    byte[] out = new byte[len];
    for (int i = 0; i < len; i += BLOCK) {
      if (encrypt) {
        k.encryptBlock(in, off + i, out, i);
      } else {
        k.decryptBlock(in, off + i, out, i);
      }
    }
    return out;
  }

  /**
   * CTR-like key stream used by LoRaWAN payload encryption: for each 16-byte chunk {@code i}
   * (counting from 1), {@code a[15] = i} and {@code data[chunk] ^= AES(key, a)}. {@code a} is
   * modified (its last byte). Returns a new array of {@code len} bytes.
   */
  public static byte[] xorKeyStream(byte[] key, byte[] a, byte[] data, int off, int len) {
    byte[] out = new byte[len];
    ExpandedKey.of(key, 0).xorKeyStream(a, data, off, len, out, 0);
    return out;
  }

  /**
   * As {@link #xorKeyStream(byte[], byte[], byte[], int, int)}, writing the {@code len} result
   * bytes into {@code out} at {@code outOff} ({@code out} may be {@code data} itself, at the
   * same offset).
   */
  public static void xorKeyStream(AesKey key, byte[] a, byte[] data, int off, int len, byte[] out,
      int outOff) {
    ExpandedKey.of(key).xorKeyStream(a, data, off, len, out, outOff);
  }

  /**
   * As {@link #xorKeyStream(AesKey, byte[], byte[], int, int, byte[], int)} with the counter
   * block {@code A} given as four big-endian words {@code a0..a3} (bytes 0-3, ..., 12-15); the
   * last byte of {@code a3} is replaced by each block counter.
   */
  public static void xorKeyStream(AesKey key, int a0, int a1, int a2, int a3, byte[] data,
      int off, int len, byte[] out, int outOff) {
    ExpandedKey.of(key).xorKeyStream(a0, a1, a2, a3, data, off, len, out, outOff);
  }
}
