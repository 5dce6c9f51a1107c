package dev.loralab.identityserver.internal;

import dev.loralab.api.v3.EndDevice;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A bounded cache of parsed end devices, direct-mapped: each key has exactly one slot (by hash),
 * a newer entry for another key in the same slot evicts the older one. It serves the re-reads of a
 * device within one uplink's processing (lookup by DevAddr, read in the device lane, read in the
 * update, read after), so its size is what is in flight, not the number of registered devices.
 *
 * <p>Coherence without a lock on the read path. Writes of a key complete in the order the registry
 * submitted them (under its per-device lock); on completion, after the database has applied the
 * write, the registry calls {@link #put} or {@link #invalidate} unconditionally, always with a new
 * slot object. A reader that misses remembers the object it saw
 * in the slot, reads the database and installs its result only by compare-and-set against that
 * object: if any write touched the slot in between, the install fails, so a value read before a
 * write can never overwrite the write's value. Slot objects are never reused, so there is no ABA.
 *
 * <p>Cached messages are immutable protobuf messages, shared by every reader.
 */
final class EndDeviceCache {
  /** A slot's content; {@code key == null} is an empty (invalidated) slot. Identity matters. */
  private static final class Node {
    final String key;
    final EndDevice device;

    Node(String key, EndDevice device) {
      this.key = key;
      this.device = device;
    }
  }

  private final AtomicReferenceArray<Node> slots;
  private final int capacity;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  /** @param capacity the number of slots (entries at most); 0 disables the cache */
  EndDeviceCache(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity: expected >= 0, found " + capacity);
    }
    this.capacity = capacity;
    this.slots = new AtomicReferenceArray<>(Math.max(capacity, 1));
  }

  private int index(String key) {
    int h = key.hashCode();
    h ^= h >>> 16;
    h *= 0x45d9f3b; // spread sequential IDs over the slots
    h ^= h >>> 16;
    return (h & 0x7fffffff) % capacity;
  }

  /**
   * The device under {@code key}: from the cache, or loaded by {@code load} (which returns null if
   * there is none) and then cached unless a write to the slot raced with the load.
   */
  EndDevice get(String key, Function<String, EndDevice> load) {
    if (capacity == 0) {
      return load.apply(key);
    }
    int i = index(key);
    Node seen = slots.get(i);
    if (seen != null && key.equals(seen.key)) {
      hits.increment();
      return seen.device;
    }
    misses.increment();
    EndDevice loaded = load.apply(key);
    if (loaded != null) {
      slots.compareAndSet(i, seen, new Node(key, loaded));
    }
    return loaded;
  }

  /** Caches {@code device} as the stored value of {@code key}; call after the store write. */
  void put(String key, EndDevice device) {
    if (capacity != 0) {
      slots.set(index(key), new Node(key, device));
    }
  }

  /**
   * Forgets {@code key}; call after a delete or a write that failed (its effect is unknown). Also
   * makes every load of this slot in progress fail to install.
   */
  void invalidate(String key) {
    if (capacity != 0) {
      slots.set(index(key), new Node(null, null));
    }
  }

  /** The configured number of slots. */
  int capacity() {
    return capacity;
  }

  /** The number of cached devices (scans every slot; for tests and metrics). */
  int size() {
    int n = 0;
    for (int i = 0; i < capacity; i++) {
      Node node = slots.get(i);
      if (node != null && node.key != null) {
        n++;
      }
    }
    return n;
  }

  /** Reads answered from the cache. */
  long hits() {
    return hits.sum();
  }

  /** Reads that went to the store. */
  long misses() {
    return misses.sum();
  }
}
