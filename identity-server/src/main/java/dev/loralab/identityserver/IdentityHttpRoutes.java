package dev.loralab.identityserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import dev.loralab.api.ApiException;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.ProtoJsonException;
import dev.loralab.api.auth.AccessControl;
import dev.loralab.api.auth.Caller;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.auth.Unauthenticated;
import dev.loralab.api.v3.APIKey;
import dev.loralab.api.v3.APIKeys;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.Applications;
import dev.loralab.api.v3.CreateApplicationAPIKeyRequest;
import dev.loralab.api.v3.CreateApplicationRequest;
import dev.loralab.api.v3.CreateEndDeviceRequest;
import dev.loralab.api.v3.CreateGatewayAPIKeyRequest;
import dev.loralab.api.v3.CreateGatewayRequest;
import dev.loralab.api.v3.CreateUserAPIKeyRequest;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EndDevices;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Gateway;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.Gateways;
import dev.loralab.api.v3.OrganizationOrUserIdentifiers;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.User;
import dev.loralab.api.v3.UserIdentifiers;
import dev.loralab.identityserver.internal.EntityValidation;
import dev.loralab.identityserver.internal.IdentityApi;
import dev.loralab.web.Handler;
import dev.loralab.web.Request;
import dev.loralab.web.Response;
import dev.loralab.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The identity server's HTTP API under {@code /api/v3}, in The Things Stack's paths and JSON
 * shapes. Every route needs {@code Authorization: Bearer <API key>}. Lists take {@code limit} and
 * {@code page} (from 1) and answer with {@code X-Total-Count}; GET and PUT take a field mask
 * ({@code ?field_mask=a,b} or body {@code "field_mask": {"paths": [...]}}).
 *
 * <p>Handlers run on the web server's handler executor (they block on storage).
 */
public final class IdentityHttpRoutes {
  private static final String V3 = "/api/v3";

  private final IdentityApi api;
  private final AccessControl access;

  /**
   * @param api the API semantics
   * @param access authenticates bearer tokens
   */
  public IdentityHttpRoutes(IdentityApi api, AccessControl access) {
    this.api = Objects.requireNonNull(api, "api");
    this.access = Objects.requireNonNull(access, "access");
  }

  /** Every route, as {@code METHOD pattern}, in registration order. */
  public static List<String> routes() {
    Router r = new Router();
    new IdentityHttpRoutes(null, null, true).register(r);
    return r.routes();
  }

  private IdentityHttpRoutes(IdentityApi api, AccessControl access, boolean unused) {
    this.api = api;
    this.access = access;
  }

