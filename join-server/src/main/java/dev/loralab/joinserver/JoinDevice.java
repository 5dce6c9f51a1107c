package dev.loralab.joinserver;

import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.MacVersion;
import java.util.Optional;

/**
 * What the Join Server knows of one OTAA device: its identifiers, its provisioned LoRaWAN
 * version, its root keys and its nonce state. {@code toString()} never reveals key material
 * ({@link AesKey#toString()} is redacted).
 *
 * @param ids the identifiers; {@code dev_eui} and {@code join_eui} are required
 * @param macVersion the LoRaWAN version the device implements
 * @param appKey the AppKey (1.0.x: the only root key; 1.1: application keys only)
 * @param nwkKey the NwkKey, required for LoRaWAN 1.1 devices, ignored otherwise
 * @param nonces the join state
 */
public record JoinDevice(EndDeviceIdentifiers ids, MacVersion macVersion, AesKey appKey,
    Optional<AesKey> nwkKey, DeviceNonces nonces) {

  /** Validates identifiers and keys. */
  public JoinDevice {
    if (ids == null) {
      throw new JoinServerException("ids", "end device identifiers", "null");
    }
    eui(ids.getDevEui(), "ids.dev_eui");
    eui(ids.getJoinEui(), "ids.join_eui");
    if (macVersion == null) {
      throw new JoinServerException("lorawan_version", "a MAC version", "null");
    }
    if (appKey == null) {
      throw new JoinServerException("root_keys.app_key", "an AES-128 key", "null");
    }
    if (nwkKey == null) {
      throw new JoinServerException("root_keys.nwk_key", "an optional AES-128 key", "null");
    }
    if (macVersion.is1_1() && nwkKey.isEmpty()) {
      throw new JoinServerException("root_keys.nwk_key", "a NwkKey for a LoRaWAN 1.1 device",
          "none");
    }
    if (nonces == null) {
      throw new JoinServerException("nonces", "the device's nonce state", "null");
    }
  }

  /** A device that never joined. */
  public static JoinDevice of(EndDeviceIdentifiers ids, MacVersion macVersion, AesKey appKey,
      Optional<AesKey> nwkKey) {
    return new JoinDevice(ids, macVersion, appKey, nwkKey, DeviceNonces.initial());
  }

  /** The DevEUI. */
  public Eui64 devEui() {
    return Eui64.parse(ids.getDevEui());
  }

  /** The JoinEUI (AppEUI in 1.0.x). */
  public Eui64 joinEui() {
    return Eui64.parse(ids.getJoinEui());
  }

  /** The same device with another nonce state. */
  public JoinDevice withNonces(DeviceNonces newNonces) {
    return new JoinDevice(ids, macVersion, appKey, nwkKey, newNonces);
  }

  private static void eui(String hex, String field) {
    try {
      Eui64.parse(hex);
    } catch (LoRaWanException e) {
      throw new JoinServerException(field, "16 hex digits", "\"" + hex + "\"");
    }
  }
}
