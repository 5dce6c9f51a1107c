package dev.loralab.identityserver;

import dev.loralab.api.v3.User;
import java.util.List;
import java.util.Optional;

/** Users. All methods may block on storage; writes are durable before they return. */
public interface UserRegistry {
  /**
   * Creates a user; sets {@code created_at} and {@code updated_at}.
   *
   * @throws EntityAlreadyExistsException if the ID is taken
   * @throws InvalidFieldException if the ID is invalid
   */
  User create(User user);

  /** The user, if it exists. */
  Optional<User> get(String userId);

  /** Every user, ordered by ID. */
  List<User> list();

  /**
   * Deletes a user together with its API keys; returns whether it existed. Applications and
   * gateways it owns are kept (an admin can still reach them).
   */
  boolean delete(String userId);
}
