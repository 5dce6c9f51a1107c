package dev.loralab.api.internal;

import java.nio.charset.StandardCharsets;

/**
 * JSON text as protobuf-java-util's JsonFormat writes it: strings escaped as Gson's HTML-safe
 * writer does, standard padded base64, RFC 3339 timestamps and protobuf durations.
 */
final class JsonText {
  private static final String[] ASCII_ESCAPES = new String[128];
  private static final char[] BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

  static {
    for (int c = 0; c < 0x20; c++) {
      ASCII_ESCAPES[c] = String.format("\\u%04x", c);
    }
    ASCII_ESCAPES['"'] = "\\\"";
    ASCII_ESCAPES['\\'] = "\\\\";
    ASCII_ESCAPES['\t'] = "\\t";
    ASCII_ESCAPES['\b'] = "\\b";
    ASCII_ESCAPES['\n'] = "\\n";
    ASCII_ESCAPES['\r'] = "\\r";
    ASCII_ESCAPES['\f'] = "\\f";
    // HTML-safe escapes
    ASCII_ESCAPES['<'] = "\\u003c";
    ASCII_ESCAPES['>'] = "\\u003e";
    ASCII_ESCAPES['&'] = "\\u0026";
    ASCII_ESCAPES['='] = "\\u003d";
    ASCII_ESCAPES['\''] = "\\u0027";
  }

  private JsonText() {}

