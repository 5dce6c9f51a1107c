package dev.loralab.lorawan.crypto.internal;

import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Single-block AES-128 (ECB) on raw bytes, backed by Bouncy Castle. Internal: callers in
 * {@code dev.loralab.lorawan.crypto} validate lengths before calling.
 */
public final class Aes128 {

  /** AES block and key size in bytes. */
  public static final int BLOCK = 16;

  private Aes128() {}

  /** Encrypts one 16-byte block of {@code in} at {@code inOff} into {@code out} at {@code outOff}. */
  public static void encryptBlock(byte[] key, byte[] in, int inOff, byte[] out, int outOff) {
    BlockCipher engine = AESEngine.newInstance();
    engine.init(true, new KeyParameter(key));
    engine.processBlock(in, inOff, out, outOff);
  }

  /** Decrypts one 16-byte block of {@code in} at {@code inOff} into {@code out} at {@code outOff}. */
  public static void decryptBlock(byte[] key, byte[] in, int inOff, byte[] out, int outOff) {
    BlockCipher engine = AESEngine.newInstance();
    engine.init(false, new KeyParameter(key));
    engine.processBlock(in, inOff, out, outOff);
  }

  /**
   * Processes {@code len} bytes (a multiple of 16) block by block in ECB mode with one key
   * schedule, returning a new array.
   */
  public static byte[] ecb(boolean encrypt, byte[] key, byte[] in, int off, int len) {
    BlockCipher engine = AESEngine.newInstance();
    engine.init(encrypt, new KeyParameter(key));
    byte[] out = new byte[len];
    for (int i = 0; i < len; i += BLOCK) {
      engine.processBlock(in, off + i, out, i);
    }
    return out;
  }

  /**
   * CTR-like key stream used by LoRaWAN payload encryption: for each 16-byte chunk {@code i}
   * (counting from 1), {@code a[15] = i} and {@code data[chunk] ^= AES(key, a)}. {@code a} is
   * modified (its last byte). Returns a new array of {@code len} bytes.
   */
  public static byte[] xorKeyStream(byte[] key, byte[] a, byte[] data, int off, int len) {
    BlockCipher engine = AESEngine.newInstance();
    engine.init(true, new KeyParameter(key));
    byte[] out = new byte[len];
    byte[] s = new byte[BLOCK];
    for (int i = 0; i < len; i += BLOCK) {
      a[BLOCK - 1] = (byte) (i / BLOCK + 1);
      engine.processBlock(a, 0, s, 0);
      int n = Math.min(BLOCK, len - i);
      for (int j = 0; j < n; j++) {
        out[i + j] = (byte) (data[off + i + j] ^ s[j]);
      }
    }
    return out;
  }
}
