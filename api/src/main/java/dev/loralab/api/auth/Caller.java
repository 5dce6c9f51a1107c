package dev.loralab.api.auth;

import dev.loralab.api.v3.EntityIdentifiers;
import java.util.Objects;

/**
 * An authenticated principal.
 *
 * @param apiKeyId the public ID of the API key used (never the secret)
 * @param owner the user, application, gateway or organization the key belongs to
 * @param rights the rights granted to the key, as stored (not expanded)
 */
public record Caller(String apiKeyId, EntityIdentifiers owner, RightSet rights) {
  /** Validates that no component is null and that the owner is set. */
  public Caller {
    Objects.requireNonNull(apiKeyId, "apiKeyId");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(rights, "rights");
    if (owner.getIdsCase() == EntityIdentifiers.IdsCase.IDS_NOT_SET) {
      throw new IllegalArgumentException("caller owner: ids not set");
    }
  }
}
