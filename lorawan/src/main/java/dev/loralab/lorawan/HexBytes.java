package dev.loralab.lorawan;

/** Conversions between byte strings and uppercase hexadecimal text. */
public final class HexBytes {

  private static final char[] DIGITS = "0123456789ABCDEF".toCharArray();

  private HexBytes() {}

  /**
   * Parses hexadecimal text (either case, no separators, even length).
   *
   * @param field the field name used in the error message
   * @param hex the text
   * @return the bytes
   * @throws LoRaWanException if the text is null, of odd length, or has a non-hex character
   */
  public static byte[] parse(String field, String hex) {
    if (hex == null) {
      throw new LoRaWanException(field, "hex string", "null");
    }
    if ((hex.length() & 1) != 0) {
      throw new LoRaWanException(field, "an even number of hex digits", hex.length() + " digits");
    }
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = digit(field, hex, 2 * i);
      int lo = digit(field, hex, 2 * i + 1);
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /**
   * Parses hexadecimal text of an exact byte length.
   *
   * @throws LoRaWanException if the text is not exactly {@code 2 * length} hex digits
   */
  public static byte[] parse(String field, String hex, int length) {
    if (hex == null) {
      throw new LoRaWanException(field, (2 * length) + " hex digits", "null");
    }
    if (hex.length() != 2 * length) {
      throw new LoRaWanException(field, (2 * length) + " hex digits", hex.length() + " characters");
    }
    return parse(field, hex);
  }

  /** Formats all bytes as uppercase hex. */
  public static String format(byte[] bytes) {
    if (bytes == null) {
      throw new LoRaWanException("bytes", "a byte array", "null");
    }
    return format(bytes, 0, bytes.length);
  }

  /** Formats {@code len} bytes from {@code off} as uppercase hex. */
  public static String format(byte[] bytes, int off, int len) {
    WireBytes.require(bytes, off, len, "bytes");
    char[] out = new char[2 * len];
    for (int i = 0; i < len; i++) {
      int b = bytes[off + i] & 0xFF;
      out[2 * i] = DIGITS[b >>> 4];
      out[2 * i + 1] = DIGITS[b & 0x0F];
    }
    return new String(out);
  }

  /** Parses an unsigned big-endian (display-order) hex number of exactly {@code digits} digits. */
  static long parseUnsigned(String field, String hex, int digits) {
    if (hex == null) {
      throw new LoRaWanException(field, digits + " hex digits", "null");
    }
    if (hex.length() != digits) {
      throw new LoRaWanException(field, digits + " hex digits", "\"" + abbreviate(hex) + "\" (" + hex.length() + " characters)");
    }
    long v = 0;
    for (int i = 0; i < digits; i++) {
      v = (v << 4) | digit(field, hex, i);
    }
    return v;
  }

  /** Formats the low {@code digits} nibbles of {@code value} as uppercase hex, MSB first. */
  static String formatUnsigned(long value, int digits) {
    char[] out = new char[digits];
    for (int i = digits - 1; i >= 0; i--) {
      out[i] = DIGITS[(int) (value & 0x0F)];
      value >>>= 4;
    }
    return new String(out);
  }

  private static int digit(String field, String hex, int i) {
    char c = hex.charAt(i);
    int d = value(c);
    if (d < 0) {
      throw new LoRaWanException(field, "hex digit at position " + i, "'" + c + "'");
    }
    return d;
  }

  /** The value of an ASCII hex digit (either case), or -1 for any other character. */
  static int value(char c) {
    return c > 'f' ? -1 : Character.digit(c, 16);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
