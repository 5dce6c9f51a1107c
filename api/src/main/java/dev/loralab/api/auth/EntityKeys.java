package dev.loralab.api.auth;

import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ClientIdentifiers;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.OrganizationIdentifiers;
import dev.loralab.api.v3.UserIdentifiers;

/**
 * Stable string keys for entity identifiers, shared by maps and stores across modules:
 * {@code application:<id>}, {@code gateway:<id>}, {@code device:<app-id>/<dev-id>},
 * {@code user:<id>}, {@code organization:<id>}, {@code client:<id>}.
 *
 * <p>Only the IDs take part (not EUIs or DevAddr), so a key is stable over a device's life.
 */
public final class EntityKeys {
  private EntityKeys() {}

  /**
   * The key of any entity.
   *
   * @throws IllegalArgumentException if no identifiers are set
   */
  public static String of(EntityIdentifiers ids) {
    return switch (ids.getIdsCase()) {
      case APPLICATION_IDS -> of(ids.getApplicationIds());
      case CLIENT_IDS -> of(ids.getClientIds());
      case DEVICE_IDS -> of(ids.getDeviceIds());
      case GATEWAY_IDS -> of(ids.getGatewayIds());
      case ORGANIZATION_IDS -> of(ids.getOrganizationIds());
      case USER_IDS -> of(ids.getUserIds());
      case IDS_NOT_SET -> throw new IllegalArgumentException("entity identifiers: ids not set");
    };
  }

  /** {@code application:<id>}. */
  public static String of(ApplicationIdentifiers ids) {
    return "application:" + ids.getApplicationId();
  }

  /** {@code gateway:<id>}. */
  public static String of(GatewayIdentifiers ids) {
    return "gateway:" + ids.getGatewayId();
  }

  /** {@code device:<app-id>/<dev-id>}. */
  public static String of(EndDeviceIdentifiers ids) {
    return "device:" + ids.getApplicationIds().getApplicationId() + "/" + ids.getDeviceId();
  }

  /** {@code user:<id>}. */
  public static String of(UserIdentifiers ids) {
    return "user:" + ids.getUserId();
  }

  /** {@code organization:<id>}. */
  public static String of(OrganizationIdentifiers ids) {
    return "organization:" + ids.getOrganizationId();
  }

  /** {@code client:<id>}. */
  public static String of(ClientIdentifiers ids) {
    return "client:" + ids.getClientId();
  }

  /**
   * The application of a device.
   *
   * @throws IllegalArgumentException if {@code device} does not identify an end device
   */
  public static EntityIdentifiers parent(EntityIdentifiers device) {
    if (device.getIdsCase() != EntityIdentifiers.IdsCase.DEVICE_IDS) {
      throw new IllegalArgumentException(
          "entity identifiers: expected device_ids, found " + device.getIdsCase());
    }
    return entity(device.getDeviceIds().getApplicationIds());
  }

  /** Wraps application identifiers. */
  public static EntityIdentifiers entity(ApplicationIdentifiers ids) {
    return EntityIdentifiers.newBuilder().setApplicationIds(ids).build();
  }

  /** Wraps gateway identifiers. */
  public static EntityIdentifiers entity(GatewayIdentifiers ids) {
    return EntityIdentifiers.newBuilder().setGatewayIds(ids).build();
  }

  /** Wraps end device identifiers. */
  public static EntityIdentifiers entity(EndDeviceIdentifiers ids) {
    return EntityIdentifiers.newBuilder().setDeviceIds(ids).build();
  }

  /** Wraps user identifiers. */
  public static EntityIdentifiers entity(UserIdentifiers ids) {
    return EntityIdentifiers.newBuilder().setUserIds(ids).build();
  }

  /** Wraps organization identifiers. */
  public static EntityIdentifiers entity(OrganizationIdentifiers ids) {
    return EntityIdentifiers.newBuilder().setOrganizationIds(ids).build();
  }

  /** Wraps client identifiers. */
  public static EntityIdentifiers entity(ClientIdentifiers ids) {
    return EntityIdentifiers.newBuilder().setClientIds(ids).build();
  }

  /** Application identifiers wrapped as an entity. */
  public static EntityIdentifiers application(String applicationId) {
    return entity(ApplicationIdentifiers.newBuilder().setApplicationId(applicationId).build());
  }

  /** Gateway identifiers wrapped as an entity. */
  public static EntityIdentifiers gateway(String gatewayId) {
    return entity(GatewayIdentifiers.newBuilder().setGatewayId(gatewayId).build());
  }

  /** User identifiers wrapped as an entity. */
  public static EntityIdentifiers user(String userId) {
    return entity(UserIdentifiers.newBuilder().setUserId(userId).build());
  }

  /** Organization identifiers wrapped as an entity. */
  public static EntityIdentifiers organization(String organizationId) {
    return entity(OrganizationIdentifiers.newBuilder().setOrganizationId(organizationId).build());
  }

  /** End device identifiers (IDs only) wrapped as an entity. */
  public static EntityIdentifiers device(String applicationId, String deviceId) {
    return entity(EndDeviceIdentifiers.newBuilder().setDeviceId(deviceId)
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId(applicationId))
        .build());
  }
}
