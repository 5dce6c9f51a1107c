package dev.loralab.applicationserver.webhooks;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.FieldMaskUtil;
import dev.loralab.api.ApiException;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationWebhook;
import dev.loralab.api.v3.ApplicationWebhookIdentifiers;
import dev.loralab.api.v3.ApplicationWebhooks;
import dev.loralab.api.v3.SetApplicationWebhookRequest;
import dev.loralab.applicationserver.ApplicationServerStore;
import dev.loralab.applicationserver.internal.ProtoTime;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validated create/read/update/delete of application webhooks, on an
 * {@link ApplicationServerStore}. Authorization is the caller's job (HTTP routes, gRPC service).
 */
public final class ApplicationWebhookRegistry {

  /** IDs as in The Things Stack: lower-case letters, digits and single dashes, 2..36 characters. */
  private static final Pattern ID = Pattern.compile("[a-z0-9](?:-?[a-z0-9]){1,35}");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");
  private static final int MAX_URL_CHARS = 2048;

  private final ApplicationServerStore store;
  private final WebhookDeliveryPolicy policy;
  private final Clock clock;

  /**
   * @param store where webhooks live
   * @param policy limits (webhooks per application, headers)
   * @param clock stamps created_at / updated_at
   */
  public ApplicationWebhookRegistry(ApplicationServerStore store, WebhookDeliveryPolicy policy,
      Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The application's webhooks, masked to {@code mask} (all fields when empty). */
  public ApplicationWebhooks list(ApplicationIdentifiers app, FieldMask mask) {
    requireId("application_ids.application_id", app.getApplicationId());
    ApplicationWebhooks.Builder b = ApplicationWebhooks.newBuilder();
    for (ApplicationWebhook w : store.webhooks(app)) {
      b.addWebhooks(masked(w, mask));
    }
    return b.build();
  }

  /**
   * One webhook, masked to {@code mask}.
   *
   * @throws ApiException NOT_FOUND
   */
  public ApplicationWebhook get(ApplicationWebhookIdentifiers ids, FieldMask mask) {
    validateIds(ids);
    return masked(store.webhook(ids).orElseThrow(() -> notFound(ids)), mask);
  }

  /**
   * Creates or updates a webhook. Without a field mask the webhook is replaced as given (keeping
   * {@code created_at}); with one, only the named top-level fields are taken from the request.
   *
   * @throws ApiException INVALID_ARGUMENT naming the field, RESOURCE_EXHAUSTED when the
   *     application has too many webhooks
   */
  public ApplicationWebhook set(SetApplicationWebhookRequest req) {
    ApplicationWebhook in = req.getWebhook();
    validateIds(in.getIds());
    Optional<ApplicationWebhook> existing = store.webhook(in.getIds());
    ApplicationWebhook.Builder b;
    if (req.hasFieldMask() && req.getFieldMask().getPathsCount() > 0) {
      for (String path : req.getFieldMask().getPathsList()) {
        if (ApplicationWebhook.getDescriptor().findFieldByName(path.split("\\.")[0]) == null) {
          throw ApiException.invalidArgument("field_mask", "unknown field " + path);
        }
      }
      b = existing.map(ApplicationWebhook::toBuilder).orElseGet(ApplicationWebhook::newBuilder);
      FieldMaskUtil.merge(req.getFieldMask(), in, b,
          new FieldMaskUtil.MergeOptions().setReplaceMessageFields(true)
              .setReplaceRepeatedFields(true));
      b.setIds(in.getIds());
    } else {
      b = in.toBuilder();
    }
    Timestamp now = ProtoTime.timestamp(clock.instant());
    b.setCreatedAt(existing.map(ApplicationWebhook::getCreatedAt).orElse(now)).setUpdatedAt(now);
    if (b.getFormat().isEmpty()) {
      b.setFormat("json");
    }
    ApplicationWebhook w = b.build();
    validate(w);
    if (existing.isEmpty() && store.webhooks(w.getIds().getApplicationIds()).size()
        >= policy.maxWebhooksPerApplication()) {
      throw ApiException.resourceExhausted("application " + w.getIds().getApplicationIds()
          .getApplicationId() + " has " + policy.maxWebhooksPerApplication()
          + " webhooks: expected fewer to create another");
    }
    store.putWebhook(w);
    return w;
  }

  /**
   * Deletes a webhook.
   *
   * @throws ApiException NOT_FOUND
   */
  public void delete(ApplicationWebhookIdentifiers ids) {
    validateIds(ids);
    if (!store.deleteWebhook(ids)) {
      throw notFound(ids);
    }
  }

  private static ApiException notFound(ApplicationWebhookIdentifiers ids) {
    return ApiException.notFound("webhook " + ids.getApplicationIds().getApplicationId() + "/"
        + ids.getWebhookId());
  }

  private static ApplicationWebhook masked(ApplicationWebhook w, FieldMask mask) {
    if (mask == null || mask.getPathsCount() == 0) {
      return w;
    }
    ApplicationWebhook.Builder b = ApplicationWebhook.newBuilder().setIds(w.getIds());
    try {
      FieldMaskUtil.merge(mask, w, b);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidArgument("field_mask", e.getMessage());
    }
    return b.build();
  }

  private static void validateIds(ApplicationWebhookIdentifiers ids) {
    requireId("ids.application_ids.application_id", ids.getApplicationIds().getApplicationId());
    requireId("ids.webhook_id", ids.getWebhookId());
  }

  private static void requireId(String field, String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw ApiException.invalidArgument(field, "expected 2..36 lower-case letters, digits and"
          + " single dashes, found '" + (id == null ? "" : id) + "'");
    }
  }

