package dev.loralab.lorawan;

/**
 * The 16-bit DevNonce of a join-request (LoRaWAN 1.1 §6.2.2). Displayed MSB-first
 * (e.g. {@code "AF7C"}), little-endian on the wire.
 *
 * @param value 0..65535
 */
public record DevNonce(int value) {

  /** Length on the wire, in bytes. */
  public static final int SIZE = 2;

  /** Validates the 16-bit range. */
  public DevNonce {
    if ((value & ~0xFFFF) != 0) {
      throw new LoRaWanException("DevNonce", "a value in 0..65535", Integer.toString(value));
    }
  }

  /** Parses 4 hex digits, MSB first. */
  public static DevNonce parse(String hex4) {
    return new DevNonce((int) HexBytes.parseUnsigned("DevNonce", hex4, 4));
  }

  /** Reads 2 little-endian bytes at {@code off}. */
  public static DevNonce readLittleEndian(byte[] b, int off) {
    return new DevNonce((int) WireBytes.readLe(b, off, SIZE, "DevNonce"));
  }

  /** Writes 2 little-endian bytes at {@code off}. */
  public void writeLittleEndian(byte[] b, int off) {
    WireBytes.writeLe(value, b, off, SIZE, "DevNonce");
  }

  /** 4 uppercase hex digits, MSB first. */
  @Override
  public String toString() {
    return HexBytes.formatUnsigned(value, 4);
  }
}
