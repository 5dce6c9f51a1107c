package dev.loralab.api.auth;

import dev.loralab.api.v3.EntityIdentifiers;

/** The caller lacks the rights for an entity (HTTP 403, gRPC PERMISSION_DENIED). */
public final class PermissionDenied extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String entityKey;

  /** @param entity the entity the caller has insufficient rights on */
  public PermissionDenied(EntityIdentifiers entity, String reason) {
    this(EntityKeys.of(entity), reason);
  }

  /** @param entityKey the {@link EntityKeys} key of the entity */
  public PermissionDenied(String entityKey, String reason) {
    super("no rights on " + entityKey + ": " + reason);
    this.entityKey = entityKey;
  }

  /** The {@link EntityKeys} key of the entity. */
  public String entityKey() {
    return entityKey;
  }
}
