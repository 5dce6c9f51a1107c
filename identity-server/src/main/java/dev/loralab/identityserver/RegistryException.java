package dev.loralab.identityserver;

/**
 * A registry operation was refused. The HTTP and gRPC layers map the subclasses to status codes:
 * {@link InvalidFieldException} 400 / INVALID_ARGUMENT, {@link EntityNotFoundException} 404 /
 * NOT_FOUND, {@link EntityAlreadyExistsException} 409 / ALREADY_EXISTS.
 */
public abstract sealed class RegistryException extends RuntimeException
    permits InvalidFieldException, EntityNotFoundException, EntityAlreadyExistsException {
  private static final long serialVersionUID = 1L;

  RegistryException(String message) {
    super(message);
  }
}
