package dev.loralab.joinserver;

import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.crypto.SessionKeys11;
import java.time.Instant;

/**
 * The session keys issued by one join, kept by the Join Server so that the Application Server can
 * fetch the AppSKey later. {@code toString()} never reveals key material.
 *
 * @param id the session key ID returned to the Network Server
 * @param joinEui the device's JoinEUI
 * @param devEui the device's DevEUI
 * @param keys the session keys; for a LoRaWAN 1.0.x session (or 1.1 with OptNeg=0) the three
 *     network keys are the NwkSKey ({@link dev.loralab.lorawan.crypto.SessionKeys10#asLegacy11()})
 * @param optNeg true if the keys were derived the LoRaWAN 1.1 way (OptNeg=1)
 * @param createdAt when the join-accept was built
 */
public record JoinSession(SessionKeyId id, Eui64 joinEui, Eui64 devEui, SessionKeys11 keys,
    boolean optNeg, Instant createdAt) {

  /** Rejects nulls. */
  public JoinSession {
    if (id == null || joinEui == null || devEui == null || keys == null || createdAt == null) {
      throw new JoinServerException("JoinSession",
          "id, JoinEUI, DevEUI, keys and creation time", "a null field");
    }
  }
}
