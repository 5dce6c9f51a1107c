package dev.loralab.joinserver;

import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.JoinNonce;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * The join state the Join Server keeps per device: the last JoinNonce it issued, the last DevNonce
 * it accepted and, for LoRaWAN 1.0.0–1.0.3 devices (random DevNonces), the DevNonces already used.
 * Stored durably before a join-accept is returned (LoRaWAN 1.1 §6.2.2, §6.2.3).
 *
 * @param lastJoinNonce the last JoinNonce issued; 0 if the device never joined (the first
 *     join-accept carries JoinNonce 1)
 * @param lastDevNonce the DevNonce of the last accepted join-request; empty if none
 * @param usedDevNonces accepted DevNonces, oldest first, without duplicates (bounded by
 *     {@link JoinServerConfig#devNonceHistorySize()})
 */
public record DeviceNonces(JoinNonce lastJoinNonce, Optional<DevNonce> lastDevNonce,
    List<DevNonce> usedDevNonces) {

  private static final DeviceNonces INITIAL =
      new DeviceNonces(new JoinNonce(0), Optional.empty(), List.of());

  /** Validates and copies the list. */
  public DeviceNonces {
    if (lastJoinNonce == null) {
      throw new JoinServerException("last_join_nonce", "a JoinNonce", "null");
    }
    if (lastDevNonce == null) {
      throw new JoinServerException("last_dev_nonce", "an optional DevNonce", "null");
    }
    if (usedDevNonces == null) {
      throw new JoinServerException("used_dev_nonces", "a list", "null");
    }
    usedDevNonces = List.copyOf(usedDevNonces);
    if (new HashSet<>(usedDevNonces).size() != usedDevNonces.size()) {
      throw new JoinServerException("used_dev_nonces", "distinct DevNonces", "a duplicate");
    }
  }

  /** The state of a device that never joined. */
  public static DeviceNonces initial() {
    return INITIAL;
  }

  /** True if the device never completed a join with this Join Server. */
  public boolean neverJoined() {
    return lastJoinNonce.value() == 0 && lastDevNonce.isEmpty();
  }
}
