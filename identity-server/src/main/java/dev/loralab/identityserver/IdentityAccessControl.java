package dev.loralab.identityserver;

import dev.loralab.api.auth.AccessControl;
import dev.loralab.api.auth.Caller;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.auth.Unauthenticated;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Right;
import dev.loralab.identityserver.internal.Ownership;
import java.util.Objects;

/**
 * The identity server's {@link AccessControl}: authenticates API keys through the {@link
 * ApiKeyRegistry} (cached verification) and derives rights from key rights and ownership.
 *
 * <p>Rules of {@link #rightsOn}: a key with {@code RIGHT_ALL} (the admin key) has every right on
 * every entity; an end device is treated as its application; a key has its (expanded) rights on
 * the entity it belongs to; a user's key has its rights on the applications and gateways that user
 * owns. Rights are scoped to the entity's kind, so an application key never acts on a gateway.
 */
public final class IdentityAccessControl implements AccessControl {
  private final ApiKeyRegistry apiKeys;
  private final Ownership ownership;

  /**
   * @param apiKeys the API keys
   * @param ownership the ownership records
   */
  public IdentityAccessControl(ApiKeyRegistry apiKeys, Ownership ownership) {
    this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
    this.ownership = Objects.requireNonNull(ownership, "ownership");
  }

  @Override
  public Caller authenticate(String authorizationHeaderOrToken) throws Unauthenticated {
    return apiKeys.authenticate(AccessControl.bearerToken(authorizationHeaderOrToken));
  }

  @Override
  public RightSet rightsOn(Caller caller, EntityIdentifiers entity) {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(entity, "entity");
    if (entity.getIdsCase() == EntityIdentifiers.IdsCase.IDS_NOT_SET) {
      return RightSet.empty();
    }
    RightSet expanded = caller.rights().expanded();
    if (expanded.includes(Right.RIGHT_ALL)) {
      return expanded;
    }
    EntityIdentifiers target = entity.getIdsCase() == EntityIdentifiers.IdsCase.DEVICE_IDS
        ? EntityKeys.parent(entity) : entity;
    String targetKey = EntityKeys.of(target);
    String callerKey = EntityKeys.of(caller.owner());
    if (targetKey.equals(callerKey)) {
      return expanded.scopedTo(target);
    }
    if (caller.owner().getIdsCase() == EntityIdentifiers.IdsCase.USER_IDS) {
      boolean owned = ownership.ownerOf(target)
          .map(o -> EntityKeys.of(o).equals(callerKey))
          .orElse(false);
      if (owned) {
        return expanded.scopedTo(target);
      }
    }
    return RightSet.empty();
  }
}
