package dev.loralab.applicationserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.FieldMask;
import dev.loralab.api.ApiException;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.auth.AccessControl;
import dev.loralab.api.auth.Caller;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationWebhook;
import dev.loralab.api.v3.ApplicationWebhookIdentifiers;
import dev.loralab.api.v3.DownlinkQueueRequest;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.MessagePayloadFormatters;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.SetApplicationWebhookRequest;
import dev.loralab.applicationserver.webhooks.ApplicationWebhookRegistry;
import dev.loralab.web.Handler;
import dev.loralab.web.Request;
import dev.loralab.web.Response;
import dev.loralab.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The Application Server's HTTP API (paths as in The Things Stack), authenticated with
 * {@code Authorization: Bearer <API key>}:
 *
 * <ul>
 *   <li>{@code POST /api/v3/as/applications/{application_id}/devices/{device_id}/down/push} and
 *       {@code .../down/replace} with {@code {"downlinks":[{"f_port":1,"frm_payload":"<base64>",
 *       "confirmed":false,"priority":"NORMAL"}]}} (or {@code decoded_payload}) — right
 *       {@code RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE};</li>
 *   <li>{@code GET .../down}: the queue, decrypted — {@code RIGHT_APPLICATION_TRAFFIC_READ};</li>
 *   <li>{@code GET|POST /api/v3/as/webhooks/{application_id}},
 *       {@code GET|PUT|DELETE /api/v3/as/webhooks/{application_id}/{webhook_id}} (bodies
 *       {@code {"webhook":{...},"field_mask":{"paths":[...]}}}; GETs take
 *       {@code ?field_mask=a,b}) — {@code RIGHT_APPLICATION_SETTINGS_BASIC};</li>
 *   <li>{@code GET|PUT /api/v3/as/applications/{application_id}/formatters}: the application's
 *       default {@code MessagePayloadFormatters} — {@code RIGHT_APPLICATION_SETTINGS_BASIC}.</li>
 * </ul>
 */
public final class ApplicationServerHttpRoutes {

  private static final String DEVICE =
      "/api/v3/as/applications/{application_id}/devices/{device_id}";
  private static final java.util.regex.Pattern ENTITY_ID =
      java.util.regex.Pattern.compile("[a-z0-9](?:-?[a-z0-9]){1,35}");
  private static final String WEBHOOKS = "/api/v3/as/webhooks/{application_id}";

  private final ApplicationServer as;
  private final AccessControl accessControl;

  /**
   * @param as the application server
   * @param accessControl authenticates API keys and looks up rights
   */
  public ApplicationServerHttpRoutes(ApplicationServer as, AccessControl accessControl) {
    this.as = Objects.requireNonNull(as, "as");
    this.accessControl = Objects.requireNonNull(accessControl, "accessControl");
  }

  /** Registers the routes on {@code router}. */
  public Router register(Router router) {
    router.post(DEVICE + "/down/push", r -> queue(r, false));
    router.post(DEVICE + "/down/replace", r -> queue(r, true));
    router.get(DEVICE + "/down", this::list);
    router.get(WEBHOOKS, sync(this::listWebhooks));
    router.post(WEBHOOKS, sync(r -> setWebhook(r, null)));
    router.get(WEBHOOKS + "/{webhook_id}", sync(this::getWebhook));
    router.put(WEBHOOKS + "/{webhook_id}", sync(r -> setWebhook(r, r.pathParam("webhook_id"))));
    router.delete(WEBHOOKS + "/{webhook_id}", sync(this::deleteWebhook));
    router.get("/api/v3/as/applications/{application_id}/formatters", sync(this::getFormatters));
    router.put("/api/v3/as/applications/{application_id}/formatters", sync(this::setFormatters));
    return router;
  }

  private static Handler sync(Handler.Sync h) {
    return Handler.sync(r -> {
      try {
        return h.handle(r);
      } catch (RuntimeException e) {
        throw ApiException.from(e);
      }
    });
  }

  private Caller authorize(Request r, EntityIdentifiers entity, Right... anyOf) {
    if (r.header("Authorization").isEmpty()) {
      throw ApiException.unauthenticated("missing Authorization: Bearer <API key> header");
    }
    String token = r.bearerToken().orElseThrow(() ->
        ApiException.unauthenticated("Authorization header: expected Bearer <API key>"));
    Caller caller = accessControl.authenticate(token);
    accessControl.requireAny(caller, entity, List.of(anyOf));
    return caller;
  }

  private static EndDeviceIdentifiers deviceIds(Request r) {
    return EndDeviceIdentifiers.newBuilder().setDeviceId(pathId(r, "device_id"))
        .setApplicationIds(appIds(r)).build();
  }

  private static ApplicationIdentifiers appIds(Request r) {
    return ApplicationIdentifiers.newBuilder().setApplicationId(pathId(r, "application_id"))
        .build();
  }

  /** A path parameter that must be an entity ID (2..36 of a-z, 0-9 and single inner dashes). */
  private static String pathId(Request r, String name) {
    String id = r.pathParam(name);
    if (id == null || !ENTITY_ID.matcher(id).matches()) {
      String shown = id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "..." : id;
      throw ApiException.invalidArgument(name, "expected 2..36 lower-case letters, digits and"
          + " single dashes, found '" + shown + "'");
    }
    return id;
  }

  private static EntityIdentifiers device(EndDeviceIdentifiers ids) {
    return EntityIdentifiers.newBuilder().setDeviceIds(ids).build();
  }

  private static EntityIdentifiers app(ApplicationIdentifiers ids) {
    return EntityIdentifiers.newBuilder().setApplicationIds(ids).build();
  }

