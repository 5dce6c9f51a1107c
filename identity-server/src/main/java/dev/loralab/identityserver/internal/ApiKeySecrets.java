package dev.loralab.identityserver.internal;

import dev.loralab.identityserver.ApiKeyToken;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.KeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Generation and salted slow hashing of API key secrets (PBKDF2-HMAC-SHA256, per-key salt).
 *
 * <p>Stored form: {@code PBKDF2-SHA256$<iterations>$<base64 salt>$<base64 hash>}. The iteration
 * count is stored with each hash so that it can be raised later without invalidating keys.
 */
public final class ApiKeySecrets {
  static final String SCHEME = "PBKDF2-SHA256";
  /** 24 random bytes: a 39-character ID, as The Things Stack's key IDs. */
  static final int ID_BYTES = 24;
  /** 32 random bytes: a 52-character secret, as The Things Stack's. */
  static final int SECRET_BYTES = 32;
  static final int SALT_BYTES = 16;
  static final int HASH_BITS = 256;
  /** Upper bound on iterations accepted from storage (guards against a corrupt value). */
  static final int MAX_ITERATIONS = 10_000_000;

  private final RandomGenerator random;
  private final int iterations;

  /**
   * @param random the source of IDs, secrets and salts (a {@code SecureRandom} in production)
   * @param iterations the PBKDF2 iteration count for new hashes
   */
  public ApiKeySecrets(RandomGenerator random, int iterations) {
    this.random = Objects.requireNonNull(random, "random");
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations: expected 1.." + MAX_ITERATIONS + ", found "
          + iterations);
    }
    this.iterations = iterations;
  }

  /** A new random token. */
  public ApiKeyToken newToken() {
    byte[] id = new byte[ID_BYTES];
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(id);
    random.nextBytes(secret);
    return new ApiKeyToken(Base32.encode(id), Base32.encode(secret));
  }

  /** Hashes {@code secret} with a fresh salt; returns the stored form. */
  public String hash(String secret) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return encode(iterations, salt, pbkdf2(secret, salt, iterations));
  }

  /**
   * Whether {@code secret} matches the stored form. The hash comparison is constant-time; a
   * malformed stored form never matches.
   */
  public static boolean verify(String secret, String stored) {
    Objects.requireNonNull(secret, "secret");
    if (stored == null) {
      return false;
    }
    String[] parts = stored.split("\\$", -1);
    if (parts.length != 4 || !parts[0].equals(SCHEME)) {
      return false;
    }
    int iter;
    byte[] salt;
    byte[] expected;
    try {
      iter = Integer.parseInt(parts[1]);
      salt = Base64.getDecoder().decode(parts[2]);
      expected = Base64.getDecoder().decode(parts[3]);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (iter < 1 || iter > MAX_ITERATIONS || salt.length == 0 || expected.length * 8 != HASH_BITS) {
      return false;
    }
    return MessageDigest.isEqual(expected, pbkdf2(secret, salt, iter));
  }

  static String encode(int iterations, byte[] salt, byte[] hash) {
    return SCHEME + "$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
        + Base64.getEncoder().encodeToString(hash);
  }

  static byte[] pbkdf2(String secret, byte[] salt, int iterations) {
    KeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
    }
  }

  /** A fast fingerprint (SHA-256, hex) of a full token, used as the verification cache key. */
  public static String fingerprint(String token) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
