package dev.loralab.api.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable UTF-8 byte buffer the JSON is written into; {@link #toString()} decodes it once,
 * {@link #toByteArray()} copies it. What the printer writes is well-formed UTF-8.
 */
final class JsonOut {
  private static final byte[] LONG_MIN = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);

  private byte[] buf;
  private int len;

  JsonOut(int capacity) {
    buf = new byte[Math.max(capacity, 16)];
  }

  private void ensure(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

  /** Empties the buffer, keeping its capacity. */
  void reset() {
    len = 0;
  }

  int capacity() {
    return buf.length;
  }

  int length() {
    return len;
  }

  void setLength(int n) {
    len = n;
  }

  /**
   * Makes room for {@code n} more bytes and returns the position to write them at in
   * {@link #array()}; the writer then sets the new length with {@link #setLength(int)}.
   */
  int reserve(int n) {
    ensure(n);
    return len;
  }

  /** The backing array (valid until the next append or reserve): bytes [0, length()) are written. */
  byte[] array() {
    return buf;
  }

  /** Appends an ASCII character. */
  JsonOut append(char c) {
    ensure(1);
    buf[len++] = (byte) c;
    return this;
  }

  /** Appends bytes (already UTF-8 JSON text). */
  JsonOut append(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    return this;
  }

  /** Appends {@code b[start, end)} (already UTF-8 JSON text). */
  JsonOut append(byte[] b, int start, int end) {
    int n = end - start;
    ensure(n);
    System.arraycopy(b, start, buf, len, n);
    len += n;
    return this;
  }

  /** Appends an ASCII string (numbers, names, constants). */
  JsonOut append(String ascii) {
    int n = ascii.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) ascii.charAt(i);
    }
    return this;
  }

  JsonOut append(boolean v) {
    return append(v ? "true" : "false");
  }

  JsonOut append(int v) {
    return append((long) v);
  }

  /** Appends a long in decimal, as {@code Long.toString}. */
  JsonOut append(long v) {
    if (v == Long.MIN_VALUE) {
      return append(LONG_MIN);
    }
    ensure(20);
    if (v < 0) {
      buf[len++] = '-';
      v = -v;
    }
    int digits = 1;
    for (long t = v; t >= 10; t /= 10) {
      digits++;
    }
    int p = len + digits;
    len = p;
    do {
      buf[--p] = (byte) ('0' + (int) (v % 10));
      v /= 10;
    } while (v != 0);
    return this;
  }

  /** Appends a long read as unsigned in decimal, as {@code Long.toUnsignedString}. */
  JsonOut appendUnsigned(long v) {
    if (v >= 0) {
      return append(v);
    }
    long q = Long.divideUnsigned(v, 10);
    append(q);
    return append((char) ('0' + (int) (v - q * 10)));
  }

  /** Appends a finite float as {@code Float.toString} formats it. */
  JsonOut append(float v) {
    return append(Float.toString(v));
  }

  /** Appends a finite double as {@code Double.toString} formats it. */
  JsonOut append(double v) {
    return append(Double.toString(v));
  }

  /** Appends one UTF-16 code unit or a surrogate pair's code point as UTF-8 (no escaping). */
  void appendCodePoint(int cp) {
    ensure(4);
    if (cp < 0x80) {
      buf[len++] = (byte) cp;
    } else if (cp < 0x800) {
      buf[len++] = (byte) (0xC0 | cp >> 6);
      buf[len++] = (byte) (0x80 | cp & 0x3F);
    } else if (cp < 0x10000) {
      buf[len++] = (byte) (0xE0 | cp >> 12);
      buf[len++] = (byte) (0x80 | cp >> 6 & 0x3F);
      buf[len++] = (byte) (0x80 | cp & 0x3F);
    } else {
      buf[len++] = (byte) (0xF0 | cp >> 18);
      buf[len++] = (byte) (0x80 | cp >> 12 & 0x3F);
      buf[len++] = (byte) (0x80 | cp >> 6 & 0x3F);
      buf[len++] = (byte) (0x80 | cp & 0x3F);
    }
  }

  /**
   * Appends chars as UTF-8 without escaping; an unpaired surrogate becomes '?', as
   * {@code String.getBytes(UTF_8)} encodes it.
   */
  void appendChars(CharSequence s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        appendCodePoint(Character.toCodePoint(c, s.charAt(++i)));
      } else if (Character.isSurrogate(c)) {
        append('?');
      } else {
        appendCodePoint(c);
      }
    }
  }

  /** Hands the bytes written to {@code sink} in one call. */
  void writeTo(dev.loralab.api.Utf8Sink sink) {
    sink.write(buf, 0, len);
  }

  /** A copy of the bytes written. */
  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  /** The JSON text. */
  @Override
  public String toString() {
    return new String(buf, 0, len, StandardCharsets.UTF_8);
  }
}
