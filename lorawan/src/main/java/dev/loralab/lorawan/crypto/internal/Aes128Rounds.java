package dev.loralab.lorawan.crypto.internal;

/**
 * AES-128 of FIPS-197 on 32-bit column words: key expansion (§5.2), the cipher (§5.1) and the
 * equivalent inverse cipher (§5.3.5), each with its round functions merged into four lookup
 * tables. Tables are computed
 * at class initialisation from the field arithmetic of §4, not typed in. Stateless: the expanded
 * key lives in the caller's {@code int[44]}.
 */
final class Aes128Rounds {

  /** Words in an expanded AES-128 key: 4 × (10 rounds + 1). */
  static final int EXPANDED_WORDS = 44;

  private static final int ROUNDS = 10;
  private static final int[] SBOX = new int[256];
  private static final int[] T0 = new int[256];
  private static final int[] T1 = new int[256];
  private static final int[] T2 = new int[256];
  private static final int[] T3 = new int[256];
  private static final int[] INV_SBOX = new int[256];
  private static final int[] D0 = new int[256];
  private static final int[] D1 = new int[256];
  private static final int[] D2 = new int[256];
  private static final int[] D3 = new int[256];

  static {
    for (int a = 0; a < 256; a++) {
      // multiplicative inverse in GF(2^8) (§5.1.1), 0 maps to 0
      int inv = 0;
      for (int b = 1; b < 256 && a != 0; b++) {
        if (mul(a, b) == 1) {
          inv = b;
          break;
        }
      }
      // affine transformation (§5.1.1, equation 5.1)
      int s = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63;
      SBOX[a] = s;
      // SubBytes then MixColumns of one input byte: column {02, 01, 01, 03}·s (§5.1.3)
      int t = (mul(s, 2) << 24) | (s << 16) | (s << 8) | mul(s, 3);
      T0[a] = t;
      T1[a] = Integer.rotateRight(t, 8);
      T2[a] = Integer.rotateRight(t, 16);
      T3[a] = Integer.rotateRight(t, 24);
      INV_SBOX[s] = a;
    }
    for (int a = 0; a < 256; a++) {
      // InvSubBytes then InvMixColumns of one input byte: column {0e, 09, 0d, 0b}·s (§5.3.3)
      int s = INV_SBOX[a];
      int d = (mul(s, 0x0E) << 24) | (mul(s, 0x09) << 16) | (mul(s, 0x0D) << 8) | mul(s, 0x0B);
      D0[a] = d;
      D1[a] = Integer.rotateRight(d, 8);
      D2[a] = Integer.rotateRight(d, 16);
      D3[a] = Integer.rotateRight(d, 24);
    }
  }

  private Aes128Rounds() {}

  /** Product in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (§4.2). */
  private static int mul(int a, int b) {
    int p = 0;
    while (b != 0) {
      if ((b & 1) != 0) {
        p ^= a;
      }
      a <<= 1;
      if ((a & 0x100) != 0) {
        a ^= 0x11B;
      }
      b >>>= 1;
    }
    return p;
  }

  private static int rotl8(int x, int n) {
    return ((x << n) | (x >>> (8 - n))) & 0xFF;
  }

  private static int subWord(int w) {
    return SBOX[w >>> 24] << 24 | SBOX[(w >>> 16) & 0xFF] << 16 | SBOX[(w >>> 8) & 0xFF] << 8
        | SBOX[w & 0xFF];
  }

  static int readWord(byte[] b, int off) {
    return b[off] << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8
        | (b[off + 3] & 0xFF);
  }

  static void writeWord(int w, byte[] b, int off) {
    b[off] = (byte) (w >>> 24);
    b[off + 1] = (byte) (w >>> 16);
    b[off + 2] = (byte) (w >>> 8);
    b[off + 3] = (byte) w;
  }

  /** Expands the 16 bytes of {@code key} at {@code off} into {@code rk[0, 44)} (§5.2). */
  static void expandKey(byte[] key, int off, int[] rk) {
    for (int i = 0; i < 4; i++) {
      rk[i] = readWord(key, off + 4 * i);
    }
    int rcon = 0x01;
    for (int i = 4; i < EXPANDED_WORDS; i++) {
      int temp = rk[i - 1];
      if ((i & 3) == 0) {
        temp = subWord(Integer.rotateLeft(temp, 8)) ^ (rcon << 24);
        // Rcon: successive powers of x in GF(2^8) (§5.2)
        rcon = (rcon << 1) ^ (-(rcon >>> 7) & 0x11B);
      }
      rk[i] = rk[i - 4] ^ temp;
    }
  }

  /**
   * The decryption key schedule of the equivalent inverse cipher (§5.3.5) from the expanded key
   * {@code rk}: round keys in reverse order, InvMixColumns applied to rounds 1..9.
   */
  static void invertKey(int[] rk, int[] dk) {
    for (int r = 0; r <= ROUNDS; r++) {
      for (int c = 0; c < 4; c++) {
        int w = rk[4 * (ROUNDS - r) + c];
        if (r > 0 && r < ROUNDS) {
          // InvMixColumns(w): D tables apply InvSubBytes first, so undo it with SubBytes
          w = D0[SBOX[w >>> 24]] ^ D1[SBOX[(w >>> 16) & 0xFF]] ^ D2[SBOX[(w >>> 8) & 0xFF]]
              ^ D3[SBOX[w & 0xFF]];
        }
        dk[4 * r + c] = w;
      }
    }
  }

