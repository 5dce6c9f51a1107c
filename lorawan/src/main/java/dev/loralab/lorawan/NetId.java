package dev.loralab.lorawan;

/**
 * A 24-bit LoRaWAN network identifier (LoRaWAN Backend Interfaces §13): 3-bit type in the
 * most significant bits, the network ID in the rest. Little-endian on the wire (3 bytes).
 *
 * @param value the NetID, 0..0xFFFFFF
 */
public record NetId(int value) {

  /** Length on the wire, in bytes. */
  public static final int SIZE = 3;

  /** NwkID width in bits, indexed by NetID type (Backend Interfaces 1.0, Table 3). */
  static final int[] NWK_ID_BITS = {6, 6, 9, 11, 12, 13, 15, 17};

  /** Validates the 24-bit range. */
  public NetId {
    if ((value & ~0xFFFFFF) != 0) {
      throw new LoRaWanException("NetID", "a 24-bit value", "0x" + Integer.toHexString(value));
    }
  }

  /** Parses 6 hex digits, MSB first, e.g. {@code "000013"}. */
  public static NetId parse(String hex6) {
    return new NetId((int) HexBytes.parseUnsigned("NetID", hex6, 6));
  }

  /** Reads 3 little-endian bytes at {@code off}. */
  public static NetId readLittleEndian(byte[] b, int off) {
    return new NetId((int) WireBytes.readLe(b, off, SIZE, "NetID"));
  }

  /** Writes 3 little-endian bytes at {@code off}. */
  public void writeLittleEndian(byte[] b, int off) {
    WireBytes.writeLe(value, b, off, SIZE, "NetID");
  }

  /** The NetID type, 0..7 (the 3 most significant bits). */
  public int type() {
    return value >>> 21;
  }

  /** The 21-bit ID part (everything below the type). */
  public int id() {
    return value & 0x1FFFFF;
  }

  /** The NwkID carried in DevAddrs of this network: the low NwkID-width bits of the ID. */
  public int nwkId() {
    return value & ((1 << NWK_ID_BITS[type()]) - 1);
  }

  /** 6 uppercase hex digits, MSB first. */
  @Override
  public String toString() {
    return HexBytes.formatUnsigned(value, 6);
  }
}
