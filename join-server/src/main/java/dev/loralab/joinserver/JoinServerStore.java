package dev.loralab.joinserver;

import dev.loralab.lorawan.Eui64;
import java.util.Optional;

/**
 * The Join Server's view of durable storage: devices with root keys and nonce state, and the
 * session keys it issued. Implementations may block (disk I/O); the Join Server only calls them
 * from its executor, never from an event loop, and serializes calls per device.
 *
 * <p>Implementations must make {@link #commitJoin} atomic and durable: when it returns
 * {@code true}, the new nonce state and the session survive a restart.
 */
public interface JoinServerStore {

  /**
   * The device with this JoinEUI and DevEUI, with its current nonce state.
   *
   * @throws JoinServerException if the stored record is malformed (e.g. a key of the wrong length)
   */
  Optional<JoinDevice> device(Eui64 joinEui, Eui64 devEui);

  /**
   * Atomically replaces the device's nonce state with {@code commit.updated()} and stores
   * {@code commit.session()}, if and only if the stored nonce state still equals
   * {@code commit.expected()} (compare-and-set, so that two Join Server processes on one store
   * never issue the same JoinNonce).
   *
   * @return true if stored; false if the device is gone, its nonce state changed meanwhile or
   *     the session key ID is taken
   */
  boolean commitJoin(JoinCommit commit);

  /** The session with this ID, if it is still stored. */
  Optional<JoinSession> session(SessionKeyId id);

  /**
   * What {@link #commitJoin} writes.
   *
   * @param joinEui the device's JoinEUI
   * @param devEui the device's DevEUI
   * @param expected the nonce state the Join Server read
   * @param updated the nonce state after this join
   * @param session the session keys of this join
   */
  record JoinCommit(Eui64 joinEui, Eui64 devEui, DeviceNonces expected, DeviceNonces updated,
      JoinSession session) {

    /** Rejects nulls. */
    public JoinCommit {
      if (joinEui == null || devEui == null || expected == null || updated == null
          || session == null) {
        throw new JoinServerException("JoinCommit",
            "JoinEUI, DevEUI, expected and updated nonces and a session", "a null field");
      }
    }
  }
}
