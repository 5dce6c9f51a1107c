package dev.loralab.simulator.device;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.crypto.SessionKeys11;
import java.util.Optional;

/**
 * Who a simulated device is and its keys.
 *
 * @param name a readable name, e.g. {@code sensors-007}
 * @param devEui DevEUI
 * @param joinEui JoinEUI (AppEUI in 1.0.x)
 * @param appKey AppKey
 * @param nwkKey NwkKey (1.1; equal to the AppKey for 1.0.x devices)
 * @param macVersion LoRaWAN version
 * @param activation OTAA or ABP
 * @param abpDevAddr ABP only: the DevAddr
 * @param abpKeys ABP only: the session keys (1.0.x: the NwkSKey in the three network keys)
 */
public record DeviceIdentity(String name, Eui64 devEui, Eui64 joinEui, AesKey appKey, AesKey nwkKey,
    MacVersion macVersion, Activation activation, Optional<DevAddr> abpDevAddr, Optional<SessionKeys11> abpKeys) {

  /** Validates that ABP devices have a session and all have keys. */
  public DeviceIdentity {
    if (name == null || devEui == null || joinEui == null || appKey == null || nwkKey == null
        || macVersion == null || activation == null || abpDevAddr == null || abpKeys == null) {
      throw new IllegalArgumentException("device identity: all fields expected");
    }
    if (activation == Activation.ABP && (abpDevAddr.isEmpty() || abpKeys.isEmpty())) {
      throw new IllegalArgumentException("device " + name + ": ABP needs a DevAddr and session keys");
    }
  }
}
