package dev.loralab.api.internal;

/**
 * Reading the protobuf binary wire format (protobuf encoding guide: varints, fixed-width
 * little-endian values, length-delimited records, groups) from a byte array. Every read checks its
 * bounds and throws {@link PrintFailure} naming what was malformed.
 */
final class WireReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int START_GROUP = 3;
  static final int END_GROUP = 4;
  static final int FIXED32 = 5;

  private WireReader() {}

  /** The end of the varint starting at {@code p} (at most 10 bytes, within {@code end}). */
  static int skipVarint(byte[] b, int p, int end) {
    for (int i = 0; i < 10; i++) {
      if (p >= end) {
        throw new PrintFailure("truncated varint");
      }
      if (b[p++] >= 0) {
        return p;
      }
    }
    throw new PrintFailure("malformed varint (more than 10 bytes)");
  }

  /**
   * The varint starting at {@code p}, already known to be well-formed (see skipVarint). A 10-byte
   * varint reads as protobuf-java's CodedInputStream reads it (its array fast path): bit 63 set,
   * the tenth byte's payload ignored; canonical encodings (tenth byte 0x01) read the same either way.
   */
  static long varint(byte[] b, int p) {
    long v = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      byte x = b[p++];
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return v;
      }
    }
    return v | Long.MIN_VALUE;
  }

  static int fixed32(byte[] b, int p) {
    return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
  }

  static long fixed64(byte[] b, int p) {
    return (fixed32(b, p) & 0xFFFFFFFFL) | (long) fixed32(b, p + 4) << 32;
  }

  /**
   * Skips the body of a group whose start tag had field number {@code number}, starting at
   * {@code p}; returns the position of its end-group tag. {@code depth} bounds nesting.
   */
  static int skipGroup(byte[] b, int p, int end, int number, int depth) {
    if (depth > 100) {
      throw new PrintFailure("groups nested too deeply");
    }
    while (true) {
      if (p >= end) {
        throw new PrintFailure("truncated group " + number);
      }
      int tagStart = p;
      p = skipVarint(b, p, end);
      int tag = (int) varint(b, tagStart);
      int wt = tag & 7;
      int n = tag >>> 3;
      if (n == 0) {
        throw new PrintFailure("invalid tag (field number 0)");
      }
      switch (wt) {
        case VARINT: p = skipVarint(b, p, end); break;
        case FIXED64: p = checkFixed(p, 8, end); break;
        case FIXED32: p = checkFixed(p, 4, end); break;
        case LENGTH_DELIMITED: {
          int lenStart = p;
          p = skipVarint(b, p, end);
          p = checkLength(p, (int) varint(b, lenStart), end);
          break;
        }
        case START_GROUP: {
          int q = skipGroup(b, p, end, n, depth + 1);
          p = skipVarint(b, q, end);
          break;
        }
        case END_GROUP:
          if (n != number) {
            throw new PrintFailure("end-group tag " + n + " does not match group " + number);
          }
          return tagStart;
        default:
          throw new PrintFailure("invalid wire type " + wt + " of field " + n);
      }
    }
  }

  static int checkFixed(int p, int size, int end) {
    if (end - p < size) {
      throw new PrintFailure("truncated fixed" + (size * 8) + " value");
    }
    return p + size;
  }

  static int checkLength(int p, int len, int end) {
    if (len < 0) {
      throw new PrintFailure("negative length " + len);
    }
    if (end - p < len) {
      throw new PrintFailure("truncated length-delimited value (length " + len + ", "
          + (end - p) + " bytes left)");
    }
    return p + len;
  }
}
