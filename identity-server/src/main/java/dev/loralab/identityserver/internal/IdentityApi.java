package dev.loralab.identityserver.internal;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import dev.loralab.api.ApiException;
import dev.loralab.api.ProtoJsonException;
import dev.loralab.api.auth.AccessControl;
import dev.loralab.api.auth.Caller;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.auth.PermissionDenied;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.v3.APIKey;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.CreateApplicationRequest;
import dev.loralab.api.v3.CreateEndDeviceRequest;
import dev.loralab.api.v3.CreateGatewayRequest;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Gateway;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.OrganizationOrUserIdentifiers;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.User;
import dev.loralab.api.v3.UserIdentifiers;
import dev.loralab.identityserver.ApiKeyRegistry;
import dev.loralab.identityserver.ApplicationRegistry;
import dev.loralab.identityserver.EndDeviceRegistry;
import dev.loralab.identityserver.EntityAlreadyExistsException;
import dev.loralab.identityserver.EntityEventSink;
import dev.loralab.identityserver.EntityNotFoundException;
import dev.loralab.identityserver.GatewayRegistry;
import dev.loralab.identityserver.InvalidFieldException;
import dev.loralab.identityserver.RegistryException;
import dev.loralab.identityserver.UserRegistry;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity server's API semantics, shared by the HTTP routes and the gRPC services: rights
 * checks, validation, field masks, secret hiding, paging and events. Every method takes the
 * authenticated {@link Caller}; failures are {@link ApiException}, {@link PermissionDenied} or
 * {@link dev.loralab.api.auth.Unauthenticated}. Methods block on storage.
 */
