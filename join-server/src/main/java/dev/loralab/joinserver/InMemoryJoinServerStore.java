package dev.loralab.joinserver;

import dev.loralab.lorawan.Eui64;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link JoinServerStore} in memory, for tests and demos: nothing survives the process, but
 * several {@link JoinServer} instances on one store behave like restarts. Each device keeps its
 * most recent sessions only (older session keys are forgotten).
 *
 * <p>Updates of one device are atomic ({@link ConcurrentHashMap#compute}); different devices
 * never contend.
 */
public final class InMemoryJoinServerStore implements JoinServerStore {

  /** Default number of sessions kept per device (the current one and the previous one). */
  public static final int DEFAULT_SESSIONS_PER_DEVICE = 2;

  private record DeviceKey(Eui64 joinEui, Eui64 devEui) {}

  private static final class Entry {
    final JoinDevice device;
    final Deque<SessionKeyId> sessions;

    Entry(JoinDevice device, Deque<SessionKeyId> sessions) {
      this.device = device;
      this.sessions = sessions;
    }
  }

  private final ConcurrentHashMap<DeviceKey, Entry> devices = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<SessionKeyId, JoinSession> sessions = new ConcurrentHashMap<>();
  private final int sessionsPerDevice;

  /** A store keeping {@value #DEFAULT_SESSIONS_PER_DEVICE} sessions per device. */
  public InMemoryJoinServerStore() {
    this(DEFAULT_SESSIONS_PER_DEVICE);
  }

  /** @param sessionsPerDevice sessions kept per device, at least 1 */
  public InMemoryJoinServerStore(int sessionsPerDevice) {
    if (sessionsPerDevice < 1) {
      throw new JoinServerException("sessionsPerDevice", "at least 1",
          Integer.toString(sessionsPerDevice));
    }
    this.sessionsPerDevice = sessionsPerDevice;
  }

  /** Adds or replaces a device (keeping no sessions of a replaced one). */
  public InMemoryJoinServerStore put(JoinDevice device) {
    if (device == null) {
      throw new JoinServerException("device", "a JoinDevice", "null");
    }
    Entry old = devices.put(new DeviceKey(device.joinEui(), device.devEui()),
        new Entry(device, new ArrayDeque<>()));
    if (old != null) {
      synchronized (old.sessions) {
        old.sessions.forEach(sessions::remove);
      }
    }
    return this;
  }

  /** Removes a device and its sessions. */
  public void remove(Eui64 joinEui, Eui64 devEui) {
    Entry old = devices.remove(new DeviceKey(joinEui, devEui));
    if (old != null) {
      synchronized (old.sessions) {
        old.sessions.forEach(sessions::remove);
      }
    }
  }

  @Override
  public Optional<JoinDevice> device(Eui64 joinEui, Eui64 devEui) {
    Entry e = devices.get(new DeviceKey(joinEui, devEui));
    return e == null ? Optional.empty() : Optional.of(e.device);
  }

  @Override
  public boolean commitJoin(JoinCommit commit) {
    boolean[] stored = {false};
    devices.computeIfPresent(new DeviceKey(commit.joinEui(), commit.devEui()), (k, e) -> {
      if (!e.device.nonces().equals(commit.expected())
          || sessions.containsKey(commit.session().id())) {
        return e;
      }
      stored[0] = true;
      JoinSession s = commit.session();
      sessions.put(s.id(), s);
      synchronized (e.sessions) {
        e.sessions.addLast(s.id());
        while (e.sessions.size() > sessionsPerDevice) {
          sessions.remove(e.sessions.removeFirst());
        }
      }
      return new Entry(e.device.withNonces(commit.updated()), e.sessions);
    });
    return stored[0];
  }

  @Override
  public Optional<JoinSession> session(SessionKeyId id) {
    return Optional.ofNullable(sessions.get(id));
  }
}
