package dev.loralab.applicationserver.webhooks;

import java.time.Duration;
import java.util.Objects;

/**
 * How webhooks are delivered.
 *
 * @param maxAttempts attempts per message, including the first (a 5xx, 408, 429 or a transport
 *     error is retried; other statuses are final)
 * @param initialBackoff delay before the second attempt; doubles per attempt
 * @param maxBackoff largest delay between attempts
 * @param requestTimeout timeout of one HTTP request
 * @param queueCapacity messages waiting per webhook; more are dropped and counted
 * @param maxWebhooksPerApplication webhooks one application may have
 * @param maxHeaders user headers per webhook
 * @param maxHeaderValueChars longest user header value
 */
public record WebhookDeliveryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff,
    Duration requestTimeout, int queueCapacity, int maxWebhooksPerApplication, int maxHeaders,
    int maxHeaderValueChars) {

  /** Validates positive limits and durations. */
  public WebhookDeliveryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    positive("maxAttempts", maxAttempts);
    positive("queueCapacity", queueCapacity);
    positive("maxWebhooksPerApplication", maxWebhooksPerApplication);
    positive("maxHeaders", maxHeaders);
    positive("maxHeaderValueChars", maxHeaderValueChars);
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("backoff: expected 0 <= initialBackoff <= maxBackoff, found "
          + initialBackoff + " and " + maxBackoff);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout: expected > 0, found " + requestTimeout);
    }
  }

  private static void positive(String name, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(name + ": expected >= 1, found " + v);
    }
  }

  /**
   * The defaults: 5 attempts, backoff 1 s doubling up to 60 s, 10 s request timeout, 1024 queued
   * messages per webhook, 32 webhooks per application, 32 headers of up to 4096 characters.
   */
  public static WebhookDeliveryPolicy defaults() {
    return new WebhookDeliveryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(60),
        Duration.ofSeconds(10), 1024, 32, 32, 4096);
  }

  /** The delay before attempt {@code attempt} (2 for the first retry). */
  public Duration backoffBefore(int attempt) {
    if (attempt <= 1) {
      return Duration.ZERO;
    }
    Duration d = initialBackoff;
    for (int i = 2; i < attempt && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }
}
