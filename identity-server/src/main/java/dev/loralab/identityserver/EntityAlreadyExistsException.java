package dev.loralab.identityserver;

/** An entity with this ID (or a unique attribute such as a gateway EUI) already exists. */
public final class EntityAlreadyExistsException extends RegistryException {
  private static final long serialVersionUID = 1L;

  private final String entityKey;

  /**
   * @param entityKey the entity key, e.g. {@code application:app1}
   * @param detail what is taken, e.g. {@code "ID"} or {@code "EUI 0102030405060708"}
   */
  public EntityAlreadyExistsException(String entityKey, String detail) {
    super(entityKey + ": " + detail + " already taken");
    this.entityKey = entityKey;
  }

  /** The key of the existing entity. */
  public String entityKey() {
    return entityKey;
  }
}
