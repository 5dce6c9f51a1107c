package dev.loralab.gatewayserver.udp;

import java.util.Arrays;

/**
 * Decodes base64 text (RFC 4648 §4, the basic alphabet) from ASCII bytes into a caller's array,
 * for the one shape packet forwarders send: whole 4-character quanta, the last one possibly
 * padded with one or two {@code =}. For that shape the bytes are those of
 * {@code Base64.getDecoder().decode}, which ignores the unused low bits of a padded quantum as
 * this does. Anything else (unpadded or malformed text) is refused with -1 and left to the JDK's
 * decoder and its error. Pure.
 */
final class Base64Quanta {

  private static final byte[] VALUES = new byte[128];

  static {
    Arrays.fill(VALUES, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = (byte) i;
    }
  }

  private Base64Quanta() {}

  /** The most bytes {@code chars} characters decode to. */
  static int maxDecodedLength(int chars) {
    return chars / 4 * 3;
  }

  /**
   * Decodes {@code c[off, off + len)} into {@code out} from index 0; the number of bytes, or -1
   * if the text is not whole padded quanta of the basic alphabet (then {@code out} holds
   * garbage). {@code out} must have room for {@link #maxDecodedLength maxDecodedLength(len)}.
   */
  static int decode(byte[] c, int off, int len, byte[] out) {
    if ((len & 3) != 0) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    int pad = c[off + len - 1] == '=' ? (c[off + len - 2] == '=' ? 2 : 1) : 0;
    int end = off + len - 4; // the last quantum is decoded apart (its padding)
    int o = 0;
    for (int i = off; i < end; i += 4) {
      int bits = sextet(c[i]) << 18 | sextet(c[i + 1]) << 12 | sextet(c[i + 2]) << 6
          | sextet(c[i + 3]);
      if (bits < 0) {
        return -1;
      }
      out[o] = (byte) (bits >> 16);
      out[o + 1] = (byte) (bits >> 8);
      out[o + 2] = (byte) bits;
      o += 3;
    }
    int a = sextet(c[end]);
    int b = sextet(c[end + 1]);
    int x = pad == 2 ? 0 : sextet(c[end + 2]);
    int y = pad >= 1 ? 0 : sextet(c[end + 3]);
    if ((a | b | x | y) < 0) {
      return -1;
    }
    int bits = a << 18 | b << 12 | x << 6 | y;
    out[o++] = (byte) (bits >> 16);
    if (pad < 2) {
      out[o++] = (byte) (bits >> 8);
    }
    if (pad < 1) {
      out[o++] = (byte) bits;
    }
    return o;
  }

  /** The 6-bit value of a base64 character, or a negative number (so an OR of them is too). */
  private static int sextet(byte ch) {
    return ch >= 0 ? VALUES[ch] : -1;
  }
}
