package dev.loralab.identityserver;

import dev.loralab.api.auth.Unauthenticated;
import java.util.Objects;

/**
 * An API key token in The Things Stack's form {@code NNSXS.<ID>.<secret>}: {@code ID} is the
 * public key ID and {@code secret} the part of which only a salted slow hash is stored. Both are
 * upper-case RFC 4648 base32 without padding. {@link #toString()} never reveals the secret.
 *
 * @param id the public key ID
 * @param secret the secret part
 */
public record ApiKeyToken(String id, String secret) {
  /** The fixed prefix of every token. */
  public static final String PREFIX = "NNSXS";
  /** Minimum and maximum length of the ID part accepted when parsing. */
  static final int MIN_ID_LENGTH = 8;
  static final int MAX_ID_LENGTH = 64;
  /** Minimum and maximum length of the secret part accepted when parsing. */
  static final int MIN_SECRET_LENGTH = 16;
  static final int MAX_SECRET_LENGTH = 128;

  /** Validates both parts (base32 alphabet, lengths). */
  public ApiKeyToken {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(secret, "secret");
    checkPart("id", id, MIN_ID_LENGTH, MAX_ID_LENGTH);
    checkPart("secret", secret, MIN_SECRET_LENGTH, MAX_SECRET_LENGTH);
  }

  private static void checkPart(String name, String v, int min, int max) {
    if (v.length() < min || v.length() > max) {
      throw new IllegalArgumentException("API key " + name + ": expected " + min + ".." + max
          + " base32 characters, found " + v.length());
    }
    for (int i = 0; i < v.length(); i++) {
      if (!isBase32(v.charAt(i))) {
        throw new IllegalArgumentException("API key " + name
            + ": expected upper-case base32 (A-Z, 2-7), found invalid character at index " + i);
      }
    }
  }

  private static boolean isBase32(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7');
  }

  /**
   * Parses {@code NNSXS.<ID>.<secret>}.
   *
   * @throws Unauthenticated naming what is malformed (never echoing the secret)
   */
  public static ApiKeyToken parse(String token) {
    if (token == null || token.isEmpty()) {
      throw new Unauthenticated("missing API key");
    }
    if (token.length() > PREFIX.length() + MAX_ID_LENGTH + MAX_SECRET_LENGTH + 2) {
      throw new Unauthenticated("malformed API key: expected at most "
          + (PREFIX.length() + MAX_ID_LENGTH + MAX_SECRET_LENGTH + 2) + " characters, found "
          + token.length());
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
      throw new Unauthenticated("malformed API key: expected NNSXS.<id>.<secret>");
    }
    if (!token.substring(0, first).equals(PREFIX)) {
      throw new Unauthenticated("malformed API key: expected prefix NNSXS");
    }
    try {
      return new ApiKeyToken(token.substring(first + 1, second), token.substring(second + 1));
    } catch (IllegalArgumentException e) {
      throw new Unauthenticated("malformed " + e.getMessage());
    }
  }

  /** The full token {@code NNSXS.<ID>.<secret>}. Show it once, at creation. */
  public String format() {
    return PREFIX + "." + id + "." + secret;
  }

  @Override
  public String toString() {
    return PREFIX + "." + id + ".<redacted>";
  }
}