  private String body(Request r) {
    if (r.bodyLength() > as.config().maxRequestBodyBytes()) {
      throw ApiException.invalidArgument("body", "expected at most "
          + as.config().maxRequestBodyBytes() + " bytes, found " + r.bodyLength());
    }
    String s = r.bodyUtf8();
    return s.isBlank() ? "{}" : s;
  }

  private static CompletableFuture<Response> async(CompletableFuture<String> json) {
    return json.handle((s, e) -> {
      if (e != null) {
        throw new CompletionException(ApiException.from(e));
      }
      return Response.json(200, s);
    });
  }

  private CompletableFuture<Response> queue(Request r, boolean replace) {
    try {
      EndDeviceIdentifiers ids = deviceIds(r);
      Caller caller = authorize(r, device(ids), Right.RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE);
      DownlinkQueueRequest req = ProtoJson.parse(body(r), DownlinkQueueRequest.newBuilder())
          .setEndDeviceIds(ids).build();
      String addr = r.remoteAddress();
      int colon = addr.lastIndexOf(':');
      RequestOrigin origin = new RequestOrigin(caller.apiKeyId(),
          colon > 0 ? addr.substring(0, colon) : addr, r.userAgent().orElse(""));
      return async((replace ? as.downlinkQueueReplace(req, origin)
          : as.downlinkQueuePush(req, origin)).thenApply(v -> "{}"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(ApiException.from(e));
    }
  }

  private CompletableFuture<Response> list(Request r) {
    try {
      EndDeviceIdentifiers ids = deviceIds(r);
      authorize(r, device(ids), Right.RIGHT_APPLICATION_TRAFFIC_READ);
      return async(as.downlinkQueueList(ids).thenApply(ProtoJson::print));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(ApiException.from(e));
    }
  }

  private static FieldMask queryMask(Request r) {
    List<String> paths = new ArrayList<>();
    for (String v : r.queryAll("field_mask")) {
      for (String p : v.split(",")) {
        if (!p.isBlank()) {
          paths.add(p.strip());
        }
      }
    }
    return FieldMask.newBuilder().addAllPaths(paths).build();
  }

  private Response listWebhooks(Request r) {
    ApplicationIdentifiers ids = appIds(r);
    authorize(r, app(ids), Right.RIGHT_APPLICATION_SETTINGS_BASIC);
    return Response.json(200, ProtoJson.print(as.webhooks().list(ids, queryMask(r))));
  }

  private Response getWebhook(Request r) {
    ApplicationIdentifiers ids = appIds(r);
    authorize(r, app(ids), Right.RIGHT_APPLICATION_SETTINGS_BASIC);
    ApplicationWebhookIdentifiers w = ApplicationWebhookRegistry.ids(ids.getApplicationId(),
        r.pathParam("webhook_id"));
    return Response.json(200, ProtoJson.print(as.webhooks().get(w, queryMask(r))));
  }

  private Response setWebhook(Request r, String pathWebhookId) {
    ApplicationIdentifiers ids = appIds(r);
    authorize(r, app(ids), Right.RIGHT_APPLICATION_SETTINGS_BASIC);
    body(r);
    JsonNode root = r.json();
    if (!root.isObject()) {
      throw ApiException.invalidArgument("body", "expected a JSON object");
    }
    // The Things Stack writes field masks as {"paths":[...]}; protobuf JSON as "a,b".
    List<String> paths = new ArrayList<>();
    JsonNode mask = root.get("field_mask");
    if (mask != null && mask.isObject() && mask.get("paths") != null) {
      mask.get("paths").forEach(p -> paths.add(p.asText()));
      ((ObjectNode) root).remove("field_mask");
    }
    SetApplicationWebhookRequest.Builder req = ProtoJson.parse(root.toString(),
        SetApplicationWebhookRequest.newBuilder());
    if (!paths.isEmpty()) {
      req.setFieldMask(FieldMask.newBuilder().addAllPaths(paths));
    }
    ApplicationWebhook.Builder w = req.getWebhookBuilder();
    String webhookId = pathWebhookId != null ? pathWebhookId : w.getIds().getWebhookId();
    w.setIds(ApplicationWebhookRegistry.ids(ids.getApplicationId(), webhookId));
    return Response.json(200, ProtoJson.print(as.webhooks().set(req.build())));
  }

  private Response deleteWebhook(Request r) {
    ApplicationIdentifiers ids = appIds(r);
    authorize(r, app(ids), Right.RIGHT_APPLICATION_SETTINGS_BASIC);
    as.webhooks().delete(ApplicationWebhookRegistry.ids(ids.getApplicationId(),
        r.pathParam("webhook_id")));
    return Response.json(200, "{}");
  }

  private Response getFormatters(Request r) {
    ApplicationIdentifiers ids = appIds(r);
    authorize(r, app(ids), Right.RIGHT_APPLICATION_SETTINGS_BASIC, Right.RIGHT_APPLICATION_INFO);
    return Response.json(200, ProtoJson.print(as.store().applicationFormatters(ids)
        .orElse(MessagePayloadFormatters.getDefaultInstance())));
  }

  private Response setFormatters(Request r) {
    ApplicationIdentifiers ids = appIds(r);
    authorize(r, app(ids), Right.RIGHT_APPLICATION_SETTINGS_BASIC);
    MessagePayloadFormatters f = ProtoJson.parse(body(r), MessagePayloadFormatters.newBuilder())
        .build();
    if (f.getUpFormatterParameter().length() > as.config().javaScript().maxScriptChars()
        || f.getDownFormatterParameter().length() > as.config().javaScript().maxScriptChars()) {
      throw ApiException.invalidArgument("formatter_parameter", "expected at most "
          + as.config().javaScript().maxScriptChars() + " characters");
    }
    as.store().setApplicationFormatters(ids, f);
    return Response.json(200, ProtoJson.print(f));
  }
}
