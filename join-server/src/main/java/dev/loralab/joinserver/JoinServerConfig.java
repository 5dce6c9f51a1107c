package dev.loralab.joinserver;

import dev.loralab.lorawan.Eui64;
import java.time.Duration;
import java.util.Set;

/**
 * Configuration of the {@link JoinServer}.
 *
 * @param joinEuis the JoinEUIs served; empty means any
 * @param devNonceHistorySize DevNonces remembered per LoRaWAN 1.0.0–1.0.3 device (random
 *     DevNonces, LoRaWAN 1.0.2 §6.2.4 "a certain number"); the oldest are forgotten first
 * @param maxPendingJoinsPerDevice join-requests of one device queued at most; more are refused
 * @param sessionKeyLifetime the {@code lifetime} returned with the session keys; zero means not set
 */
public record JoinServerConfig(Set<Eui64> joinEuis, int devNonceHistorySize,
    int maxPendingJoinsPerDevice, Duration sessionKeyLifetime) {

  /** Default {@link #devNonceHistorySize()}. */
  public static final int DEFAULT_DEV_NONCE_HISTORY_SIZE = 1024;
  /** Default {@link #maxPendingJoinsPerDevice()}. */
  public static final int DEFAULT_MAX_PENDING_JOINS_PER_DEVICE = 16;

  /** Validates the values and copies the set. */
  public JoinServerConfig {
    if (joinEuis == null) {
      throw new JoinServerException("joinEuis", "a set (empty for any)", "null");
    }
    joinEuis = Set.copyOf(joinEuis);
    if (devNonceHistorySize < 1) {
      throw new JoinServerException("devNonceHistorySize", "at least 1",
          Integer.toString(devNonceHistorySize));
    }
    if (maxPendingJoinsPerDevice < 1) {
      throw new JoinServerException("maxPendingJoinsPerDevice", "at least 1",
          Integer.toString(maxPendingJoinsPerDevice));
    }
    if (sessionKeyLifetime == null || sessionKeyLifetime.isNegative()) {
      throw new JoinServerException("sessionKeyLifetime", "zero or a positive duration",
          String.valueOf(sessionKeyLifetime));
    }
  }

  /** Any JoinEUI, default limits, no lifetime. */
  public static JoinServerConfig defaults() {
    return new JoinServerConfig(Set.of(), DEFAULT_DEV_NONCE_HISTORY_SIZE,
        DEFAULT_MAX_PENDING_JOINS_PER_DEVICE, Duration.ZERO);
  }

  /** This configuration serving only the given JoinEUIs (none: any). */
  public JoinServerConfig withJoinEuis(Set<Eui64> euis) {
    return new JoinServerConfig(euis, devNonceHistorySize, maxPendingJoinsPerDevice,
        sessionKeyLifetime);
  }

  /** This configuration with another DevNonce history size. */
  public JoinServerConfig withDevNonceHistorySize(int size) {
    return new JoinServerConfig(joinEuis, size, maxPendingJoinsPerDevice, sessionKeyLifetime);
  }

  /** This configuration with another pending-join bound. */
  public JoinServerConfig withMaxPendingJoinsPerDevice(int max) {
    return new JoinServerConfig(joinEuis, devNonceHistorySize, max, sessionKeyLifetime);
  }

  /** This configuration with another session key lifetime. */
  public JoinServerConfig withSessionKeyLifetime(Duration lifetime) {
    return new JoinServerConfig(joinEuis, devNonceHistorySize, maxPendingJoinsPerDevice,
        lifetime);
  }

  /** True if this Join Server serves {@code joinEui}. */
  public boolean serves(Eui64 joinEui) {
    return joinEuis.isEmpty() || joinEuis.contains(joinEui);
  }
}