  /**
   * Decrypts the block held as four big-endian column words in {@code s[0, 4)}, in place, with
   * the decryption key schedule {@code dk} of {@link #invertKey}.
   */
  static void decrypt(int[] dk, int[] s) {
    int s0 = s[0] ^ dk[0];
    int s1 = s[1] ^ dk[1];
    int s2 = s[2] ^ dk[2];
    int s3 = s[3] ^ dk[3];
    int k = 4;
    for (int round = 1; round < ROUNDS; round++) {
      // InvShiftRows moves row r right by r columns (§5.3.1)
      int t0 = D0[s0 >>> 24] ^ D1[(s3 >>> 16) & 0xFF] ^ D2[(s2 >>> 8) & 0xFF] ^ D3[s1 & 0xFF]
          ^ dk[k];
      int t1 = D0[s1 >>> 24] ^ D1[(s0 >>> 16) & 0xFF] ^ D2[(s3 >>> 8) & 0xFF] ^ D3[s2 & 0xFF]
          ^ dk[k + 1];
      int t2 = D0[s2 >>> 24] ^ D1[(s1 >>> 16) & 0xFF] ^ D2[(s0 >>> 8) & 0xFF] ^ D3[s3 & 0xFF]
          ^ dk[k + 2];
      int t3 = D0[s3 >>> 24] ^ D1[(s2 >>> 16) & 0xFF] ^ D2[(s1 >>> 8) & 0xFF] ^ D3[s0 & 0xFF]
          ^ dk[k + 3];
      s0 = t0;
      s1 = t1;
      s2 = t2;
      s3 = t3;
      k += 4;
    }
    s[0] = (INV_SBOX[s0 >>> 24] << 24 | INV_SBOX[(s3 >>> 16) & 0xFF] << 16
        | INV_SBOX[(s2 >>> 8) & 0xFF] << 8 | INV_SBOX[s1 & 0xFF]) ^ dk[k];
    s[1] = (INV_SBOX[s1 >>> 24] << 24 | INV_SBOX[(s0 >>> 16) & 0xFF] << 16
        | INV_SBOX[(s3 >>> 8) & 0xFF] << 8 | INV_SBOX[s2 & 0xFF]) ^ dk[k + 1];
    s[2] = (INV_SBOX[s2 >>> 24] << 24 | INV_SBOX[(s1 >>> 16) & 0xFF] << 16
        | INV_SBOX[(s0 >>> 8) & 0xFF] << 8 | INV_SBOX[s3 & 0xFF]) ^ dk[k + 2];
    s[3] = (INV_SBOX[s3 >>> 24] << 24 | INV_SBOX[(s2 >>> 16) & 0xFF] << 16
        | INV_SBOX[(s1 >>> 8) & 0xFF] << 8 | INV_SBOX[s0 & 0xFF]) ^ dk[k + 3];
  }

  /**
   * Encrypts the block held as four big-endian column words in {@code s[0, 4)}, in place, with
   * the expanded key {@code rk}.
   */
  static void encrypt(int[] rk, int[] s) {
    int s0 = s[0] ^ rk[0];
    int s1 = s[1] ^ rk[1];
    int s2 = s[2] ^ rk[2];
    int s3 = s[3] ^ rk[3];
    int k = 4;
    for (int round = 1; round < ROUNDS; round++) {
      int t0 = T0[s0 >>> 24] ^ T1[(s1 >>> 16) & 0xFF] ^ T2[(s2 >>> 8) & 0xFF] ^ T3[s3 & 0xFF]
          ^ rk[k];
      int t1 = T0[s1 >>> 24] ^ T1[(s2 >>> 16) & 0xFF] ^ T2[(s3 >>> 8) & 0xFF] ^ T3[s0 & 0xFF]
          ^ rk[k + 1];
      int t2 = T0[s2 >>> 24] ^ T1[(s3 >>> 16) & 0xFF] ^ T2[(s0 >>> 8) & 0xFF] ^ T3[s1 & 0xFF]
          ^ rk[k + 2];
      int t3 = T0[s3 >>> 24] ^ T1[(s0 >>> 16) & 0xFF] ^ T2[(s1 >>> 8) & 0xFF] ^ T3[s2 & 0xFF]
          ^ rk[k + 3];
      s0 = t0;
      s1 = t1;
      s2 = t2;
      s3 = t3;
      k += 4;
    }
    // last round: SubBytes, ShiftRows, AddRoundKey; no MixColumns (§5.1)
    s[0] = (SBOX[s0 >>> 24] << 24 | SBOX[(s1 >>> 16) & 0xFF] << 16
        | SBOX[(s2 >>> 8) & 0xFF] << 8 | SBOX[s3 & 0xFF]) ^ rk[k];
    s[1] = (SBOX[s1 >>> 24] << 24 | SBOX[(s2 >>> 16) & 0xFF] << 16
        | SBOX[(s3 >>> 8) & 0xFF] << 8 | SBOX[s0 & 0xFF]) ^ rk[k + 1];
    s[2] = (SBOX[s2 >>> 24] << 24 | SBOX[(s3 >>> 16) & 0xFF] << 16
        | SBOX[(s0 >>> 8) & 0xFF] << 8 | SBOX[s1 & 0xFF]) ^ rk[k + 2];
    s[3] = (SBOX[s3 >>> 24] << 24 | SBOX[(s0 >>> 16) & 0xFF] << 16
        | SBOX[(s1 >>> 8) & 0xFF] << 8 | SBOX[s2 & 0xFF]) ^ rk[k + 3];
  }
}
