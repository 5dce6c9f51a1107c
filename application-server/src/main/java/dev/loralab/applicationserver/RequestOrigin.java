package dev.loralab.applicationserver;

import java.util.Objects;

/**
 * Who asked for a downlink queue operation; recorded on {@code as.down.data.receive} and
 * {@code as.down.data.forward} events as The Things Stack does (authentication, remote IP, user
 * agent). Empty strings mean unknown.
 *
 * @param apiKeyId the public ID of the API key used (never the secret)
 * @param remoteIp the client's address
 * @param userAgent the client's user agent
 */
public record RequestOrigin(String apiKeyId, String remoteIp, String userAgent) {

  /** An unknown origin (in-process calls). */
  public static final RequestOrigin UNKNOWN = new RequestOrigin("", "", "");

  /** Validates non-null components. */
  public RequestOrigin {
    Objects.requireNonNull(apiKeyId, "apiKeyId");
    Objects.requireNonNull(remoteIp, "remoteIp");
    Objects.requireNonNull(userAgent, "userAgent");
  }
}
