package dev.loralab.identityserver.store;

/** A storage operation failed (I/O error, corrupt value, store closed). */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param reason what failed, naming the namespace and key when known */
  public StoreException(String reason) {
    super(reason);
  }

  /** @param reason what failed, naming the namespace and key when known */
  public StoreException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
