package dev.loralab.lorawan.crypto.internal;

import dev.loralab.lorawan.AesKey;

/**
 * One thread's AES-128 working state: the expanded key last used on this thread, its CMAC
 * subkeys (RFC 4493 §2.3) and decryption schedule (both made on first use) and scratch blocks. Re-keying with the key already loaded skips the
 * key expansion. Instances are confined to their thread ({@link #of}) and never shared, so no
 * key material crosses threads; callers must not keep a reference across calls, since the next
 * call on the same thread re-keys the same instance.
 */
final class ExpandedKey {

  private static final ThreadLocal<ExpandedKey> PER_THREAD =
      ThreadLocal.withInitial(ExpandedKey::new);

  /** RFC 4493 §2.3: R_128 = 0^120 || 10000111. */
  private static final int RB = 0x87;

  private final int[] rk = new int[Aes128Rounds.EXPANDED_WORDS];
  private final int[] dk = new int[Aes128Rounds.EXPANDED_WORDS];
  private final byte[] keyBytes = new byte[Aes128.BLOCK];
  private final int[] s = new int[4];
  private final int[] k1 = new int[4];
  private final int[] k2 = new int[4];
  private final byte[] buf = new byte[Aes128.BLOCK];
  private boolean keyed;
  private boolean subkeysReady;
  private boolean decryptionReady;
  private int pos;

  private ExpandedKey() {}

  /** This thread's instance, keyed with the 16 bytes of {@code key} at {@code off}. */
  static ExpandedKey of(byte[] key, int off) {
    ExpandedKey k = PER_THREAD.get();
    k.load(key, off);
    return k;
  }

  /** This thread's instance, keyed with {@code key}. */
  static ExpandedKey of(AesKey key) {
    ExpandedKey k = PER_THREAD.get();
    key.copyTo(k.keyBytes, 0);
    k.load(k.keyBytes, 0);
    return k;
  }

  private void load(byte[] key, int off) {
    int w0 = Aes128Rounds.readWord(key, off);
    int w1 = Aes128Rounds.readWord(key, off + 4);
    int w2 = Aes128Rounds.readWord(key, off + 8);
    int w3 = Aes128Rounds.readWord(key, off + 12);
    // the first four round-key words are the key itself (FIPS-197 §5.2); compared without an
    // early exit
    if (keyed && ((w0 ^ rk[0]) | (w1 ^ rk[1]) | (w2 ^ rk[2]) | (w3 ^ rk[3])) == 0) {
      return;
    }
    Aes128Rounds.expandKey(key, off, rk);
    keyed = true;
    subkeysReady = false;
    decryptionReady = false;
  }

  /** Encrypts one block of {@code in} at {@code inOff} into {@code out} at {@code outOff}. */
  void encryptBlock(byte[] in, int inOff, byte[] out, int outOff) {
    block(true, in, inOff, out, outOff);
  }

  /** Decrypts one block of {@code in} at {@code inOff} into {@code out} at {@code outOff}. */
  void decryptBlock(byte[] in, int inOff, byte[] out, int outOff) {
    if (!decryptionReady) {
      Aes128Rounds.invertKey(rk, dk);
      decryptionReady = true;
    }
    block(false, in, inOff, out, outOff);
  }

  /** One block through the cipher or its inverse (the decryption schedule must be ready). */
  private void block(boolean encrypt, byte[] in, int inOff, byte[] out, int outOff) {
    int[] st = s;
    st[0] = Aes128Rounds.readWord(in, inOff);
    st[1] = Aes128Rounds.readWord(in, inOff + 4);
    st[2] = Aes128Rounds.readWord(in, inOff + 8);
    st[3] = Aes128Rounds.readWord(in, inOff + 12);
    if (encrypt) {
      Aes128Rounds.encrypt(rk, st);
    } else {
      Aes128Rounds.decrypt(dk, st);
    }
    Aes128Rounds.writeWord(st[0], out, outOff);
    Aes128Rounds.writeWord(st[1], out, outOff + 4);
    Aes128Rounds.writeWord(st[2], out, outOff + 8);
    Aes128Rounds.writeWord(st[3], out, outOff + 12);
  }

  /**
   * {@code out[outOff + j] = data[off + j] ^ AES(K, A_i)[...]} for LoRaWAN's counter blocks
   * (see {@link Aes128#xorKeyStream}); {@code a[15]} is set to each block counter in turn.
   */
  void xorKeyStream(byte[] a, byte[] data, int off, int len, byte[] out, int outOff) {
    int[] st = s;
    for (int i = 0; i < len; i += Aes128.BLOCK) {
      a[Aes128.BLOCK - 1] = (byte) (i / Aes128.BLOCK + 1);
      st[0] = Aes128Rounds.readWord(a, 0);
      st[1] = Aes128Rounds.readWord(a, 4);
      st[2] = Aes128Rounds.readWord(a, 8);
      st[3] = Aes128Rounds.readWord(a, 12);
      Aes128Rounds.encrypt(rk, st);
      int n = Math.min(Aes128.BLOCK, len - i);
      for (int j = 0; j < n; j++) {
        int keyByte = st[j >>> 2] >>> (24 - 8 * (j & 3));
        out[outOff + i + j] = (byte) (data[off + i + j] ^ keyByte);
      }
    }
  }

