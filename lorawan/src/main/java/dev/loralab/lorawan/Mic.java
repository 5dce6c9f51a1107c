package dev.loralab.lorawan;

/**
 * A 4-byte message integrity code, as it appears on the wire. The first wire byte is the most
 * significant byte of {@code value}, so {@link #toString()} shows the bytes in wire order.
 *
 * @param value the MIC bytes, first wire byte most significant
 */
public record Mic(int value) {

  /** Length on the wire, in bytes. */
  public static final int SIZE = 4;

  /** Reads 4 bytes in wire order at {@code off}. */
  public static Mic of(byte[] b, int off) {
    WireBytes.require(b, off, SIZE, "MIC");
    return new Mic(((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF));
  }

  /** Parses 8 hex digits in wire order, e.g. {@code "93FF9A3A"}. */
  public static Mic parse(String hex8) {
    return new Mic((int) HexBytes.parseUnsigned("MIC", hex8, 8));
  }

  /** Writes the 4 bytes in wire order at {@code off}. */
  public void write(byte[] b, int off) {
    WireBytes.require(b, off, SIZE, "MIC");
    b[off] = (byte) (value >>> 24);
    b[off + 1] = (byte) (value >>> 16);
    b[off + 2] = (byte) (value >>> 8);
    b[off + 3] = (byte) value;
  }

  /** The 4 bytes in wire order. */
  public byte[] toBytes() {
    byte[] out = new byte[SIZE];
    write(out, 0);
    return out;
  }

  /** 8 uppercase hex digits in wire order. */
  @Override
  public String toString() {
    return HexBytes.formatUnsigned(value & 0xFFFFFFFFL, 8);
  }
}
