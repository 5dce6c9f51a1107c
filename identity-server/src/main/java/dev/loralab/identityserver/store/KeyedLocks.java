package dev.loralab.identityserver.store;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serializes read-modify-write sequences per key (for example per end device) without a broad
 * lock: two callers with different keys never wait for each other. A lock exists only while it is
 * held or awaited, so the map does not grow with the number of keys ever seen.
 *
 * <p>Blocking: a caller waits for other holders of the same key. Never use on a Netty event loop.
 */
public final class KeyedLocks {
  private static final class Slot {
    final ReentrantLock lock = new ReentrantLock();
    int users; // guarded by the map's per-bin lock (compute)
  }

  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

  /** Runs {@code body} while holding the lock of {@code key} and returns its result. */
  public <T> T withLock(String key, Supplier<T> body) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(body, "body");
    Slot slot = slots.compute(key, (k, s) -> {
      Slot out = s == null ? new Slot() : s;
      out.users++;
      return out;
    });
    slot.lock.lock();
    try {
      return body.get();
    } finally {
      slot.lock.unlock();
      slots.compute(key, (k, s) -> --s.users == 0 ? null : s);
    }
  }

  /** Runs {@code body} while holding the lock of {@code key}. */
  public void withLock(String key, Runnable body) {
    withLock(key, () -> {
      body.run();
      return null;
    });
  }

  /** The number of keys currently locked or awaited (for tests and metrics). */
  public int activeKeys() {
    return slots.size();
  }
}
