package dev.loralab.cli.client;

/**
 * A failed API call: the HTTP status (0 when the server could not be reached) and the API's error
 * message, ready to be printed on one line.
 */
public final class ApiClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * @param status  HTTP status, or 0 for a connection failure
   * @param message the API's error message (or what went wrong)
   */
  public ApiClientException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** The HTTP status, or 0 when no response was received. */
  public int status() {
    return status;
  }
}