public final class IdentityApi {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityApi.class);

  /** A page of a list and the total number of items. */
  public record Page<T>(List<T> items, int total) {
    /** Copies the items. */
    public Page {
      items = List.copyOf(items);
    }
  }

  private final AccessControl access;
  private final UserRegistry users;
  private final ApplicationRegistry applications;
  private final GatewayRegistry gateways;
  private final EndDeviceRegistry devices;
  private final ApiKeyRegistry apiKeys;
  private final EntityValidation validation;
  private final EntityEventSink events;
  private final int maxPageSize;

  /** Creates the API over the registries. */
  public IdentityApi(AccessControl access, UserRegistry users, ApplicationRegistry applications,
      GatewayRegistry gateways, EndDeviceRegistry devices, ApiKeyRegistry apiKeys,
      EntityValidation validation, EntityEventSink events, int maxPageSize) {
    this.access = access;
    this.users = users;
    this.applications = applications;
    this.gateways = gateways;
    this.devices = devices;
    this.apiKeys = apiKeys;
    this.validation = validation;
    this.events = events;
    this.maxPageSize = maxPageSize;
  }

  /** The largest page a list returns. */
  public int maxPageSize() {
    return maxPageSize;
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Runs {@code body}, translating domain failures to {@link ApiException}. */
  static <T> T translate(Supplier<T> body) {
    try {
      return body.get();
    } catch (RegistryException | ProtoJsonException | StoreException e) {
      throw toApiException(e);
    }
  }

  /**
   * The {@link ApiException} for a domain failure: invalid field 400, not found 404, already
   * exists 409, malformed JSON 400, storage failure 503.
   */
  public static ApiException toApiException(RuntimeException e) {
    if (e instanceof InvalidFieldException f) {
      String prefix = "invalid " + f.field() + ": ";
      String reason = f.getMessage().startsWith(prefix)
          ? f.getMessage().substring(prefix.length()) : f.getMessage();
      return ApiException.invalidArgument(f.field(), reason);
    }
    if (e instanceof EntityNotFoundException n) {
      return ApiException.notFound(n.entityKey());
    }
    if (e instanceof EntityAlreadyExistsException) {
      return new ApiException(io.grpc.Status.Code.ALREADY_EXISTS, e.getMessage());
    }
    if (e instanceof ProtoJsonException) {
      return ApiException.invalidArgument("body", e.getMessage());
    }
    if (e instanceof StoreException) {
      LOG.warn("storage failure", e);
      return ApiException.unavailable("storage unavailable");
    }
    return ApiException.from(e);
  }

  private RightSet require(Caller caller, EntityIdentifiers entity, Right... rights) {
    RightSet have = access.rightsOn(caller, entity);
    for (Right r : rights) {
      if (!have.includes(r)) {
        throw new PermissionDenied(entity, "requires " + r.name());
      }
    }
    return have;
  }

  private boolean isAdmin(Caller caller) {
    return caller.rights().expanded().includes(Right.RIGHT_ALL);
  }

  <T> Page<T> page(List<T> all, int limit, int page) {
    if (limit < 0) {
      throw ApiException.invalidArgument("limit", "expected 0.." + maxPageSize + ", found " + limit);
    }
    if (page < 0) {
      throw ApiException.invalidArgument("page", "expected 1 or more, found " + page);
    }
    int size = limit == 0 || limit > maxPageSize ? maxPageSize : limit;
    int p = page == 0 ? 1 : page;
    long from = (long) (p - 1) * size;
    if (from >= all.size()) {
      return new Page<>(List.of(), all.size());
    }
    int to = (int) Math.min(all.size(), from + size);
    return new Page<>(all.subList((int) from, to), all.size());
  }

  private static List<String> maskPaths(FieldMask mask) {
    return mask == null ? List.of() : mask.getPathsList();
  }

  private static void rejectIdPaths(List<String> paths, String entity, List<String> allowed) {
    for (String p : paths) {
      if ((p.equals("ids") || p.startsWith("ids.")) && !allowed.contains(p)) {
        throw new InvalidFieldException("field_mask.paths",
            "no identifier paths other than " + allowed + " (IDs of " + entity + " cannot change)",
            "'" + p + "'");
      }
    }
  }

  private static Optional<Instant> expiry(Timestamp t, boolean present) {
    return present ? Optional.of(Timestamps.toInstant(t)) : Optional.empty();
  }

  private static String kind(EntityIdentifiers ids) {
    return switch (ids.getIdsCase()) {
      case USER_IDS -> "user";
      case APPLICATION_IDS -> "application";
      case GATEWAY_IDS -> "gateway";
      default -> throw ApiException.invalidArgument("ids", "a user, application or gateway");
    };
  }

  private static Right apiKeysRight(EntityIdentifiers ids) {
    return switch (ids.getIdsCase()) {
      case USER_IDS -> Right.RIGHT_USER_SETTINGS_API_KEYS;
      case APPLICATION_IDS -> Right.RIGHT_APPLICATION_SETTINGS_API_KEYS;
      case GATEWAY_IDS -> Right.RIGHT_GATEWAY_SETTINGS_API_KEYS;
      default -> throw ApiException.invalidArgument("ids", "a user, application or gateway");
    };
  }

  private boolean exists(EntityIdentifiers ids) {
    return switch (ids.getIdsCase()) {
      case USER_IDS -> users.get(ids.getUserIds().getUserId()).isPresent();
      case APPLICATION_IDS -> applications.get(ids.getApplicationIds().getApplicationId()).isPresent();
      case GATEWAY_IDS -> gateways.get(ids.getGatewayIds().getGatewayId()).isPresent();
      default -> false;
    };
  }

  private static UserIdentifiers collaboratorUser(OrganizationOrUserIdentifiers c, String field) {
    if (c.getIdsCase() != OrganizationOrUserIdentifiers.IdsCase.USER_IDS) {
      throw ApiException.invalidArgument(field, "expected user_ids (organizations are not supported)");
    }
    EntityValidation.id(field + ".user_ids.user_id", c.getUserIds().getUserId());
    return c.getUserIds();
  }

  // ---- users ---------------------------------------------------------------------------------

  /** Creates a user (admin only). */
  public User createUser(Caller caller, User user) {
    return translate(() -> {
      if (!isAdmin(caller)) {
        throw new PermissionDenied(EntityKeys.user(user.getIds().getUserId()), "requires RIGHT_ALL");
      }
      User created = users.create(user);
      events.publish("user.create", EntityKeys.entity(created.getIds()), null);
      return created;
    });
  }

  /** A user (RIGHT_USER_INFO). */
  public User getUser(Caller caller, UserIdentifiers ids) {
    return translate(() -> {
      require(caller, EntityKeys.entity(ids), Right.RIGHT_USER_INFO);
      return users.get(ids.getUserId())
          .orElseThrow(() -> new EntityNotFoundException("user:" + ids.getUserId()));
    });
  }

  /** Every user (admin only). */
  public Page<User> listUsers(Caller caller, int limit, int page) {
    return translate(() -> {
      if (!isAdmin(caller)) {
        throw new PermissionDenied("user:*", "listing users requires RIGHT_ALL");
      }
      return page(users.list(), limit, page);
    });
  }

  /**
   * Deletes a user and its API keys (RIGHT_USER_DELETE); refused (412) while the user owns
   * applications or gateways.
   */
  public void deleteUser(Caller caller, UserIdentifiers ids) {
    translate(() -> {
      require(caller, EntityKeys.entity(ids), Right.RIGHT_USER_DELETE);
      if (!applications.listOwnedBy(ids).isEmpty() || !gateways.listOwnedBy(ids).isEmpty()) {
        throw ApiException.failedPrecondition("user:" + ids.getUserId()
            + " still owns applications or gateways; delete them first");
      }
      if (!users.delete(ids.getUserId())) {
        throw new EntityNotFoundException("user:" + ids.getUserId());
      }
      events.publish("user.delete", EntityKeys.entity(ids), null);
      return null;
    });
  }

  // ---- API keys ------------------------------------------------------------------------------

  /**
   * Checks that the caller may manage the keys of {@code owner} and grant {@code rights}: the
   * rights must be of the owner's kind (any for users) and held by the caller.
   */
  private void requireGrantable(Caller caller, EntityIdentifiers owner, Collection<Right> rights) {
    RightSet have = require(caller, owner, apiKeysRight(owner));
    RightSet requested = RightSet.of(rights);
    if (owner.getIdsCase() != EntityIdentifiers.IdsCase.USER_IDS
        && !requested.scopedTo(owner).equals(requested)) {
      throw new InvalidFieldException("rights", "rights of the " + kind(owner) + " kind",
          requested.toString());
    }
    if (owner.getIdsCase() == EntityIdentifiers.IdsCase.USER_IDS
        && (isAdmin(caller) || EntityKeys.of(caller.owner()).equals(EntityKeys.of(owner)))) {
      // A user's own key (or the admin) may grant user keys rights on what the user owns.
      have = caller.rights().expanded();
    }
    List<Right> missing = new ArrayList<>();
    for (Right r : requested.asSet()) {
      if (!have.includes(r)) {
        missing.add(r);
      }
    }
    if (!missing.isEmpty()) {
      throw new PermissionDenied(owner, "cannot grant rights the caller does not have: " + missing);
    }
  }

  /**
   * Creates an API key of a user, application or gateway. The caller needs the kind's
   * {@code *_SETTINGS_API_KEYS} right and every right it grants.
   */
  public APIKey createApiKey(Caller caller, EntityIdentifiers owner, String name,
      Collection<Right> rights, Timestamp expiresAt, boolean hasExpiry) {
    return translate(() -> {
      requireGrantable(caller, owner, rights);
      if (!exists(owner)) {
        throw new EntityNotFoundException(EntityKeys.of(owner));
      }
      APIKey key = apiKeys.create(owner, name, rights, expiry(expiresAt, hasExpiry));
      events.publish(kind(owner) + ".api-key.create", owner, key.toBuilder().clearKey().build());
      return key;
    });
  }

  /** The API keys of an entity, without secrets. */
  public Page<APIKey> listApiKeys(Caller caller, EntityIdentifiers owner, int limit, int page) {
    return translate(() -> {
      require(caller, owner, apiKeysRight(owner));
      return page(apiKeys.list(owner), limit, page);
    });
  }

  /**
   * Who the caller is, as The Things Stack's {@code AuthInfo}: the caller's own API key (without
   * secret) and its owner; an admin key (RIGHT_ALL) is {@code is_admin} with universal rights.
   * Needs no right beyond a valid key.
   */
  public dev.loralab.api.v3.AuthInfoResponse authInfo(Caller caller) {
    return translate(() -> {
      APIKey key = apiKeys.get(caller.owner(), caller.apiKeyId())
          .map(k -> k.toBuilder().clearKey().build())
          .orElseGet(() -> APIKey.newBuilder().setId(caller.apiKeyId())
              .addAllRights(caller.rights().asSet()).build());
      boolean admin = isAdmin(caller);
      var info = dev.loralab.api.v3.AuthInfoResponse.newBuilder()
          .setApiKey(dev.loralab.api.v3.AuthInfoResponse.APIKeyAccess.newBuilder()
              .setApiKey(key).setEntityIds(caller.owner()))
          .setIsAdmin(admin);
      if (admin) {
        info.setUniversalRights(dev.loralab.api.v3.Rights.newBuilder().addRights(Right.RIGHT_ALL));
      }
      return info.build();
    });
  }

  /** One API key of an entity, without secret. */
  public APIKey getApiKey(Caller caller, EntityIdentifiers owner, String keyId) {
    return translate(() -> {
      require(caller, owner, apiKeysRight(owner));
      return apiKeys.get(owner, keyId).orElseThrow(
          () -> new EntityNotFoundException(EntityKeys.of(owner) + " API key " + keyId));
    });
  }

  /** Replaces name, rights and expiry of an API key (the caller must have the rights). */
  public APIKey updateApiKey(Caller caller, EntityIdentifiers owner, String keyId, APIKey patch) {
    return translate(() -> {
      requireGrantable(caller, owner, patch.getRightsList());
      APIKey updated = apiKeys.update(owner, keyId, patch.getName(), patch.getRightsList(),
          expiry(patch.getExpiresAt(), patch.hasExpiresAt()));
      events.publish(kind(owner) + ".api-key.update", owner, updated);
      return updated;
    });
  }

  /** Deletes an API key; it stops working immediately. */
  public void deleteApiKey(Caller caller, EntityIdentifiers owner, String keyId) {
    translate(() -> {
      require(caller, owner, apiKeysRight(owner));
      if (!apiKeys.delete(owner, keyId)) {
        throw new EntityNotFoundException(EntityKeys.of(owner) + " API key " + keyId);
      }
      events.publish(kind(owner) + ".api-key.delete", owner,
          APIKey.newBuilder().setId(keyId).build());
      return null;
    });
  }

  // ---- applications --------------------------------------------------------------------------

  /** Creates an application owned by the collaborator user (RIGHT_USER_APPLICATIONS_CREATE). */
  public Application createApplication(Caller caller, CreateApplicationRequest request) {
    return translate(() -> {
      UserIdentifiers owner = collaboratorUser(request.getCollaborator(), "collaborator");
      require(caller, EntityKeys.entity(owner), Right.RIGHT_USER_APPLICATIONS_CREATE);
      Application created = applications.create(request.getApplication(), owner);
      events.publish("application.create", EntityKeys.entity(created.getIds()), null);
      return created;
    });
  }

  /** An application (RIGHT_APPLICATION_INFO), projected to the field mask if one is given. */
  public Application getApplication(Caller caller, ApplicationIdentifiers ids, FieldMask mask) {
    return translate(() -> {
      List<String> paths = FieldMasks.validate(Application.getDescriptor(), maskPaths(mask));
      require(caller, EntityKeys.entity(ids), Right.RIGHT_APPLICATION_INFO);
      Application a = applications.get(ids.getApplicationId())
          .orElseThrow(() -> new EntityNotFoundException("application:" + ids.getApplicationId()));
      return FieldMasks.project(a, paths);
    });
  }

  /**
   * Applications: those of a collaborator user (RIGHT_USER_APPLICATIONS_LIST) or, without one,
   * every application the caller has RIGHT_APPLICATION_INFO on.
   */
  public Page<Application> listApplications(Caller caller, OrganizationOrUserIdentifiers collaborator,
      FieldMask mask, int limit, int page) {
    return translate(() -> {
      List<String> paths = FieldMasks.validate(Application.getDescriptor(), maskPaths(mask));
      List<Application> all;
      if (collaborator != null
          && collaborator.getIdsCase() != OrganizationOrUserIdentifiers.IdsCase.IDS_NOT_SET) {
        UserIdentifiers user = collaboratorUser(collaborator, "collaborator");
        require(caller, EntityKeys.entity(user), Right.RIGHT_USER_APPLICATIONS_LIST);
        all = applications.listOwnedBy(user);
      } else {
        all = new ArrayList<>();
        for (Application a : applications.list()) {
          if (access.rightsOn(caller, EntityKeys.entity(a.getIds()))
              .includes(Right.RIGHT_APPLICATION_INFO)) {
            all.add(a);
          }
        }
      }
      Page<Application> p = page(all, limit, page);
      List<Application> out = new ArrayList<>();
      for (Application a : p.items()) {
        out.add(FieldMasks.project(a, paths));
      }
      return new Page<>(out, p.total());
    });
  }

  /**
   * Updates the fields of the mask (or, without mask, the top-level fields present in the
   * request) of an application (RIGHT_APPLICATION_SETTINGS_BASIC).
   */
  public Application updateApplication(Caller caller, Application patch, FieldMask mask) {
    return translate(() -> {
      ApplicationIdentifiers ids = patch.getIds();
      EntityValidation.id("application.ids.application_id", ids.getApplicationId());
      List<String> paths = FieldMasks.validate(Application.getDescriptor(), maskPaths(mask));
      if (paths.isEmpty()) {
        paths = FieldMasks.presentTopLevel(patch);
      }
      rejectIdPaths(paths, "applications", List.of());
      require(caller, EntityKeys.entity(ids), Right.RIGHT_APPLICATION_SETTINGS_BASIC);
      List<String> finalPaths = paths;
      Application updated = applications.update(ids.getApplicationId(),
          existing -> FieldMasks.merge(existing, patch, finalPaths));
      events.publish("application.update", EntityKeys.entity(ids),
          FieldMask.newBuilder().addAllPaths(paths).build());
      return updated;
    });
  }

  /** Deletes an application, its devices and its API keys (RIGHT_APPLICATION_DELETE). */
  public void deleteApplication(Caller caller, ApplicationIdentifiers ids) {
    translate(() -> {
      require(caller, EntityKeys.entity(ids), Right.RIGHT_APPLICATION_DELETE);
      if (!applications.delete(ids.getApplicationId())) {
        throw new EntityNotFoundException("application:" + ids.getApplicationId());
      }
      events.publish("application.delete", EntityKeys.entity(ids), null);
      return null;
    });
  }

  // ---- gateways ------------------------------------------------------------------------------

  /** Creates a gateway owned by the collaborator user (RIGHT_USER_GATEWAYS_CREATE). */
  public Gateway createGateway(Caller caller, CreateGatewayRequest request) {
    return translate(() -> {
      UserIdentifiers owner = collaboratorUser(request.getCollaborator(), "collaborator");
      require(caller, EntityKeys.entity(owner), Right.RIGHT_USER_GATEWAYS_CREATE);
      Gateway created = gateways.create(request.getGateway(), owner);
      events.publish("gateway.create", EntityKeys.entity(created.getIds()), null);
      return created;
    });
  }

  /** A gateway (RIGHT_GATEWAY_INFO), projected to the field mask if one is given. */
  public Gateway getGateway(Caller caller, GatewayIdentifiers ids, FieldMask mask) {
    return translate(() -> {
      List<String> paths = FieldMasks.validate(Gateway.getDescriptor(), maskPaths(mask));
      require(caller, gatewayEntity(ids), Right.RIGHT_GATEWAY_INFO);
      Gateway g = gateways.get(ids.getGatewayId())
          .orElseThrow(() -> new EntityNotFoundException("gateway:" + ids.getGatewayId()));
      return FieldMasks.project(g, paths);
    });
  }

  private static EntityIdentifiers gatewayEntity(GatewayIdentifiers ids) {
    return EntityKeys.gateway(ids.getGatewayId());
  }

  /**
   * Gateways: those of a collaborator user (RIGHT_USER_GATEWAYS_LIST) or, without one, every
   * gateway the caller has RIGHT_GATEWAY_INFO on.
   */
  public Page<Gateway> listGateways(Caller caller, OrganizationOrUserIdentifiers collaborator,
      FieldMask mask, int limit, int page) {
    return translate(() -> {
      List<String> paths = FieldMasks.validate(Gateway.getDescriptor(), maskPaths(mask));
      List<Gateway> all;
      if (collaborator != null
          && collaborator.getIdsCase() != OrganizationOrUserIdentifiers.IdsCase.IDS_NOT_SET) {
        UserIdentifiers user = collaboratorUser(collaborator, "collaborator");
        require(caller, EntityKeys.entity(user), Right.RIGHT_USER_GATEWAYS_LIST);
        all = gateways.listOwnedBy(user);
      } else {
        all = new ArrayList<>();
        for (Gateway g : gateways.list()) {
          if (access.rightsOn(caller, gatewayEntity(g.getIds())).includes(Right.RIGHT_GATEWAY_INFO)) {
            all.add(g);
          }
        }
      }
      Page<Gateway> p = page(all, limit, page);
      List<Gateway> out = new ArrayList<>();
      for (Gateway g : p.items()) {
        out.add(FieldMasks.project(g, paths));
      }
      return new Page<>(out, p.total());
    });
  }

  /** Updates a gateway (RIGHT_GATEWAY_SETTINGS_BASIC); {@code ids.eui} may change. */
  public Gateway updateGateway(Caller caller, Gateway patch, FieldMask mask) {
    return translate(() -> {
      GatewayIdentifiers ids = patch.getIds();
      EntityValidation.id("gateway.ids.gateway_id", ids.getGatewayId());
      List<String> paths = FieldMasks.validate(Gateway.getDescriptor(), maskPaths(mask));
      if (paths.isEmpty()) {
        paths = FieldMasks.presentTopLevel(patch);
      }
      rejectIdPaths(paths, "gateways", List.of("ids.eui"));
      require(caller, gatewayEntity(ids), Right.RIGHT_GATEWAY_SETTINGS_BASIC);
      List<String> finalPaths = paths;
      Gateway updated = gateways.update(ids.getGatewayId(),
          existing -> FieldMasks.merge(existing, patch, finalPaths));
      events.publish("gateway.update", gatewayEntity(ids),
          FieldMask.newBuilder().addAllPaths(paths).build());
      return updated;
    });
  }

  /** Deletes a gateway and its API keys (RIGHT_GATEWAY_DELETE). */
  public void deleteGateway(Caller caller, GatewayIdentifiers ids) {
    translate(() -> {
      require(caller, gatewayEntity(ids), Right.RIGHT_GATEWAY_DELETE);
      if (!gateways.delete(ids.getGatewayId())) {
        throw new EntityNotFoundException("gateway:" + ids.getGatewayId());
      }
      events.publish("gateway.delete", gatewayEntity(ids), null);
      return null;
    });
  }

  // ---- end devices ---------------------------------------------------------------------------

  private static EntityIdentifiers deviceEntity(EndDeviceIdentifiers ids) {
    return EntityKeys.device(ids.getApplicationIds().getApplicationId(), ids.getDeviceId());
  }

  private EndDevice visible(RightSet rights, EndDevice d) {
    return rights.includes(Right.RIGHT_APPLICATION_DEVICES_READ_KEYS)
        ? d : FieldMasks.withoutSecrets(d);
  }

  /**
   * Creates a whole end device (RIGHT_APPLICATION_DEVICES_WRITE, plus _WRITE_KEYS when it carries
   * keys). The answer carries secrets only if the caller has RIGHT_APPLICATION_DEVICES_READ_KEYS.
   */
  public EndDevice createEndDevice(Caller caller, CreateEndDeviceRequest request) {
    return translate(() -> {
      EndDevice d = request.getEndDevice();
      EndDeviceIdentifiers ids = d.getIds();
      EntityValidation.id("end_device.ids.application_ids.application_id",
          ids.getApplicationIds().getApplicationId());
      EntityValidation.id("end_device.ids.device_id", ids.getDeviceId());
      RightSet rights = require(caller, deviceEntity(ids), Right.RIGHT_APPLICATION_DEVICES_WRITE);
      if (FieldMasks.hasDeviceSecrets(d)) {
        require(caller, deviceEntity(ids), Right.RIGHT_APPLICATION_DEVICES_WRITE_KEYS);
      }
      EndDevice created = devices.create(d);
      events.publish("end_device.create", EntityKeys.entity(created.getIds()), null);
      return visible(rights, created);
    });
  }

  /**
   * An end device (RIGHT_APPLICATION_DEVICES_READ). Without a field mask, every field but the
   * secrets; secrets only when the mask selects them and the caller has
   * RIGHT_APPLICATION_DEVICES_READ_KEYS (otherwise 403).
   */
  public EndDevice getEndDevice(Caller caller, EndDeviceIdentifiers ids, FieldMask mask) {
    return translate(() -> {
      List<String> paths = FieldMasks.validate(EndDevice.getDescriptor(), maskPaths(mask));
      require(caller, deviceEntity(ids), Right.RIGHT_APPLICATION_DEVICES_READ);
      boolean secrets = FieldMasks.selectsDeviceSecrets(paths);
      if (secrets) {
        require(caller, deviceEntity(ids), Right.RIGHT_APPLICATION_DEVICES_READ_KEYS);
      }
      EndDevice d = devices.get(ids).orElseThrow(() ->
          new EntityNotFoundException(EntityKeys.of(deviceEntity(ids))));
      EndDevice projected = FieldMasks.project(d, paths);
      return secrets ? projected : FieldMasks.withoutSecrets(projected);
    });
  }

  /** The devices of an application (RIGHT_APPLICATION_DEVICES_READ); never with secrets. */
  public Page<EndDevice> listEndDevices(Caller caller, ApplicationIdentifiers app, FieldMask mask,
      int limit, int page) {
    return translate(() -> {
      List<String> paths = FieldMasks.validate(EndDevice.getDescriptor(), maskPaths(mask));
      require(caller, EntityKeys.entity(app), Right.RIGHT_APPLICATION_DEVICES_READ);
      if (applications.get(app.getApplicationId()).isEmpty()) {
        throw new EntityNotFoundException("application:" + app.getApplicationId());
      }
      Page<EndDevice> p = page(devices.list(app.getApplicationId()), limit, page);
      List<EndDevice> out = new ArrayList<>();
      for (EndDevice d : p.items()) {
        out.add(FieldMasks.withoutSecrets(FieldMasks.project(d, paths)));
      }
      return new Page<>(out, p.total());
    });
  }

  /**
   * Updates the fields of the mask (or the top-level fields present) of a device
   * (RIGHT_APPLICATION_DEVICES_WRITE, plus _WRITE_KEYS for keys). {@code ids.dev_eui} and
   * {@code ids.join_eui} may change; the result is validated as a whole.
   */
  public EndDevice updateEndDevice(Caller caller, EndDevice patch, FieldMask mask) {
    return translate(() -> {
      EndDeviceIdentifiers ids = patch.getIds();
      EntityValidation.id("end_device.ids.application_ids.application_id",
          ids.getApplicationIds().getApplicationId());
      EntityValidation.id("end_device.ids.device_id", ids.getDeviceId());
      List<String> paths = FieldMasks.validate(EndDevice.getDescriptor(), maskPaths(mask));
      if (paths.isEmpty()) {
        paths = FieldMasks.presentTopLevel(patch);
      }
      rejectIdPaths(paths, "end devices", List.of("ids.dev_eui", "ids.join_eui"));
      RightSet rights = require(caller, deviceEntity(ids), Right.RIGHT_APPLICATION_DEVICES_WRITE);
      if (FieldMasks.selectsDeviceSecrets(paths)) {
        require(caller, deviceEntity(ids), Right.RIGHT_APPLICATION_DEVICES_WRITE_KEYS);
      }
      List<String> finalPaths = paths;
      EndDevice updated = devices.update(ids,
          existing -> validation.endDevice(FieldMasks.merge(existing, patch, finalPaths)),
          Durability.DURABLE);
      events.publish("end_device.update", EntityKeys.entity(updated.getIds()),
          FieldMask.newBuilder().addAllPaths(paths).build());
      return visible(rights, updated);
    });
  }

  /** Deletes a device (RIGHT_APPLICATION_DEVICES_WRITE). */
  public void deleteEndDevice(Caller caller, EndDeviceIdentifiers ids) {
    translate(() -> {
      require(caller, deviceEntity(ids), Right.RIGHT_APPLICATION_DEVICES_WRITE);
      if (!devices.delete(ids)) {
        throw new EntityNotFoundException(EntityKeys.of(deviceEntity(ids)));
      }
      events.publish("end_device.delete", deviceEntity(ids), null);
      return null;
    });
  }
}
