package dev.loralab.api.auth;

/**
 * The request carries no valid credentials (HTTP 401, gRPC UNAUTHENTICATED). Unchecked, so it can
 * cross lambdas and futures; {@link AccessControl#authenticate} still declares it.
 */
public final class Unauthenticated extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param reason why authentication failed (never contains the secret) */
  public Unauthenticated(String reason) {
    super(reason);
  }
}
