package dev.loralab.api;

/** Thrown when JSON cannot be parsed into, or a message cannot be printed as, protobuf JSON. */
public final class ProtoJsonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param reason what went wrong (names the field or token when known)
   * @param cause the underlying exception, may be null
   */
  public ProtoJsonException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
