package dev.loralab.lorawan;

/** Little-endian reads and writes with explicit bounds checks (LoRaWAN 1.1 §1.2: LE on the wire). */
final class WireBytes {

  private WireBytes() {}

  static void require(byte[] b, int off, int len, String field) {
    if (b == null) {
      throw new LoRaWanException(field, len + " bytes", "null");
    }
    if (off < 0 || len < 0 || off > b.length - len) {
      throw new LoRaWanException(field, len + " bytes at offset " + off,
          Math.max(0, b.length - Math.max(off, 0)) + " bytes available");
    }
  }

  static long readLe(byte[] b, int off, int len, String field) {
    require(b, off, len, field);
    long v = 0;
    for (int i = len - 1; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  static void writeLe(long v, byte[] b, int off, int len, String field) {
    require(b, off, len, field);
    for (int i = 0; i < len; i++) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
