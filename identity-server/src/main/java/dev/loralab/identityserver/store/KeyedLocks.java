package dev.loralab.identityserver.store;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Serializes read-modify-write sequences per key (for example per end device) without a broad
 * lock: two callers with different keys never wait for each other. A lock exists only while it is
 * held or awaited, so the map does not grow with the number of keys ever seen.
 *
 * <p>A key is held exclusively ({@link #withLock}) or shared ({@link #withSharedLock}): shared
 * holders of a key run together and exclude the exclusive ones (for example, the devices of one
 * application are created concurrently while deleting the application waits for them all). Both
 * are reentrant; a thread holding a key exclusively may also take it shared, not the reverse.
 *
 * <p>Blocking: a caller waits for other holders of the same key. Never use on a Netty event loop.
 */
public final class KeyedLocks {
  private static final class Slot {
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    int users; // guarded by the map's per-bin lock (compute)
  }

  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

  /** Runs {@code body} while holding the lock of {@code key} exclusively and returns its result. */
  public <T> T withLock(String key, Supplier<T> body) {
    return locked(key, true, body);
  }

  /**
   * Runs {@code body} while holding the lock of {@code key} shared with other shared holders and
   * returns its result.
   */
  public <T> T withSharedLock(String key, Supplier<T> body) {
    return locked(key, false, body);
  }

  private <T> T locked(String key, boolean exclusive, Supplier<T> body) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(body, "body");
    Slot slot = slots.compute(key, (k, s) -> {
      Slot out = s == null ? new Slot() : s;
      out.users++;
      return out;
    });
    Lock lock = exclusive ? slot.lock.writeLock() : slot.lock.readLock();
    lock.lock();
    try {
      return body.get();
    } finally {
      lock.unlock();
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