  /** Appends {@code s} as a quoted, escaped JSON string. */
  static void appendString(StringBuilder out, CharSequence s) {
    out.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      appendChar(out, s.charAt(i));
    }
    out.append('"');
  }

  private static void appendChar(StringBuilder out, char c) {
    if (c < 128) {
      String e = ASCII_ESCAPES[c];
      if (e == null) {
        out.append(c);
      } else {
        out.append(e);
      }
    } else if (c == '\u2028') {
      out.append("\\u2028");
    } else if (c == '\u2029') {
      out.append("\\u2029");
    } else {
      out.append(c);
    }
  }

  /**
   * Appends the UTF-8 bytes {@code b[start, end)} as a quoted, escaped JSON string. Malformed UTF-8
   * throws if {@code strict} (as parsing a proto3 string does), else is decoded with replacement
   * characters exactly like {@code new String(bytes, UTF_8)} (a generated message's getter).
   */
  static void appendUtf8String(StringBuilder out, byte[] b, int start, int end, boolean strict) {
    out.append('"');
    int mark = out.length();
    int i = start;
    while (i < end) {
      int c = b[i];
      if (c >= 0) {
        String e = ASCII_ESCAPES[c];
        if (e == null) {
          out.append((char) c);
        } else {
          out.append(e);
        }
        i++;
        continue;
      }
      int cp = -1;
      int len = 0;
      int b0 = c & 0xFF;
      if (b0 >= 0xC2 && b0 <= 0xDF) {
        if (i + 1 < end && isCont(b[i + 1])) {
          cp = (b0 & 0x1F) << 6 | (b[i + 1] & 0x3F);
          len = 2;
        }
      } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (i + 2 < end && isCont(b[i + 1]) && isCont(b[i + 2])) {
          int b1 = b[i + 1] & 0xFF;
          boolean ok = b0 == 0xE0 ? b1 >= 0xA0 : b0 != 0xED || b1 <= 0x9F;
          if (ok) {
            cp = (b0 & 0x0F) << 12 | (b1 & 0x3F) << 6 | (b[i + 2] & 0x3F);
            len = 3;
          }
        }
      } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (i + 3 < end && isCont(b[i + 1]) && isCont(b[i + 2]) && isCont(b[i + 3])) {
          int b1 = b[i + 1] & 0xFF;
          boolean ok = b0 == 0xF0 ? b1 >= 0x90 : b0 != 0xF4 || b1 <= 0x8F;
          if (ok) {
            cp = (b0 & 0x07) << 18 | (b1 & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6 | (b[i + 3] & 0x3F);
            len = 4;
          }
        }
      }
      if (cp < 0) {
        if (strict) {
          throw new PrintFailure("string is not valid UTF-8");
        }
        out.setLength(mark);
        String s = new String(b, start, end - start, StandardCharsets.UTF_8);
        for (int k = 0; k < s.length(); k++) {
          appendChar(out, s.charAt(k));
        }
        out.append('"');
        return;
      }
      if (cp >= 0x10000) {
        out.append(Character.highSurrogate(cp)).append(Character.lowSurrogate(cp));
      } else {
        appendChar(out, (char) cp);
      }
      i += len;
    }
    out.append('"');
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
    int i = start;
    while (i < end) {
      int b0 = b[i] & 0xFF;
      if (b0 < 0x80) {
        i++;
        continue;
      }
      int len;
      boolean ok;
      if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        ok = i + 1 < end && isCont(b[i + 1]);
      } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        ok = i + 2 < end && isCont(b[i + 1]) && isCont(b[i + 2]);
        if (ok) {
          int b1 = b[i + 1] & 0xFF;
          ok = b0 == 0xE0 ? b1 >= 0xA0 : b0 != 0xED || b1 <= 0x9F;
        }
      } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        ok = i + 3 < end && isCont(b[i + 1]) && isCont(b[i + 2]) && isCont(b[i + 3]);
        if (ok) {
          int b1 = b[i + 1] & 0xFF;
          ok = b0 == 0xF0 ? b1 >= 0x90 : b0 != 0xF4 || b1 <= 0x8F;
        }
      } else {
        len = 1;
        ok = false;
      }
      if (!ok) {
        throw new PrintFailure("string is not valid UTF-8");
      }
      i += len;
    }
  }

  private static boolean isCont(byte x) {
    return (x & 0xC0) == 0x80;
  }

  /** Appends {@code b[start, end)} as a quoted standard base64 string with padding (RFC 4648 §4). */
  static void appendBase64(StringBuilder out, byte[] b, int start, int end) {
    out.append('"');
    int i = start;
    while (end - i >= 3) {
      int v = (b[i] & 0xFF) << 16 | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF);
      out.append(BASE64[v >>> 18]).append(BASE64[(v >>> 12) & 63]).append(BASE64[(v >>> 6) & 63])
          .append(BASE64[v & 63]);
      i += 3;
    }
    int rest = end - i;
    if (rest == 1) {
      int v = (b[i] & 0xFF) << 16;
      out.append(BASE64[v >>> 18]).append(BASE64[(v >>> 12) & 63]).append("==");
    } else if (rest == 2) {
      int v = (b[i] & 0xFF) << 16 | (b[i + 1] & 0xFF) << 8;
      out.append(BASE64[v >>> 18]).append(BASE64[(v >>> 12) & 63]).append(BASE64[(v >>> 6) & 63])
          .append('=');
    }
    out.append('"');
  }

  static final long TIMESTAMP_MIN_SECONDS = -62_135_596_800L; // 0001-01-01T00:00:00Z
  static final long TIMESTAMP_MAX_SECONDS = 253_402_300_799L; // 9999-12-31T23:59:59Z
  static final long DURATION_MAX_SECONDS = 315_576_000_000L; // 10,000 years

  /** Appends a google.protobuf.Timestamp as a quoted RFC 3339 UTC string (0, 3, 6 or 9 digits). */
  static void appendTimestamp(StringBuilder out, long seconds, int nanos) {
    if (seconds < TIMESTAMP_MIN_SECONDS || seconds > TIMESTAMP_MAX_SECONDS
        || nanos < 0 || nanos > 999_999_999) {
      throw new PrintFailure("Timestamp is not valid (seconds " + seconds + ", nanos " + nanos
          + "; expected years 0001 to 9999 and nanos in [0, 999999999])");
    }
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
    out.append('"');
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
    if (nanos != 0) {
      out.append('.');
      appendNanos(out, nanos);
    }
    out.append("Z\"");
  }

  /** Appends a google.protobuf.Duration as a quoted string of seconds, e.g. "1.500s". */
  static void appendDuration(StringBuilder out, long seconds, int nanos) {
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
  private static void appendNanos(StringBuilder out, int nanos) {
    if (nanos % 1_000_000 == 0) {
      pad(out, nanos / 1_000_000, 3);
    } else if (nanos % 1000 == 0) {
      pad(out, nanos / 1000, 6);
    } else {
      pad(out, nanos, 9);
    }
  }

  private static void pad(StringBuilder out, int v, int width) {
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
  static void appendFieldMaskPath(StringBuilder out, String path) {
    boolean upper = false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '_') {
        upper = true;
      } else if (upper) {
        out.append(Character.toUpperCase(c));
        upper = false;
      } else {
        out.append(Character.toLowerCase(c));
      }
    }
  }
}
