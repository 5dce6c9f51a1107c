package dev.loralab.lorawan;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A 128-bit AES key (AppKey, NwkKey, or a session key). Keys are plain byte strings and are never
 * byte-reversed. {@link #toString()} does not reveal the key, so keys never leak into logs; use
 * {@link #toHex()} deliberately.
 */
public final class AesKey {

  /** Key length in bytes. */
  public static final int SIZE = 16;

  private final byte[] bytes;

  private AesKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Parses 32 hex digits. */
  public static AesKey parse(String hex32) {
    return new AesKey(HexBytes.parse("AesKey", hex32, SIZE));
  }

  /** Copies a 16-byte array into a key. */
  public static AesKey of(byte[] key16) {
    if (key16 == null) {
      throw new LoRaWanException("AesKey", "16 bytes", "null");
    }
    if (key16.length != SIZE) {
      throw new LoRaWanException("AesKey", "16 bytes", key16.length + " bytes");
    }
    return new AesKey(key16.clone());
  }

  /** A copy of the 16 key bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /**
   * Copies the 16 key bytes into {@code dst} at {@code off}, for callers that keep key material
   * in a buffer of their own instead of a fresh copy per use.
   *
   * @throws LoRaWanException if fewer than 16 bytes of {@code dst} follow {@code off}
   */
  public void copyTo(byte[] dst, int off) {
    WireBytes.require(dst, off, SIZE, "AesKey");
    System.arraycopy(bytes, 0, dst, off, SIZE);
  }

  /**
   * Whether {@code hex} is this key as 32 hex digits (either case), without parsing it into a new
   * key: for callers that remember parsed keys by their text. False for null, another length or a
   * non-hex character; never throws. Takes the same time for any 32 characters.
   */
  public boolean isHex(String hex) {
    if (hex == null || hex.length() != 2 * SIZE) {
      return false;
    }
    int diff = 0;
    for (int i = 0; i < SIZE; i++) {
      diff |= (hexDigit(hex.charAt(2 * i)) << 4 | hexDigit(hex.charAt(2 * i + 1)))
          ^ (bytes[i] & 0xFF);
    }
    return diff == 0;
  }

  /** The value of a hex digit, or 0x100 (never equal to a byte) for any other character. */
  private static int hexDigit(char c) {
    int d = HexBytes.value(c);
    return d < 0 ? 0x100 : d;
  }

  /** The key as 32 uppercase hex digits. */
  public String toHex() {
    return HexBytes.format(bytes);
  }

  /** Constant-time content equality. */
  @Override
  public boolean equals(Object o) {
    return o instanceof AesKey k && MessageDigest.isEqual(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Always {@code AesKey[redacted]}. */
  @Override
  public String toString() {
    return "AesKey[redacted]";
  }
}
