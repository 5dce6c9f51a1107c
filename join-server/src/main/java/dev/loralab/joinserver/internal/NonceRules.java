package dev.loralab.joinserver.internal;

import dev.loralab.joinserver.DeviceNonces;
import dev.loralab.joinserver.JoinRejectReason;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.MacVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DevNonce acceptance and JoinNonce allocation. Pure functions.
 *
 * <ul>
 *   <li>LoRaWAN 1.0.0–1.0.3: the DevNonce is random; a value the device used before is refused
 *       (1.0.2 §6.2.4). The history is bounded; the oldest values are forgotten first.
 *   <li>LoRaWAN 1.0.4 and 1.1: the DevNonce is a counter; it must be greater than the last
 *       accepted one (1.1 §6.2.2; 1.0.4 §6.2.5).
 *   <li>JoinNonce: a per-device counter starting at 1, incremented on every accept; it never
 *       wraps (1.1 §6.2.3).
 * </ul>
 */
public final class NonceRules {

  /** Largest JoinNonce (24 bits). */
  public static final int MAX_JOIN_NONCE = 0xFFFFFF;

  private NonceRules() {}

  /** True if {@code version} uses a DevNonce counter (LoRaWAN 1.0.4 and later). */
  public static boolean devNonceIsCounter(MacVersion version) {
    return version.atLeast(MacVersion.V1_0_4);
  }

  /**
   * The nonce state after accepting {@code devNonce}: its JoinNonce is the one to send.
   *
   * @param version the device's LoRaWAN version
   * @param historySize DevNonces kept for 1.0.0–1.0.3 devices
   * @throws JoinRejection DEV_NONCE_REUSED, DEV_NONCE_TOO_SMALL or JOIN_NONCE_EXHAUSTED
   */
  public static DeviceNonces accept(MacVersion version, DevNonce devNonce, DeviceNonces current,
      int historySize) {
    List<DevNonce> used;
    if (devNonceIsCounter(version)) {
      Optional<DevNonce> last = current.lastDevNonce();
      if (last.isPresent() && devNonce.value() <= last.get().value()) {
        throw new JoinRejection(JoinRejectReason.DEV_NONCE_TOO_SMALL, "DevNonce",
            "greater than the last accepted DevNonce " + last.get() + " (LoRaWAN " + version
                + " DevNonce is a counter)", devNonce.toString());
      }
      used = List.of();
    } else {
      if (current.usedDevNonces().contains(devNonce)
          || current.lastDevNonce().filter(devNonce::equals).isPresent()) {
        throw new JoinRejection(JoinRejectReason.DEV_NONCE_REUSED, "DevNonce",
            "a DevNonce not used before by this device (LoRaWAN " + version + ")",
            devNonce + ", already used");
      }
      List<DevNonce> l = new ArrayList<>(current.usedDevNonces());
      l.add(devNonce);
      int excess = l.size() - historySize;
      used = excess > 0 ? l.subList(excess, l.size()) : l;
    }
    int lastJoinNonce = current.lastJoinNonce().value();
    if (lastJoinNonce >= MAX_JOIN_NONCE) {
      throw new JoinRejection(JoinRejectReason.JOIN_NONCE_EXHAUSTED, "JoinNonce",
          "a last JoinNonce below " + new JoinNonce(MAX_JOIN_NONCE), current.lastJoinNonce()
              .toString());
    }
    return new DeviceNonces(new JoinNonce(lastJoinNonce + 1), Optional.of(devNonce), used);
  }
}