  /** Registers the routes. */
  public void register(Router r) {
    // The caller's own API key and owner (any valid key).
    r.get(V3 + "/auth_info", h(q -> ok(api.authInfo(caller(q)))));
    // Users.
    r.post(V3 + "/users", h(this::createUser));
    r.get(V3 + "/users", h(this::listUsers));
    r.get(V3 + "/users/{user_id}", h(q -> ok(api.getUser(caller(q), userIds(q)))));
    r.delete(V3 + "/users/{user_id}", h(q -> {
      api.deleteUser(caller(q), userIds(q));
      return empty();
    }));
    // API keys of users, applications and gateways.
    for (String kind : List.of("users", "applications", "gateways")) {
      String base = V3 + "/" + kind + "/{" + idParam(kind) + "}/api-keys";
      r.post(base, h(q -> createApiKey(q, kind)));
      r.get(base, h(q -> {
        IdentityApi.Page<APIKey> p = api.listApiKeys(caller(q), owner(q, kind), limit(q), page(q));
        return list(APIKeys.newBuilder().addAllApiKeys(p.items()).build(), p.total());
      }));
      r.get(base + "/{key_id}", h(q -> ok(api.getApiKey(caller(q), owner(q, kind), q.pathParam("key_id")))));
      r.put(base + "/{key_id}", h(q -> updateApiKey(q, kind)));
      r.delete(base + "/{key_id}", h(q -> {
        api.deleteApiKey(caller(q), owner(q, kind), q.pathParam("key_id"));
        return empty();
      }));
    }
    // Applications.
    r.post(V3 + "/users/{user_id}/applications", h(this::createApplication));
    r.get(V3 + "/users/{user_id}/applications", h(q -> listApplications(q, collaborator(q))));
    r.get(V3 + "/applications", h(q -> listApplications(q, null)));
    r.get(V3 + "/applications/{application_id}", h(q ->
        ok(api.getApplication(caller(q), appIds(q), queryMask(q)))));
    r.put(V3 + "/applications/{application_id}", h(this::updateApplication));
    r.delete(V3 + "/applications/{application_id}", h(q -> {
      api.deleteApplication(caller(q), appIds(q));
      return empty();
    }));
    // Gateways.
    r.post(V3 + "/users/{user_id}/gateways", h(this::createGateway));
    r.get(V3 + "/users/{user_id}/gateways", h(q -> listGateways(q, collaborator(q))));
    r.get(V3 + "/gateways", h(q -> listGateways(q, null)));
    r.get(V3 + "/gateways/{gateway_id}", h(q ->
        ok(api.getGateway(caller(q), gatewayIds(q), queryMask(q)))));
    r.put(V3 + "/gateways/{gateway_id}", h(this::updateGateway));
    r.delete(V3 + "/gateways/{gateway_id}", h(q -> {
      api.deleteGateway(caller(q), gatewayIds(q));
      return empty();
    }));
    // End devices.
    r.post(V3 + "/applications/{application_id}/devices", h(this::createEndDevice));
    r.get(V3 + "/applications/{application_id}/devices", h(q -> {
      IdentityApi.Page<EndDevice> p =
          api.listEndDevices(caller(q), appIds(q), queryMask(q), limit(q), page(q));
      return list(EndDevices.newBuilder().addAllEndDevices(p.items()).build(), p.total());
    }));
    r.get(V3 + "/applications/{application_id}/devices/{device_id}", h(q ->
        ok(api.getEndDevice(caller(q), deviceIds(q), queryMask(q)))));
    r.put(V3 + "/applications/{application_id}/devices/{device_id}", h(this::updateEndDevice));
    r.delete(V3 + "/applications/{application_id}/devices/{device_id}", h(q -> {
      api.deleteEndDevice(caller(q), deviceIds(q));
      return empty();
    }));
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private static Handler h(Handler.Sync body) {
    return Handler.sync(q -> {
      try {
        return body.handle(q);
      } catch (RegistryException | ProtoJsonException e) {
        throw IdentityApi.toApiException(e);
      }
    });
  }

  private Caller caller(Request q) {
    String token = q.bearerToken()
        .orElseThrow(() -> new Unauthenticated("missing Authorization: Bearer <API key>"));
    return access.authenticate(token);
  }

  private static String idParam(String kind) {
    return switch (kind) {
      case "users" -> "user_id";
      case "applications" -> "application_id";
      default -> "gateway_id";
    };
  }

  private static EntityIdentifiers owner(Request q, String kind) {
    return switch (kind) {
      case "users" -> EntityKeys.user(EntityValidation.id("user_id", q.pathParam("user_id")));
      case "applications" -> EntityKeys.application(
          EntityValidation.id("application_id", q.pathParam("application_id")));
      default -> EntityKeys.gateway(EntityValidation.id("gateway_id", q.pathParam("gateway_id")));
    };
  }

  private static UserIdentifiers userIds(Request q) {
    return UserIdentifiers.newBuilder()
        .setUserId(EntityValidation.id("user_id", q.pathParam("user_id"))).build();
  }

  private static OrganizationOrUserIdentifiers collaborator(Request q) {
    return OrganizationOrUserIdentifiers.newBuilder().setUserIds(userIds(q)).build();
  }

  private static ApplicationIdentifiers appIds(Request q) {
    return ApplicationIdentifiers.newBuilder()
        .setApplicationId(EntityValidation.id("application_id", q.pathParam("application_id")))
        .build();
  }

  private static GatewayIdentifiers gatewayIds(Request q) {
    return GatewayIdentifiers.newBuilder()
        .setGatewayId(EntityValidation.id("gateway_id", q.pathParam("gateway_id"))).build();
  }

  private static EndDeviceIdentifiers deviceIds(Request q) {
    return EndDeviceIdentifiers.newBuilder()
        .setApplicationIds(appIds(q))
        .setDeviceId(EntityValidation.id("device_id", q.pathParam("device_id"))).build();
  }

  private static Response ok(MessageOrBuilder m) {
    return Response.json(200, ProtoJson.print(m));
  }

  private static Response empty() {
    return Response.json(200, "{}");
  }

  private static Response list(MessageOrBuilder m, int total) {
    return ok(m).withHeader("X-Total-Count", Integer.toString(total));
  }

  private static ObjectNode body(Request q) {
    JsonNode n = q.json();
    if (!(n instanceof ObjectNode o)) {
      throw ApiException.invalidArgument("body", "expected a JSON object, found " + n.getNodeType());
    }
    return o;
  }

  /** Removes and returns the body's field mask (object with paths, or comma-separated string). */
  private static FieldMask takeMask(ObjectNode body) {
    JsonNode m = body.remove("field_mask");
    if (m == null || m.isNull()) {
      return FieldMask.getDefaultInstance();
    }
    FieldMask.Builder b = FieldMask.newBuilder();
    if (m.isTextual()) {
      for (String p : m.asText().split(",")) {
        if (!p.isBlank()) {
          b.addPaths(p.trim());
        }
      }
      return b.build();
    }
    JsonNode paths = m.get("paths");
    if (!m.isObject() || paths == null || !paths.isArray() || m.size() != 1) {
      throw ApiException.invalidArgument("field_mask",
          "expected {\"paths\": [...]} or a comma-separated string, found " + m.getNodeType());
    }
    for (JsonNode p : paths) {
      if (!p.isTextual()) {
        throw ApiException.invalidArgument("field_mask.paths",
            "expected strings, found " + p.getNodeType());
      }
      b.addPaths(p.asText());
    }
    return b.build();
  }

  private static FieldMask queryMask(Request q) {
    FieldMask.Builder b = FieldMask.newBuilder();
    List<String> values = new ArrayList<>(q.queryAll("field_mask"));
    values.addAll(q.queryAll("field_mask.paths"));
    for (String v : values) {
      for (String p : v.split(",")) {
        if (!p.isBlank()) {
          b.addPaths(p.trim());
        }
      }
    }
    return b.build();
  }

  private static int intQuery(Request q, String name) {
    String v = q.query(name).orElse("");
    if (v.isEmpty()) {
      return 0;
    }
    try {
      int i = Integer.parseInt(v);
      if (i < 0) {
        throw new NumberFormatException();
      }
      return i;
    } catch (NumberFormatException e) {
      throw ApiException.invalidArgument(name, "expected a non-negative integer, found '"
          + (v.length() > 20 ? v.substring(0, 20) + "..." : v) + "'");
    }
  }

  private static int limit(Request q) {
    return intQuery(q, "limit");
  }

  private static int page(Request q) {
    return intQuery(q, "page");
  }

  private static <B extends Message.Builder> B parse(JsonNode node, B builder) {
    return ProtoJson.parse(node == null ? "{}" : node.toString(), builder);
  }

  private static JsonNode wrapped(ObjectNode body, String name) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      throw ApiException.invalidArgument(name, "expected an object, found nothing");
    }
    if (!n.isObject()) {
      throw ApiException.invalidArgument(name, "expected an object, found " + n.getNodeType());
    }
    return n;
  }

  private static void requireSame(String field, String inBody, String inPath) {
    if (!inBody.isEmpty() && !inBody.equals(inPath)) {
      throw ApiException.invalidArgument(field, "expected '" + inPath + "' (as in the path), found '"
          + inBody + "'");
    }
  }

  // ---- handlers ------------------------------------------------------------------------------

  private Response createUser(Request q) {
    Caller c = caller(q);
    ObjectNode body = body(q);
    User user = parse(wrapped(body, "user"), User.newBuilder()).build();
    return ok(api.createUser(c, user));
  }

  private Response listUsers(Request q) {
    IdentityApi.Page<User> p = api.listUsers(caller(q), limit(q), page(q));
    StringBuilder sb = new StringBuilder("{\"users\":[");
    for (int i = 0; i < p.items().size(); i++) {
      sb.append(i == 0 ? "" : ",").append(ProtoJson.print(p.items().get(i)));
    }
    sb.append("]}");
    return Response.json(200, sb.toString())
        .withHeader("X-Total-Count", Integer.toString(p.total()));
  }

  private Response createApiKey(Request q, String kind) {
    Caller c = caller(q);
    EntityIdentifiers owner = owner(q, kind);
    ObjectNode body = body(q);
    String name;
    List<Right> rights;
    com.google.protobuf.Timestamp expires;
    boolean hasExpiry;
    switch (kind) {
      case "users" -> {
        CreateUserAPIKeyRequest r = parse(body, CreateUserAPIKeyRequest.newBuilder()).build();
        requireSame("user_ids.user_id", r.getUserIds().getUserId(), owner.getUserIds().getUserId());
        name = r.getName();
        rights = r.getRightsList();
        expires = r.getExpiresAt();
        hasExpiry = r.hasExpiresAt();
      }
      case "applications" -> {
        CreateApplicationAPIKeyRequest r =
            parse(body, CreateApplicationAPIKeyRequest.newBuilder()).build();
        requireSame("application_ids.application_id", r.getApplicationIds().getApplicationId(),
            owner.getApplicationIds().getApplicationId());
        name = r.getName();
        rights = r.getRightsList();
        expires = r.getExpiresAt();
        hasExpiry = r.hasExpiresAt();
      }
      default -> {
        CreateGatewayAPIKeyRequest r = parse(body, CreateGatewayAPIKeyRequest.newBuilder()).build();
        requireSame("gateway_ids.gateway_id", r.getGatewayIds().getGatewayId(),
            owner.getGatewayIds().getGatewayId());
        name = r.getName();
        rights = r.getRightsList();
        expires = r.getExpiresAt();
        hasExpiry = r.hasExpiresAt();
      }
    }
    return ok(api.createApiKey(c, owner, name, rights, expires, hasExpiry));
  }

  private Response updateApiKey(Request q, String kind) {
    Caller c = caller(q);
    EntityIdentifiers owner = owner(q, kind);
    ObjectNode body = body(q);
    takeMask(body);
    JsonNode node = body.has("api_key") ? wrapped(body, "api_key") : body;
    APIKey patch = parse(node, APIKey.newBuilder()).build();
    requireSame("api_key.id", patch.getId(), q.pathParam("key_id"));
    if (!patch.getKey().isEmpty()) {
      throw ApiException.invalidArgument("api_key.key", "expected nothing (secrets cannot be set)");
    }
    return ok(api.updateApiKey(c, owner, q.pathParam("key_id"), patch));
  }

  private Response createApplication(Request q) {
    Caller c = caller(q);
    ObjectNode body = body(q);
    body.remove("collaborator");
    Application app = parse(wrapped(body, "application"), Application.newBuilder()).build();
    return ok(api.createApplication(c, CreateApplicationRequest.newBuilder()
        .setApplication(app).setCollaborator(collaborator(q)).build()));
  }

  private Response listApplications(Request q, OrganizationOrUserIdentifiers collaborator) {
    IdentityApi.Page<Application> p =
        api.listApplications(caller(q), collaborator, queryMask(q), limit(q), page(q));
    return list(Applications.newBuilder().addAllApplications(p.items()).build(), p.total());
  }

  private Response updateApplication(Request q) {
    Caller c = caller(q);
    ApplicationIdentifiers ids = appIds(q);
    ObjectNode body = body(q);
    FieldMask mask = takeMask(body);
    Application.Builder patch = parse(wrapped(body, "application"), Application.newBuilder());
    requireSame("application.ids.application_id", patch.getIds().getApplicationId(),
        ids.getApplicationId());
    patch.setIds(ids);
    return ok(api.updateApplication(c, patch.build(), mask));
  }

  private Response createGateway(Request q) {
    Caller c = caller(q);
    ObjectNode body = body(q);
    body.remove("collaborator");
    Gateway gtw = parse(wrapped(body, "gateway"), Gateway.newBuilder()).build();
    return ok(api.createGateway(c, CreateGatewayRequest.newBuilder()
        .setGateway(gtw).setCollaborator(collaborator(q)).build()));
  }

  private Response listGateways(Request q, OrganizationOrUserIdentifiers collaborator) {
    IdentityApi.Page<Gateway> p =
        api.listGateways(caller(q), collaborator, queryMask(q), limit(q), page(q));
    return list(Gateways.newBuilder().addAllGateways(p.items()).build(), p.total());
  }

  private Response updateGateway(Request q) {
    Caller c = caller(q);
    GatewayIdentifiers ids = gatewayIds(q);
    ObjectNode body = body(q);
    FieldMask mask = takeMask(body);
    Gateway.Builder patch = parse(wrapped(body, "gateway"), Gateway.newBuilder());
    requireSame("gateway.ids.gateway_id", patch.getIds().getGatewayId(), ids.getGatewayId());
    patch.getIdsBuilder().setGatewayId(ids.getGatewayId());
    return ok(api.updateGateway(c, patch.build(), mask));
  }

  private Response createEndDevice(Request q) {
    Caller c = caller(q);
    ApplicationIdentifiers app = appIds(q);
    ObjectNode body = body(q);
    takeMask(body);
    EndDevice.Builder d = parse(wrapped(body, "end_device"), EndDevice.newBuilder());
    requireSame("end_device.ids.application_ids.application_id",
        d.getIds().getApplicationIds().getApplicationId(), app.getApplicationId());
    d.getIdsBuilder().setApplicationIds(app);
    return ok(api.createEndDevice(c, CreateEndDeviceRequest.newBuilder().setEndDevice(d).build()));
  }

  private Response updateEndDevice(Request q) {
    Caller c = caller(q);
    EndDeviceIdentifiers ids = deviceIds(q);
    ObjectNode body = body(q);
    FieldMask mask = takeMask(body);
    EndDevice.Builder d = parse(wrapped(body, "end_device"), EndDevice.newBuilder());
    requireSame("end_device.ids.application_ids.application_id",
        d.getIds().getApplicationIds().getApplicationId(), ids.getApplicationIds().getApplicationId());
    requireSame("end_device.ids.device_id", d.getIds().getDeviceId(), ids.getDeviceId());
    d.getIdsBuilder().setApplicationIds(ids.getApplicationIds()).setDeviceId(ids.getDeviceId());
    return ok(api.updateEndDevice(c, d.build(), mask));
  }
}
