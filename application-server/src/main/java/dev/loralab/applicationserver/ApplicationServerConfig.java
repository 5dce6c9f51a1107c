package dev.loralab.applicationserver;

import dev.loralab.applicationserver.formatters.JavaScriptLimits;
import dev.loralab.applicationserver.webhooks.WebhookDeliveryPolicy;
import java.util.Objects;

/**
 * Configuration of the {@link ApplicationServer}.
 *
 * @param javaScript sandbox limits of JavaScript payload formatters
 * @param webhooks webhook delivery (retries, backoff, timeout, queue sizes)
 * @param maxFrmPayloadBytes largest downlink FRMPayload accepted
 * @param maxDownlinksPerRequest most downlinks in one push/replace request
 * @param maxRequestBodyBytes largest HTTP request body accepted by the routes
 * @param uplinksInlineWhenIdle a data uplink from the Network Server whose device has no pending
 *     work is processed (decrypted, decoded, published, handed to webhooks and subscribers) on
 *     the thread that hands it in, instead of on the worker executor (default true: one thread
 *     hand-off less per uplink). That work is CPU-bound (cached store reads, decryption,
 *     events; webhooks are sent asynchronously): an uplink that needs a session from the Join
 *     Server, a JavaScript formatter or a durable write of the session's AFCntDown continues on
 *     the executor. Other messages always start on the executor
 */
public record ApplicationServerConfig(JavaScriptLimits javaScript, WebhookDeliveryPolicy webhooks,
    int maxFrmPayloadBytes, int maxDownlinksPerRequest, int maxRequestBodyBytes,
    boolean uplinksInlineWhenIdle) {

  /** Validates non-null components and positive limits. */
  public ApplicationServerConfig {
    Objects.requireNonNull(javaScript, "javaScript");
    Objects.requireNonNull(webhooks, "webhooks");
    if (maxFrmPayloadBytes < 1 || maxFrmPayloadBytes > 255) {
      throw new IllegalArgumentException("maxFrmPayloadBytes: expected 1..255, found "
          + maxFrmPayloadBytes);
    }
    if (maxDownlinksPerRequest < 1) {
      throw new IllegalArgumentException("maxDownlinksPerRequest: expected >= 1, found "
          + maxDownlinksPerRequest);
    }
    if (maxRequestBodyBytes < 1) {
      throw new IllegalArgumentException("maxRequestBodyBytes: expected >= 1, found "
          + maxRequestBodyBytes);
    }
  }

  /**
   * The defaults: {@link JavaScriptLimits#defaults()} (100 ms), {@link
   * WebhookDeliveryPolicy#defaults()}, 242-byte FRMPayloads, 16 downlinks per request, 64 KiB
   * request bodies, uplinks inline when their device is idle.
   */
  public static ApplicationServerConfig defaults() {
    return new ApplicationServerConfig(JavaScriptLimits.defaults(),
        WebhookDeliveryPolicy.defaults(), 242, 16, 65_536, true);
  }

  /** This configuration with other JavaScript limits. */
  public ApplicationServerConfig withJavaScript(JavaScriptLimits limits) {
    return new ApplicationServerConfig(limits, webhooks, maxFrmPayloadBytes,
        maxDownlinksPerRequest, maxRequestBodyBytes, uplinksInlineWhenIdle);
  }

  /** This configuration with another webhook policy. */
  public ApplicationServerConfig withWebhooks(WebhookDeliveryPolicy policy) {
    return new ApplicationServerConfig(javaScript, policy, maxFrmPayloadBytes,
        maxDownlinksPerRequest, maxRequestBodyBytes, uplinksInlineWhenIdle);
  }

  /** This configuration with uplinks processed inline when their device is idle, or not. */
  public ApplicationServerConfig withUplinksInlineWhenIdle(boolean v) {
    return new ApplicationServerConfig(javaScript, webhooks, maxFrmPayloadBytes,
        maxDownlinksPerRequest, maxRequestBodyBytes, v);
  }
}
