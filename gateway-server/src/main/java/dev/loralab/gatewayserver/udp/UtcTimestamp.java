package dev.loralab.gatewayserver.udp;

import java.time.Instant;
import java.time.Month;
import java.time.Year;
import java.time.format.DateTimeParseException;

/**
 * Parsing of the rxpk {@code time} field (ISO 8601 UTC, PROTOCOL.TXT §4). Packet forwarders send
 * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}; that shape is read directly, anything else goes to
 * {@link Instant#parse}, so the accepted strings and their values are exactly those of
 * {@link Instant#parse}.
 */
final class UtcTimestamp {

  private static final int[] FRACTION_SCALE = {
      0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

  private UtcTimestamp() {}

  /** As {@link Instant#parse}. */
  static Instant parse(String s) throws DateTimeParseException {
    Instant common = parseCommonShape(s);
    return common != null ? common : Instant.parse(s);
  }

  /**
   * The instant of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with a valid date, hour 0..23, minute and
   * second 0..59; null for any other string (leap seconds, lower case, offsets, wider years).
   */
  static Instant parseCommonShape(String s) {
    int n = s.length();
    if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      int fractionDigits = n - 21;
      if (s.charAt(19) != '.' || fractionDigits < 1) {
        return null;
      }
      int fraction = digits(s, 20, fractionDigits);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction * FRACTION_SCALE[fractionDigits];
    }
    return instant(digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2), digits(s, 11, 2),
        digits(s, 14, 2), digits(s, 17, 2), nanos);
  }

  /**
   * As {@link #parseCommonShape(String)} for the ASCII bytes {@code b[off, off + n)}, without a
   * string (the same shape, checks and value).
   */
  static Instant parseCommonShape(byte[] b, int off, int n) {
    if (n < 20 || n > 30 || b[off + 4] != '-' || b[off + 7] != '-' || b[off + 10] != 'T'
        || b[off + 13] != ':' || b[off + 16] != ':' || b[off + n - 1] != 'Z') {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      int fractionDigits = n - 21;
      if (b[off + 19] != '.' || fractionDigits < 1) {
        return null;
      }
      int fraction = digits(b, off + 20, fractionDigits);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction * FRACTION_SCALE[fractionDigits];
    }
    return instant(digits(b, off, 4), digits(b, off + 5, 2), digits(b, off + 8, 2),
        digits(b, off + 11, 2), digits(b, off + 14, 2), digits(b, off + 17, 2), nanos);
  }

  /** The instant of valid fields (-1: not digits), or null. */
  private static Instant instant(int year, int month, int day, int hour, int minute, int second,
      int nanos) {
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59
        || day > Month.of(month).length(Year.isLeap(year))) {
      return null;
    }
    long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
  }

  private static int digits(byte[] b, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      byte c = b[i];
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** The value of {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
