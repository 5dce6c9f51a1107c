package dev.loralab.lorawan.crypto;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.LoRaWanException;

/**
 * LoRaWAN 1.1 session keys (§6.1.2). {@code toString()} never reveals key material.
 *
 * @param fNwkSIntKey forwarding network session integrity key (half of the uplink MIC)
 * @param sNwkSIntKey serving network session integrity key (other half; downlink MIC)
 * @param nwkSEncKey network session encryption key (FOpts and FPort-0 FRMPayload)
 * @param appSKey application session key
 */
public record SessionKeys11(AesKey fNwkSIntKey, AesKey sNwkSIntKey, AesKey nwkSEncKey,
    AesKey appSKey) {

  /** Rejects null keys. */
  public SessionKeys11 {
    if (fNwkSIntKey == null || sNwkSIntKey == null || nwkSEncKey == null || appSKey == null) {
      throw new LoRaWanException("SessionKeys11",
          "FNwkSIntKey, SNwkSIntKey, NwkSEncKey and AppSKey", "a null key");
    }
  }
}
