package dev.loralab.identityserver;

import dev.loralab.api.v3.Gateway;
import dev.loralab.api.v3.UserIdentifiers;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Gateways, with a unique EUI index (the gateway server looks gateways up by EUI). All methods may
 * block on storage; writes are durable before they return.
 */
public interface GatewayRegistry {
  /**
   * Creates a gateway owned by {@code owner}.
   *
   * @throws EntityAlreadyExistsException if the ID or the EUI is taken
   * @throws InvalidFieldException if a field is invalid
   * @throws EntityNotFoundException if the owner does not exist
   */
  Gateway create(Gateway gateway, UserIdentifiers owner);

  /** The gateway, if it exists. */
  Optional<Gateway> get(String gatewayId);

  /** The gateway with this EUI (16 hex digits, any case), if any. */
  Optional<Gateway> getByEui(String eui);

  /** Every gateway, ordered by ID. */
  List<Gateway> list();

  /** The gateways owned by {@code owner}, ordered by ID. */
  List<Gateway> listOwnedBy(UserIdentifiers owner);

  /**
   * Applies {@code mutator} to the stored gateway (serialized per gateway) and stores the result;
   * the ID and {@code created_at} cannot change; a changed EUI must be free.
   *
   * @throws EntityNotFoundException if the gateway does not exist
   * @throws EntityAlreadyExistsException if the new EUI is taken
   * @throws InvalidFieldException if the result is invalid
   */
  Gateway update(String gatewayId, UnaryOperator<Gateway> mutator);

  /** Deletes a gateway together with its API keys; returns whether it existed. */
  boolean delete(String gatewayId);
}
