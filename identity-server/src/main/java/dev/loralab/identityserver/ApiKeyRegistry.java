package dev.loralab.identityserver;

import dev.loralab.api.auth.Caller;
import dev.loralab.api.auth.Unauthenticated;
import dev.loralab.api.v3.APIKey;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Right;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * API keys of users, applications and gateways. Only a salted slow hash of each secret is stored;
 * the full token is returned once, by {@link #create}. All methods may block on storage.
 */
public interface ApiKeyRegistry {
  /**
   * Creates a key and stores it durably.
   *
   * @param owner the user, application or gateway the key belongs to (must exist; checked by the
   *     caller of this method)
   * @param name a human-readable name (may be empty)
   * @param rights the rights granted (not empty; applications and gateways accept only rights of
   *     their kind)
   * @param expiresAt when the key stops working, if ever
   * @return the key, with {@code key} set to the full token {@code NNSXS.<ID>.<secret>}
   * @throws InvalidFieldException if rights or expiry are invalid
   */
  APIKey create(EntityIdentifiers owner, String name, Collection<Right> rights,
      Optional<Instant> expiresAt);

  /** The key (without secret or hash), if {@code owner} has a key {@code keyId}. */
  Optional<APIKey> get(EntityIdentifiers owner, String keyId);

  /** Every key of {@code owner}, ordered by ID, without secrets or hashes. */
  List<APIKey> list(EntityIdentifiers owner);

  /**
   * Replaces name, rights and expiry of a key.
   *
   * @throws EntityNotFoundException if the key does not exist
   * @throws InvalidFieldException if rights or expiry are invalid
   */
  APIKey update(EntityIdentifiers owner, String keyId, String name, Collection<Right> rights,
      Optional<Instant> expiresAt);

  /** Deletes a key durably; returns whether it existed. The key stops working immediately. */
  boolean delete(EntityIdentifiers owner, String keyId);

  /** Deletes every key of {@code owner} (when the owner is deleted); returns how many. */
  int deleteAll(EntityIdentifiers owner);

  /**
   * Authenticates a full token {@code NNSXS.<ID>.<secret>} (no {@code Bearer} prefix).
   * Successful verifications are cached (keyed by a SHA-256 of the token) so that the slow
   * hash runs once per key; expiry is checked on every call.
   *
   * @throws Unauthenticated if the token is malformed, unknown, wrong or expired
   */
  Caller authenticate(String token);
}
