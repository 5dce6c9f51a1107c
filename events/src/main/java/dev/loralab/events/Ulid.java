package dev.loralab.events;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Monotonic ULID generator: 26 Crockford base32 characters, 48-bit millisecond timestamp then 80
 * random bits. Within one millisecond (or when the clock goes backwards) the previous value is
 * incremented, so the strings of one generator sort in generation order. Thread-safe.
 */
public final class Ulid {

  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final long MAX_TIME = (1L << 48) - 1;
  private static final Ulid SYSTEM = new Ulid(Clock.systemUTC(), new SecureRandom());

  private final Clock clock;
  private final RandomGenerator random;
  private long lastTime = -1;
  private long hi16; // upper 16 random bits
  private long lo64; // lower 64 random bits

  /**
   * @param clock  time source
   * @param random randomness for the 80-bit part
   */
  public Ulid(Clock clock, RandomGenerator random) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The process-wide generator on the system clock and a {@link SecureRandom}. */
  public static Ulid system() {
    return SYSTEM;
  }

  /** The next ULID. */
  public String next() {
    return nextBits(Ulid::fromBits);
  }

  /** What is made of a new ULID's 128 bits. */
  private interface FromBits<R> {
    R of(long hi, long lo);
  }

  /** {@code f} of the next ULID's 128 bits, applied outside the monitor. */
  private <R> R nextBits(FromBits<R> f) {
    long hi;
    long lo;
    synchronized (this) {
      advance();
      hi = (lastTime << 16) | hi16;
      lo = lo64;
    }
    return f.of(hi, lo);
  }

  /**
   * {@code prefix} followed by the next ULID ({@code prefix + next()}), built in one array when the
   * prefix is Latin-1 (as correlation-ID prefixes are) instead of the ULID's string and then the
   * concatenation.
   */
  String next(String prefix) {
    return nextBits((hi, lo) -> withPrefix(prefix, hi, lo));
  }

  /** {@code prefix} followed by the ULID of {@code hi} and {@code lo}. */
  private static String withPrefix(String prefix, long hi, long lo) {
    int n = prefix.length();
    byte[] out = new byte[n + 26];
    for (int i = 0; i < n; i++) {
      char c = prefix.charAt(i);
      if (c > 0xFF) {
        return prefix + fromBits(hi, lo);
      }
      out[i] = (byte) c;
    }
    encodeAscii(hi, lo, out, n);
    return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /**
   * Stamps {@code b} with the next ULID as its 128 bits ({@link Event.Builder#uniqueIdBits}): the
   * same value {@link #next()} would return, without building its string (an event's unique ID is
   * rendered only when asked for).
   */
  void next(Event.Builder b) {
    nextBits(b::uniqueIdBits);
  }

  /** Moves to the next value; the caller holds the monitor. */
  private void advance() {
    long now = Math.min(Math.max(clock.millis(), 0), MAX_TIME);
    if (now > lastTime) {
      lastTime = now;
      hi16 = random.nextInt() & 0xFFFF;
      lo64 = random.nextLong();
    } else {
      lo64++;
      if (lo64 == 0) {
        hi16 = (hi16 + 1) & 0xFFFF;
        if (hi16 == 0) {
          lastTime = Math.min(lastTime + 1, MAX_TIME); // random part overflowed: borrow the next ms
        }
      }
    }
  }

  static String encode(long time, long hi16, long lo64) {
    byte[] out = new byte[26];
    encodeAscii((time << 16) | (hi16 & 0xFFFF), lo64, out, 0);
    return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /**
   * Writes the 26 ASCII digits of the ULID with the 128 bits {@code hi} and {@code lo} (as
   * {@link #fromBits}) to {@code out[at, at + 26)}.
   */
  static void encodeAscii(long hi, long lo, byte[] out, int at) {
    long time = hi >>> 16;
    for (int i = 9; i >= 0; i--) {
      out[at + i] = (byte) ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    long l = lo;
    long h = hi & 0xFFFF;
    for (int i = 25; i >= 10; i--) {
      out[at + i] = (byte) ALPHABET[(int) (l & 31)];
      l = (l >>> 5) | ((h & 31) << 59);
      h >>>= 5;
    }
  }

  /** Whether {@code s} is a syntactically valid ULID (26 Crockford base32 characters, upper case). */
  public static boolean isValid(String s) {
    if (s == null || s.length() != 26 || s.charAt(0) > '7') {
      return false;
    }
    for (int i = 0; i < 26; i++) {
      if (decodeChar(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The timestamp of a ULID.
   *
   * @throws IllegalArgumentException if {@code s} is not a valid ULID
   */
  public static Instant timestamp(String s) {
    if (!isValid(s)) {
      throw new IllegalArgumentException("ulid: expected 26 Crockford base32 characters, found " + s);
    }
    long t = 0;
    for (int i = 0; i < 10; i++) {
      t = (t << 5) | decodeChar(s.charAt(i));
    }
    return Instant.ofEpochMilli(t);
  }

  /**
   * The ULID whose 128 bits are {@code hi} (48-bit timestamp, then the top 16 random bits) and
   * {@code lo} (the low 64 random bits): the inverse of reading a valid ULID's 26 digits as a
   * 130-bit number (its top two bits are zero).
   */
  static String fromBits(long hi, long lo) {
    return encode(hi >>> 16, hi & 0xFFFF, lo);
  }

  /**
   * Writes the 128 bits of the valid ULID {@code s} ({@link #isValid}) to {@code out[at]} (high 64
   * bits) and {@code out[at + 1]} (low 64 bits): its 26 digits read as a 130-bit number whose top two
   * bits are zero; the inverse of {@link #fromBits}.
   */
  static void toBits(String s, long[] out, int at) {
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < s.length(); i++) {
      hi = (hi << 5) | (lo >>> 59);
      lo = (lo << 5) | decodeChar(s.charAt(i));
    }
    out[at] = hi;
    out[at + 1] = lo;
  }

  /** The value of each ASCII character as a Crockford base32 digit (upper case only), or -1. */
  private static final byte[] DIGITS = new byte[128];

  static {
    java.util.Arrays.fill(DIGITS, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      DIGITS[ALPHABET[i]] = (byte) i;
    }
  }

  /** The value of {@code c} as an upper-case Crockford base32 digit, or -1. */
  static int decodeChar(char c) {
    return c < DIGITS.length ? DIGITS[c] : -1;
  }
}
