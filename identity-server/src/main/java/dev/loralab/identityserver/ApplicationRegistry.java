package dev.loralab.identityserver;

import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.UserIdentifiers;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Applications. All methods may block on storage; writes are durable before they return. */
public interface ApplicationRegistry {
  /**
   * Creates an application owned by {@code owner}; sets {@code created_at}/{@code updated_at}.
   *
   * @throws EntityAlreadyExistsException if the ID is taken
   * @throws InvalidFieldException if a field is invalid
   * @throws EntityNotFoundException if the owner does not exist
   */
  Application create(Application application, UserIdentifiers owner);

  /** The application, if it exists. */
  Optional<Application> get(String applicationId);

  /** Every application, ordered by ID. */
  List<Application> list();

  /** The applications owned by {@code owner}, ordered by ID. */
  List<Application> listOwnedBy(UserIdentifiers owner);

  /**
   * Applies {@code mutator} to the stored application (serialized per application) and stores
   * the result; IDs and {@code created_at} cannot change; {@code updated_at} is set.
   *
   * @throws EntityNotFoundException if the application does not exist
   * @throws InvalidFieldException if the result is invalid
   */
  Application update(String applicationId, UnaryOperator<Application> mutator);

  /**
   * Deletes an application together with its end devices and API keys; returns whether it
   * existed.
   */
  boolean delete(String applicationId);
}
