package dev.loralab.lorawan;

import java.util.Arrays;

/**
 * An immutable byte string with content equality, used wherever a frame carries raw bytes
 * (FRMPayload, CFList, encrypted join-accept, proprietary payload). {@link #toString()} is
 * uppercase hex.
 */
public final class Bytes {

  /** The empty byte string. */
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies {@code b}. */
  public static Bytes of(byte[] b) {
    if (b == null) {
      throw new LoRaWanException("Bytes", "a byte array", "null");
    }
    return b.length == 0 ? EMPTY : new Bytes(b.clone());
  }

  /** Copies {@code len} bytes of {@code b} from {@code off}. */
  public static Bytes of(byte[] b, int off, int len) {
    WireBytes.require(b, off, len, "Bytes");
    return len == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(b, off, off + len));
  }

  /** Parses hex text (either case, even length). */
  public static Bytes parse(String hex) {
    return of(HexBytes.parse("Bytes", hex));
  }

  /** Number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** True if there are no bytes. */
  public boolean isEmpty() {
    return bytes.length == 0;
  }

  /** The byte at {@code i}, 0..255. */
  public int get(int i) {
    if (i < 0 || i >= bytes.length) {
      throw new LoRaWanException("Bytes", "an index in 0.." + (bytes.length - 1), Integer.toString(i));
    }
    return bytes[i] & 0xFF;
  }

  /** A copy of the bytes. */
  public byte[] toArray() {
    return bytes.clone();
  }

  /** Copies the bytes into {@code dst} at {@code off}. */
  public void copyTo(byte[] dst, int off) {
    WireBytes.require(dst, off, bytes.length, "Bytes");
    System.arraycopy(bytes, 0, dst, off, bytes.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Uppercase hex. */
  @Override
  public String toString() {
    return HexBytes.format(bytes);
  }
}
