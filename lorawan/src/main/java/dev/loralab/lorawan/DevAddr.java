package dev.loralab.lorawan;

/**
 * A 32-bit device address. {@code value} is in display order (MSB first); little-endian on the
 * wire. The address starts with a type prefix (N ones then a zero for NetID type N), followed
 * by the NwkID and the NwkAddr (LoRaWAN Backend Interfaces §13).
 *
 * @param value the address, MSB-first
 */
public record DevAddr(int value) {

  /** Length on the wire, in bytes. */
  public static final int SIZE = 4;

  /**
   * The address mixed over all 32 bits, for tables indexed by DevAddr and for spreading work per
   * device: the DevAddrs of one NetID share their high bits and are often allocated in sequence,
   * so their low bits alone would crowd a few slots. Fixed for a given address.
   */
  public int mixed() {
    int h = value * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /** Parses 8 hex digits, MSB first, e.g. {@code "26011BDA"}. */
  public static DevAddr parse(String hex8) {
    return new DevAddr((int) HexBytes.parseUnsigned("DevAddr", hex8, 8));
  }

  /** Reads 4 little-endian bytes at {@code off}. */
  public static DevAddr readLittleEndian(byte[] b, int off) {
    return new DevAddr((int) WireBytes.readLe(b, off, SIZE, "DevAddr"));
  }

  /**
   * The address with the prefix and NwkID of {@code netId} and the given NwkAddr.
   *
   * @throws LoRaWanException if {@code nwkAddr} does not fit the NwkAddr width of the NetID type
   */
  public static DevAddr inNetId(NetId netId, int nwkAddr) {
    if (netId == null) {
      throw new LoRaWanException("NetID", "a NetID", "null");
    }
    int type = netId.type();
    int nwkIdBits = NetId.NWK_ID_BITS[type];
    int nwkAddrBits = 32 - (type + 1) - nwkIdBits;
    if (nwkAddr < 0 || (nwkAddrBits < 31 && nwkAddr >= (1 << nwkAddrBits))) {
      throw new LoRaWanException("DevAddr.NwkAddr", "a " + nwkAddrBits + "-bit value for NetID type " + type,
          "0x" + Integer.toHexString(nwkAddr));
    }
    int prefix = prefix(type);
    return new DevAddr(prefix | (netId.nwkId() << nwkAddrBits) | nwkAddr);
  }

  /** Writes 4 little-endian bytes at {@code off}. */
  public void writeLittleEndian(byte[] b, int off) {
    WireBytes.writeLe(value, b, off, SIZE, "DevAddr");
  }

  /** The 4 bytes in display (big-endian) order. */
  public byte[] toBigEndianBytes() {
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
  }

  /** The NetID type from the address prefix, 0..7, or -1 if the first byte is 0xFF (invalid prefix). */
  public int netIdType() {
    int leadingOnes = Integer.numberOfLeadingZeros(~value);
    return leadingOnes <= 7 ? leadingOnes : -1;
  }

  /** The NwkID field, or -1 if the address has no valid prefix. */
  public int nwkId() {
    int type = netIdType();
    if (type < 0) {
      return -1;
    }
    int nwkIdBits = NetId.NWK_ID_BITS[type];
    int nwkAddrBits = 32 - (type + 1) - nwkIdBits;
    return (value >>> nwkAddrBits) & ((1 << nwkIdBits) - 1);
  }

  /** The NwkAddr field (the bits after prefix and NwkID), or -1 if the address has no valid prefix. */
  public int nwkAddr() {
    int type = netIdType();
    if (type < 0) {
      return -1;
    }
    int nwkAddrBits = 32 - (type + 1) - NetId.NWK_ID_BITS[type];
    return value & ((1 << nwkAddrBits) - 1);
  }

  /** True if the prefix matches the NetID type and the NwkID matches the NetID's NwkID. */
  public boolean belongsTo(NetId netId) {
    return netId != null && netIdType() == netId.type() && nwkId() == netId.nwkId();
  }

  /** 8 uppercase hex digits, MSB first. */
  @Override
  public String toString() {
    return HexBytes.formatUnsigned(value & 0xFFFFFFFFL, 8);
  }

  private static int prefix(int type) {
    // type N: N ones followed by a zero in the most significant bits
    return type == 0 ? 0 : (int) (0xFFFFFFFF00000000L >>> type);
  }
}
