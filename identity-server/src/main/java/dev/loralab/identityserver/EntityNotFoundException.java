package dev.loralab.identityserver;

/** The entity (or API key) does not exist. */
public final class EntityNotFoundException extends RegistryException {
  private static final long serialVersionUID = 1L;

  private final String entityKey;

  /** @param entityKey the entity key, e.g. {@code application:app1} */
  public EntityNotFoundException(String entityKey) {
    super(entityKey + " not found");
    this.entityKey = entityKey;
  }

  /** The key of the missing entity. */
  public String entityKey() {
    return entityKey;
  }
}
