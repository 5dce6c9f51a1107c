package dev.loralab.lorawan;

/**
 * The 24-bit JoinNonce (AppNonce in 1.0.x) of a join-accept (LoRaWAN 1.1 §6.2.3). Displayed
 * MSB-first as 6 hex digits, little-endian on the wire.
 *
 * @param value 0..0xFFFFFF
 */
public record JoinNonce(int value) {

  /** Length on the wire, in bytes. */
  public static final int SIZE = 3;

  /** Validates the 24-bit range. */
  public JoinNonce {
    if ((value & ~0xFFFFFF) != 0) {
      throw new LoRaWanException("JoinNonce", "a 24-bit value", "0x" + Integer.toHexString(value));
    }
  }

  /** Parses 6 hex digits, MSB first. */
  public static JoinNonce parse(String hex6) {
    return new JoinNonce((int) HexBytes.parseUnsigned("JoinNonce", hex6, 6));
  }

  /** Reads 3 little-endian bytes at {@code off}. */
  public static JoinNonce readLittleEndian(byte[] b, int off) {
    return new JoinNonce((int) WireBytes.readLe(b, off, SIZE, "JoinNonce"));
  }

  /** Writes 3 little-endian bytes at {@code off}. */
  public void writeLittleEndian(byte[] b, int off) {
    WireBytes.writeLe(value, b, off, SIZE, "JoinNonce");
  }

  /** 6 uppercase hex digits, MSB first. */
  @Override
  public String toString() {
    return HexBytes.formatUnsigned(value, 6);
  }
}