  private void validate(ApplicationWebhook w) {
    String base = w.getBaseUrl();
    if (base.isEmpty()) {
      throw ApiException.invalidArgument("base_url", "expected an http or https URL, found nothing");
    }
    if (base.length() > MAX_URL_CHARS) {
      throw ApiException.invalidArgument("base_url", "expected at most " + MAX_URL_CHARS
          + " characters, found " + base.length());
    }
    URI uri = parseUrl("base_url", base);
    if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http")
        || uri.getScheme().equalsIgnoreCase("https")) || uri.getHost() == null) {
      throw ApiException.invalidArgument("base_url", "expected an absolute http or https URL with"
          + " a host, found '" + base + "'");
    }
    if (!w.getFormat().equals("json")) {
      throw ApiException.invalidArgument("format", "expected json, found '" + w.getFormat() + "'");
    }
    if (w.getHeadersCount() > policy.maxHeaders()) {
      throw ApiException.invalidArgument("headers", "expected at most " + policy.maxHeaders()
          + " headers, found " + w.getHeadersCount());
    }
    HttpRequest.Builder probe = HttpRequest.newBuilder(uri);
    for (Map.Entry<String, String> h : w.getHeadersMap().entrySet()) {
      String name = h.getKey();
      String value = h.getValue();
      if (!HEADER_NAME.matcher(name).matches()) {
        throw ApiException.invalidArgument("headers", "expected a header name token, found '"
            + name + "'");
      }
      if (value.length() > policy.maxHeaderValueChars() || value.indexOf('\r') >= 0
          || value.indexOf('\n') >= 0) {
        throw ApiException.invalidArgument("headers." + name, "expected at most "
            + policy.maxHeaderValueChars() + " characters without line breaks");
      }
      try {
        probe.header(name, value);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidArgument("headers." + name, "header not allowed: "
            + e.getMessage());
      }
    }
    for (WebhookMessageType t : WebhookMessageType.values()) {
      t.message(w).ifPresent(m -> parseUrl(t.fieldName() + ".path", WebhookDispatcher.url(base,
          m.getPath())));
    }
  }

  private static URI parseUrl(String field, String url) {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw ApiException.invalidArgument(field, "expected a URL, found '" + url + "': "
          + e.getReason());
    }
  }

  /** The IDs of a webhook. */
  public static ApplicationWebhookIdentifiers ids(String applicationId, String webhookId) {
    return ApplicationWebhookIdentifiers.newBuilder()
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId(applicationId))
        .setWebhookId(webhookId).build();
  }

}