  /**
   * As {@link #xorKeyStream} with the counter block given as four big-endian words; block
   * {@code i} (from 1) is {@code a0 | a1 | a2 | a3} with {@code i} in the last byte of {@code a3}.
   */
  void xorKeyStream(int a0, int a1, int a2, int a3, byte[] data, int off, int len, byte[] out,
      int outOff) {
    int[] st = s;
    int high = a3 & 0xFFFF_FF00;
    for (int i = 0; i < len; i += Aes128.BLOCK) {
      st[0] = a0;
      st[1] = a1;
      st[2] = a2;
      st[3] = high | ((i / Aes128.BLOCK + 1) & 0xFF);
      Aes128Rounds.encrypt(rk, st);
      int n = Math.min(Aes128.BLOCK, len - i);
      for (int j = 0; j < n; j++) {
        int keyByte = st[j >>> 2] >>> (24 - 8 * (j & 3));
        out[outOff + i + j] = (byte) (data[off + i + j] ^ keyByte);
      }
    }
  }

  /**
   * Computes the CMAC (RFC 4493 §2.4) of {@code prefix | msg[off, off+len)}; the tag is left in
   * the four big-endian words of {@link #tag(int)}.
   */
  void cmac(byte[] prefix, byte[] msg, int off, int len) {
    ensureSubkeys();
    int[] st = s;
    st[0] = 0;
    st[1] = 0;
    st[2] = 0;
    st[3] = 0;
    pos = 0;
    if (prefix != null) {
      absorb(prefix, 0, prefix.length);
    }
    absorb(msg, off, len);
    finish();
  }

  /**
   * As {@link #cmac} with a 16-byte prefix given as four big-endian words (a LoRaWAN B0/B1
   * block), so the caller need not build it as bytes.
   */
  void cmacAfterBlock(int p0, int p1, int p2, int p3, byte[] msg, int off, int len) {
    ensureSubkeys();
    int[] st = s;
    if (len == 0) {
      // the prefix is the complete last block (RFC 4493 §2.4 step 4, with K1)
      st[0] = p0 ^ k1[0];
      st[1] = p1 ^ k1[1];
      st[2] = p2 ^ k1[2];
      st[3] = p3 ^ k1[3];
      Aes128Rounds.encrypt(rk, st);
      return;
    }
    st[0] = p0;
    st[1] = p1;
    st[2] = p2;
    st[3] = p3;
    Aes128Rounds.encrypt(rk, st);
    pos = 0;
    absorb(msg, off, len);
    finish();
  }

  private void finish() {
    int[] st = s;
    // RFC 4493 §2.4 steps 3-4: a complete last block with K1, else padded with 10^i and K2
    int[] sub;
    if (pos == Aes128.BLOCK) {
      sub = k1;
    } else {
      buf[pos] = (byte) 0x80;
      for (int i = pos + 1; i < Aes128.BLOCK; i++) {
        buf[i] = 0;
      }
      sub = k2;
    }
    st[0] ^= Aes128Rounds.readWord(buf, 0) ^ sub[0];
    st[1] ^= Aes128Rounds.readWord(buf, 4) ^ sub[1];
    st[2] ^= Aes128Rounds.readWord(buf, 8) ^ sub[2];
    st[3] ^= Aes128Rounds.readWord(buf, 12) ^ sub[3];
    Aes128Rounds.encrypt(rk, st);
  }

  /** Word {@code i} (0..3, big-endian) of the last {@link #cmac} tag. */
  int tag(int i) {
    return s[i];
  }

  /**
   * Feeds bytes into the CBC chain. A full block stays buffered until more input arrives, as
   * the last block is treated differently.
   */
  private void absorb(byte[] src, int off, int len) {
    int[] st = s;
    while (len > 0) {
      if (pos == Aes128.BLOCK) {
        st[0] ^= Aes128Rounds.readWord(buf, 0);
        st[1] ^= Aes128Rounds.readWord(buf, 4);
        st[2] ^= Aes128Rounds.readWord(buf, 8);
        st[3] ^= Aes128Rounds.readWord(buf, 12);
        Aes128Rounds.encrypt(rk, st);
        pos = 0;
      }
      if (pos == 0 && len > Aes128.BLOCK) {
        // a full block with input after it cannot be the last one: chain it in place
        st[0] ^= Aes128Rounds.readWord(src, off);
        st[1] ^= Aes128Rounds.readWord(src, off + 4);
        st[2] ^= Aes128Rounds.readWord(src, off + 8);
        st[3] ^= Aes128Rounds.readWord(src, off + 12);
        Aes128Rounds.encrypt(rk, st);
        off += Aes128.BLOCK;
        len -= Aes128.BLOCK;
        continue;
      }
      int n = Math.min(Aes128.BLOCK - pos, len);
      System.arraycopy(src, off, buf, pos, n);
      pos += n;
      off += n;
      len -= n;
    }
  }

  /** RFC 4493 §2.3: L = AES(K, 0^128), K1 = dbl(L), K2 = dbl(K1). */
  private void ensureSubkeys() {
    if (subkeysReady) {
      return;
    }
    int[] st = s;
    st[0] = 0;
    st[1] = 0;
    st[2] = 0;
    st[3] = 0;
    Aes128Rounds.encrypt(rk, st);
    dbl(st, k1);
    dbl(k1, k2);
    subkeysReady = true;
  }

  /** Left shift by one bit of a 128-bit value, XOR R_128 if the dropped bit was set. */
  private static void dbl(int[] in, int[] out) {
    int carry = in[0] >>> 31;
    out[0] = in[0] << 1 | in[1] >>> 31;
    out[1] = in[1] << 1 | in[2] >>> 31;
    out[2] = in[2] << 1 | in[3] >>> 31;
    out[3] = in[3] << 1 ^ (-carry & RB);
  }
}
