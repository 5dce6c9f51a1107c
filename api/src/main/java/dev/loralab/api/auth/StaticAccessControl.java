package dev.loralab.api.auth;

import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Right;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A fixed {@link AccessControl} for tests and demos (not for production: tokens are compared in
 * plain text and never expire).
 *
 * <p>Built from tokens (secret to {@link Caller}) and entity ownership (entity to owner). Rules for
 * {@link #rightsOn}:
 * <ul>
 *   <li>a caller whose rights include {@code RIGHT_ALL} has every right on every entity;</li>
 *   <li>an end device is treated as its application;</li>
 *   <li>a caller acting on its own entity (the key belongs to the entity) has its expanded rights
 *       of that entity's kind;</li>
 *   <li>a caller acting on an entity owned by the caller's owner (e.g. a user key on the user's
 *       application) has its expanded rights of that entity's kind, so {@code RIGHT_USER_ALL}
 *       grants {@code RIGHT_APPLICATION_ALL} etc.;</li>
 *   <li>otherwise, no rights.</li>
 * </ul>
 */
public final class StaticAccessControl implements AccessControl {
  private final Map<String, Caller> tokens;
  private final Map<String, String> ownerKeys;

  /**
   * @param tokens secret token to caller
   * @param owners entity to owning user/organization (EntityKeys equality: IDs only)
   */
  public StaticAccessControl(Map<String, Caller> tokens,
      Map<EntityIdentifiers, EntityIdentifiers> owners) {
    this.tokens = Map.copyOf(tokens);
    Map<String, String> o = new HashMap<>();
    owners.forEach((entity, owner) -> o.put(EntityKeys.of(normalize(entity)), EntityKeys.of(owner)));
    this.ownerKeys = Map.copyOf(o);
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Caller authenticate(String authorizationHeaderOrToken) throws Unauthenticated {
    String token = AccessControl.bearerToken(authorizationHeaderOrToken);
    Caller c = tokens.get(token);
    if (c == null) {
      throw new Unauthenticated("unknown token");
    }
    return c;
  }

  @Override
  public RightSet rightsOn(Caller caller, EntityIdentifiers entity) {
    Objects.requireNonNull(caller, "caller");
    if (entity.getIdsCase() == EntityIdentifiers.IdsCase.IDS_NOT_SET) {
      return RightSet.empty();
    }
    RightSet expanded = caller.rights().expanded();
    if (expanded.includes(Right.RIGHT_ALL)) {
      return expanded;
    }
    EntityIdentifiers target = normalize(entity);
    String targetKey = EntityKeys.of(target);
    String callerKey = EntityKeys.of(caller.owner());
    if (targetKey.equals(callerKey) || callerKey.equals(ownerKeys.get(targetKey))) {
      return expanded.scopedTo(target);
    }
    return RightSet.empty();
  }

  private static EntityIdentifiers normalize(EntityIdentifiers e) {
    return e.getIdsCase() == EntityIdentifiers.IdsCase.DEVICE_IDS ? EntityKeys.parent(e) : e;
  }

  /** Collects tokens and ownership. */
  public static final class Builder {
    private final Map<String, Caller> tokens = new HashMap<>();
    private final Map<EntityIdentifiers, EntityIdentifiers> owners = new HashMap<>();

    private Builder() {}

    /** Registers a token; the key ID is the caller's {@code apiKeyId}. */
    public Builder token(String secret, String apiKeyId, EntityIdentifiers owner, RightSet rights) {
      tokens.put(secret, new Caller(apiKeyId, owner, rights));
      return this;
    }

    /** Registers that {@code owner} (a user or organization) owns {@code entity}. */
    public Builder owner(EntityIdentifiers entity, EntityIdentifiers owner) {
      owners.put(entity, owner);
      return this;
    }

    /** Builds the immutable access control. */
    public StaticAccessControl build() {
      return new StaticAccessControl(tokens, owners);
    }
  }
}
