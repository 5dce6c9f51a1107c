package dev.loralab.identityserver.internal;

import dev.loralab.identityserver.store.Namespace;

/** The namespaces (column families) used by the identity server. */
public final class Namespaces {
  /** {@code <entity-key>/<key-id>} to {@code APIKey} (with the stored hash in {@code key}). */
  public static final Namespace API_KEYS = Namespace.of("api_keys");
  /** {@code <key-id>} to the owner's {@code EntityIdentifiers}. */
  public static final Namespace API_KEY_OWNERS = Namespace.of("api_key_owners");
  /** {@code <entity-key>} to the owning user's {@code EntityIdentifiers}. */
  public static final Namespace OWNERS = Namespace.of("owners");
  /** {@code <owner-key>/<entity-key>} to empty: what each user owns. */
  public static final Namespace OWNED = Namespace.of("owned");
  /** {@code <user-id>} to {@code User}. */
  public static final Namespace USERS = Namespace.of("users");
  /** {@code <application-id>} to {@code Application}. */
  public static final Namespace APPLICATIONS = Namespace.of("applications");
  /** {@code <gateway-id>} to {@code Gateway}. */
  public static final Namespace GATEWAYS = Namespace.of("gateways");
  /** {@code <EUI>} to gateway ID (unique EUI index). */
  public static final Namespace GATEWAY_EUIS = Namespace.of("gateway_euis");
  /** {@code <application-id>/<device-id>} to {@code EndDevice}. */
  public static final Namespace END_DEVICES = Namespace.of("end_devices");
  /** {@code <JoinEUI>/<DevEUI>} to {@code <application-id>/<device-id>}. */
  public static final Namespace END_DEVICE_EUIS = Namespace.of("end_device_euis");
  /** {@code <DevAddr>/<application-id>/<device-id>} to empty (session and pending session). */
  public static final Namespace END_DEVICE_ADDRS = Namespace.of("end_device_addrs");

  private Namespaces() {}
}
