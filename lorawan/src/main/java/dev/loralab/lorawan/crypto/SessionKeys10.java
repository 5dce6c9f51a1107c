package dev.loralab.lorawan.crypto;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.LoRaWanException;

/**
 * LoRaWAN 1.0.x session keys (1.0.2 §6.2.5). {@code toString()} never reveals key material.
 *
 * @param nwkSKey network session key: MIC, FOpts-free FPort-0 encryption
 * @param appSKey application session key
 */
public record SessionKeys10(AesKey nwkSKey, AesKey appSKey) {

  /** Rejects null keys. */
  public SessionKeys10 {
    if (nwkSKey == null || appSKey == null) {
      throw new LoRaWanException("SessionKeys10", "NwkSKey and AppSKey", "a null key");
    }
  }

  /**
   * The 1.1 key set of a 1.1 device on a 1.0 network (OptNeg=0, LoRaWAN 1.1 §6.2.3):
   * FNwkSIntKey = SNwkSIntKey = NwkSEncKey = NwkSKey.
   */
  public SessionKeys11 asLegacy11() {
    return new SessionKeys11(nwkSKey, nwkSKey, nwkSKey, appSKey);
  }
}
