package dev.loralab.lorawan;

/**
 * A 64-bit extended unique identifier (DevEUI, JoinEUI/AppEUI, gateway EUI).
 *
 * <p>{@code value} holds the EUI in display order: the most significant byte is the first byte
 * shown. On the air the EUI is little-endian (LoRaWAN 1.1 §1.2).
 *
 * @param value the EUI, MSB-first
 */
public record Eui64(long value) implements Comparable<Eui64> {

  /** Length on the wire, in bytes. */
  public static final int SIZE = 8;

  /** Parses 16 hex digits, MSB first, e.g. {@code "70B3D57ED0000001"}. */
  public static Eui64 parse(String hex16) {
    return new Eui64(HexBytes.parseUnsigned("EUI64", hex16, 16));
  }

  /** Reads 8 little-endian (wire-order) bytes at {@code off}. */
  public static Eui64 readLittleEndian(byte[] b, int off) {
    return new Eui64(WireBytes.readLe(b, off, SIZE, "EUI64"));
  }

  /** Builds an EUI from 8 bytes in display (big-endian) order. */
  public static Eui64 ofBigEndian(byte[] b8) {
    WireBytes.require(b8, 0, SIZE, "EUI64");
    if (b8.length != SIZE) {
      throw new LoRaWanException("EUI64", "8 bytes", b8.length + " bytes");
    }
    long v = 0;
    for (byte x : b8) {
      v = (v << 8) | (x & 0xFF);
    }
    return new Eui64(v);
  }

  /** Writes the 8 wire-order (little-endian) bytes at {@code off}. */
  public void writeLittleEndian(byte[] b, int off) {
    WireBytes.writeLe(value, b, off, SIZE, "EUI64");
  }

  /** The 8 bytes in display (big-endian) order. */
  public byte[] toBigEndianBytes() {
    byte[] out = new byte[SIZE];
    long v = value;
    for (int i = SIZE - 1; i >= 0; i--) {
      out[i] = (byte) v;
      v >>>= 8;
    }
    return out;
  }

  @Override
  public int compareTo(Eui64 o) {
    return Long.compareUnsigned(value, o.value);
  }

  /** 16 uppercase hex digits, MSB first. */
  @Override
  public String toString() {
    return HexBytes.formatUnsigned(value, 16);
  }
}
