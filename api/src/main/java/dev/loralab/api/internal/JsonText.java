package dev.loralab.api.internal;

import java.nio.charset.StandardCharsets;

/**
 * JSON text as protobuf-java-util's JsonFormat writes it: strings escaped as Gson's HTML-safe
 * writer does, standard padded base64, RFC 3339 timestamps and protobuf durations.
 */
final class JsonText {
  private static final byte[][] ASCII_ESCAPES = new byte[128][];
  private static final byte[] ESCAPED_2028 = ascii("\\u2028");
  private static final byte[] ESCAPED_2029 = ascii("\\u2029");
  private static final byte[] BASE64 =
      ascii("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

  static {
    for (int c = 0; c < 0x20; c++) {
      ASCII_ESCAPES[c] = ascii(String.format("\\u%04x", c));
    }
    ASCII_ESCAPES['"'] = ascii("\\\"");
    ASCII_ESCAPES['\\'] = ascii("\\\\");
    ASCII_ESCAPES['\t'] = ascii("\\t");
    ASCII_ESCAPES['\b'] = ascii("\\b");
    ASCII_ESCAPES['\n'] = ascii("\\n");
    ASCII_ESCAPES['\r'] = ascii("\\r");
    ASCII_ESCAPES['\f'] = ascii("\\f");
    // HTML-safe escapes
    ASCII_ESCAPES['<'] = ascii("\\u003c");
    ASCII_ESCAPES['>'] = ascii("\\u003e");
    ASCII_ESCAPES['&'] = ascii("\\u0026");
    ASCII_ESCAPES['='] = ascii("\\u003d");
    ASCII_ESCAPES['\''] = ascii("\\u0027");
  }

  private JsonText() {}

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Appends {@code s} as a quoted, escaped JSON string. */
  static void appendString(JsonOut out, CharSequence s) {
    out.append('"');
    appendEscaped(out, s);
    out.append('"');
  }

  private static void appendEscaped(JsonOut out, CharSequence s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 128) {
        byte[] e = ASCII_ESCAPES[c];
        if (e == null) {
          out.append(c);
        } else {
          out.append(e);
        }
      } else if (c == '\u2028') {
        out.append(ESCAPED_2028);
      } else if (c == '\u2029') {
        out.append(ESCAPED_2029);
      } else if (Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.appendCodePoint(Character.toCodePoint(c, s.charAt(++i)));
      } else if (Character.isSurrogate(c)) {
        out.append('?');
      } else {
        out.appendCodePoint(c);
      }
    }
  }

  /**
   * Appends the UTF-8 bytes {@code b[start, end)} as a quoted, escaped JSON string. Malformed UTF-8
   * throws if {@code strict} (as parsing a proto3 string does), else is decoded with replacement
   * characters exactly like {@code new String(bytes, UTF_8)} (a generated message's getter).
   */
  static void appendUtf8String(JsonOut out, byte[] b, int start, int end, boolean strict) {
    out.append('"');
    int mark = out.length();
    int i = start;
    while (i < end) {
      int run = i;
      while (i < end && b[i] >= 0 && ASCII_ESCAPES[b[i]] == null) {
        i++;
      }
      if (i > run) {
        out.append(b, run, i);
        if (i == end) {
          break;
        }
      }
      int c = b[i];
      if (c >= 0) {
        out.append(ASCII_ESCAPES[c]);
        i++;
        continue;
      }
      int len = sequenceLength(b, i, end);
      if (len == 0) {
        if (strict) {
          throw new PrintFailure("string is not valid UTF-8");
        }
        out.setLength(mark);
        appendEscaped(out, new String(b, start, end - start, StandardCharsets.UTF_8));
        out.append('"');
        return;
      }
      if (len == 3 && c == (byte) 0xE2 && b[i + 1] == (byte) 0x80
          && (b[i + 2] == (byte) 0xA8 || b[i + 2] == (byte) 0xA9)) {
        out.append(b[i + 2] == (byte) 0xA8 ? ESCAPED_2028 : ESCAPED_2029);
      } else {
        out.append(b, i, i + len);
      }
      i += len;
    }
    out.append('"');
  }

  /**
   * The length of the well-formed UTF-8 sequence of a non-ASCII lead byte at {@code i}, or 0 if
   * malformed (Unicode 15 table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
   */
  private static int sequenceLength(byte[] b, int i, int end) {
    int b0 = b[i] & 0xFF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      return i + 1 < end && isCont(b[i + 1]) ? 2 : 0;
    }
    if (b0 >= 0xE0 && b0 <= 0xEF) {
      if (i + 2 < end && isCont(b[i + 1]) && isCont(b[i + 2])) {
        int b1 = b[i + 1] & 0xFF;
        boolean ok = b0 == 0xE0 ? b1 >= 0xA0 : b0 != 0xED || b1 <= 0x9F;
        return ok ? 3 : 0;
      }
      return 0;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
      if (i + 3 < end && isCont(b[i + 1]) && isCont(b[i + 2]) && isCont(b[i + 3])) {
        int b1 = b[i + 1] & 0xFF;
        boolean ok = b0 == 0xF0 ? b1 >= 0x90 : b0 != 0xF4 || b1 <= 0x8F;
        return ok ? 4 : 0;
      }
      return 0;
    }
    return 0;
  }

  /** Decodes UTF-8 like {@link #appendUtf8String} (strict: malformed input throws). */
  static String decodeUtf8(byte[] b, int start, int end, boolean strict) {
    if (strict) {
      validateUtf8(b, start, end);
    }
    return new String(b, start, end - start, StandardCharsets.UTF_8);
  }

  /** Throws unless {@code b[start, end)} is well-formed UTF-8. */
  static void validateUtf8(byte[] b, int start, int end) {
    if (!isValidUtf8(b, start, end)) {
      throw new PrintFailure("string is not valid UTF-8");
    }
  }

  /** Whether {@code b[start, end)} is well-formed UTF-8. */
  static boolean isValidUtf8(byte[] b, int start, int end) {
    int i = start;
    while (i < end) {
      if (b[i] >= 0) {
        i++;
        continue;
      }
      int len = sequenceLength(b, i, end);
      if (len == 0) {
        return false;
      }
      i += len;
    }
    return true;
  }

  private static boolean isCont(byte x) {
    return (x & 0xC0) == 0x80;
  }

  /** Appends {@code b[start, end)} as a quoted standard base64 string with padding (RFC 4648 §4). */
  static void appendBase64(JsonOut out, byte[] b, int start, int end) {
    int n = end - start;
    int p = out.reserve(4 * ((n + 2) / 3) + 2);
    byte[] o = out.array();
    o[p++] = '"';
    int i = start;
    while (end - i >= 3) {
      int v = (b[i] & 0xFF) << 16 | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF);
      o[p] = BASE64[v >>> 18];
      o[p + 1] = BASE64[(v >>> 12) & 63];
      o[p + 2] = BASE64[(v >>> 6) & 63];
      o[p + 3] = BASE64[v & 63];
      p += 4;
      i += 3;
    }
    int rest = end - i;
    if (rest == 1) {
      int v = (b[i] & 0xFF) << 16;
      o[p] = BASE64[v >>> 18];
      o[p + 1] = BASE64[(v >>> 12) & 63];
      o[p + 2] = '=';
      o[p + 3] = '=';
      p += 4;
    } else if (rest == 2) {
      int v = (b[i] & 0xFF) << 16 | (b[i + 1] & 0xFF) << 8;
      o[p] = BASE64[v >>> 18];
      o[p + 1] = BASE64[(v >>> 12) & 63];
      o[p + 2] = BASE64[(v >>> 6) & 63];
      o[p + 3] = '=';
      p += 4;
    }
    o[p++] = '"';
    out.setLength(p);
  }

  /** Recently printed floats (RSSI, SNR repeat a lot): direct-mapped, racy but immutable entries. */
  private static final FloatText[] FLOATS = new FloatText[1024];

  private static final class FloatText {
    final int bits;
    final String text;

    FloatText(int bits, String text) {
      this.bits = bits;
      this.text = text;
    }
  }

  /** Appends a finite float exactly as {@code Float.toString} formats it. */
  static void appendFloat(JsonOut out, float v) {
    int bits = Float.floatToRawIntBits(v);
    int slot = (bits ^ bits >>> 10 ^ bits >>> 20) & (FLOATS.length - 1);
    FloatText t = FLOATS[slot];
    if (t == null || t.bits != bits) {
      t = new FloatText(bits, Float.toString(v));
      FLOATS[slot] = t;
    }
    out.append(t.text);
  }

  static final long TIMESTAMP_MIN_SECONDS = -62_135_596_800L; // 0001-01-01T00:00:00Z
  static final long TIMESTAMP_MAX_SECONDS = 253_402_300_799L; // 9999-12-31T23:59:59Z
  static final long DURATION_MAX_SECONDS = 315_576_000_000L; // 10,000 years

  /** Appends a google.protobuf.Timestamp as a quoted RFC 3339 UTC string (0, 3, 6 or 9 digits). */
  static void appendTimestamp(JsonOut out, long seconds, int nanos) {
    if (seconds < TIMESTAMP_MIN_SECONDS || seconds > TIMESTAMP_MAX_SECONDS
        || nanos < 0 || nanos > 999_999_999) {
      throw new PrintFailure("Timestamp is not valid (seconds " + seconds + ", nanos " + nanos
          + "; expected years 0001 to 9999 and nanos in [0, 999999999])");
    }
    out.append('"');
    out.append(dateTime(seconds));
    if (nanos != 0) {
      out.append('.');
      appendNanos(out, nanos);
    }
    out.append("Z\"");
  }

  /**
   * The date and time of recently printed seconds (an event's timestamps share a few):
   * direct-mapped, racy but immutable entries.
   */
  private static final DateTimeText[] DATE_TIMES = new DateTimeText[256];

  private static final class DateTimeText {
    final long seconds;
    final byte[] text;

    DateTimeText(long seconds, byte[] text) {
      this.seconds = seconds;
      this.text = text;
    }
  }

  /** {@code yyyy-MM-ddTHH:mm:ss} of a valid Timestamp's seconds, in ASCII. */
  private static byte[] dateTime(long seconds) {
    int slot = (int) seconds & (DATE_TIMES.length - 1);
    DateTimeText t = DATE_TIMES[slot];
    if (t == null || t.seconds != seconds) {
      JsonOut out = new JsonOut(19);
      long days = Math.floorDiv(seconds, 86_400L);
      int secOfDay = (int) Math.floorMod(seconds, 86_400L);
      // Civil date from days since 1970-01-01, proleptic Gregorian (eras of 400 years).
      long z = days + 719_468;
      long era = Math.floorDiv(z, 146_097);
      long doe = z - era * 146_097;
      long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
      long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
      long mp = (5 * doy + 2) / 153;
      int day = (int) (doy - (153 * mp + 2) / 5 + 1);
      int month = (int) (mp < 10 ? mp + 3 : mp - 9);
      long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
      pad(out, (int) year, 4);
      out.append('-');
      pad(out, month, 2);
      out.append('-');
      pad(out, day, 2);
      out.append('T');
      pad(out, secOfDay / 3600, 2);
      out.append(':');
      pad(out, secOfDay / 60 % 60, 2);
      out.append(':');
      pad(out, secOfDay % 60, 2);
      t = new DateTimeText(seconds, out.toByteArray());
      DATE_TIMES[slot] = t;
    }
    return t.text;
  }

  /** Appends a google.protobuf.Duration as a quoted string of seconds, e.g. "1.500s". */
  static void appendDuration(JsonOut out, long seconds, int nanos) {
    if (seconds < -DURATION_MAX_SECONDS || seconds > DURATION_MAX_SECONDS
        || nanos < -999_999_999 || nanos > 999_999_999
        || (seconds < 0 && nanos > 0) || (seconds > 0 && nanos < 0)) {
      throw new PrintFailure("Duration is not valid (seconds " + seconds + ", nanos " + nanos
          + "; expected |seconds| <= 315576000000, |nanos| <= 999999999, same signs)");
    }
    out.append('"');
    if (seconds < 0 || nanos < 0) {
      out.append('-');
      seconds = -seconds;
      nanos = -nanos;
    }
    out.append(seconds);
    if (nanos != 0) {
      out.append('.');
      appendNanos(out, nanos);
    }
    out.append("s\"");
  }

  /** 3, 6 or 9 fraction digits: as few as represent the nanos exactly. */
  private static void appendNanos(JsonOut out, int nanos) {
    if (nanos % 1_000_000 == 0) {
      pad(out, nanos / 1_000_000, 3);
    } else if (nanos % 1000 == 0) {
      pad(out, nanos / 1000, 6);
    } else {
      pad(out, nanos, 9);
    }
  }

  private static void pad(JsonOut out, int v, int width) {
    int limit = 1;
    for (int i = 1; i < width; i++) {
      limit *= 10;
    }
    while (limit > 1 && v < limit) {
      out.append('0');
      limit /= 10;
    }
    out.append(v);
  }

  /** A FieldMask path in JSON form: '_' dropped, the next character upper-cased, others lower. */
  static void appendFieldMaskPath(JsonOut out, String path) {
    StringBuilder camel = new StringBuilder(path.length());
    boolean upper = false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '_') {
        upper = true;
      } else if (upper) {
        camel.append(Character.toUpperCase(c));
        upper = false;
      } else {
        camel.append(Character.toLowerCase(c));
      }
    }
    out.appendChars(camel);
  }
}
