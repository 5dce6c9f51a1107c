package dev.loralab.identityserver.store;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A bounded, write-through cache of parsed values in front of a store, direct-mapped: each key
 * has exactly one slot (by hash), and a key cached in a slot evicts the key there before. Reads
 * never lock. Direct mapping keeps the bound without any bookkeeping and, for keys visited
 * round-robin (as a fleet's uplinks visit its devices), still hits for the keys that share no
 * slot, where a least-recently-used policy would always miss once the keys exceed the bound.
 *
 * <p>Coherence. The cache's owner must be the only writer of the values it caches. Its writes of
 * a key are serialized (per key, by the owner) and each one, once the store has applied it, calls
 * {@link #put} (or {@link #writeThrough}) or {@link #invalidate}, which always install a new slot
 * object. A reader that misses remembers the slot object it saw, loads from the store and installs
 * its result only by compare-and-set against that object: if any write touched the slot in
 * between (for this key or another key of the slot), the install fails, so a value loaded before a
 * write never replaces the write's value. Slot objects are never reused, so there is no ABA. Hence
 * a read never returns a value older than the last write of the key that completed before the read
 * began.
 *
 * <p>A load that returns {@code null} (nothing stored) is not cached; to cache absence, use a value
 * type that represents it, such as {@code Optional<T>} with a loader that never returns null.
 * Values are shared by every reader and must be immutable.
 *
 * <p>Memory: one array reference per slot plus, per cached key, one slot object holding the key
 * and the value. Capacity 0 disables the cache: every read loads, writes do nothing.
 *
 * @param <K> the key type (with content equality, such as {@code String})
 * @param <V> the cached value type (immutable)
 */
public final class DirectMappedCache<K, V> {
  /** A slot's content; {@code key == null} is an emptied slot. Identity matters. */
  private static final class Slot<K, V> {
    final K key;
    final V value;

    Slot(K key, V value) {
      this.key = key;
      this.value = value;
    }
  }

  private final int capacity;
  private final AtomicReferenceArray<Slot<K, V>> slots;
  /** Null unless reads are counted. */
  private final LongAdder hits;
  private final LongAdder misses;

  /**
   * A cache that does not count its reads.
   *
   * @param name     the configuration name of the capacity, for the error message
   * @param capacity the number of slots (keys cached at most); 0 disables the cache
   * @throws IllegalArgumentException if {@code capacity} is negative
   */
  public DirectMappedCache(String name, int capacity) {
    this(name, capacity, false);
  }

  /**
   * @param name       the configuration name of the capacity, for the error message
   * @param capacity   the number of slots (keys cached at most); 0 disables the cache
   * @param countReads whether to count hits and misses ({@link #hits()}, {@link #misses()})
   * @throws IllegalArgumentException if {@code capacity} is negative
   */
  public DirectMappedCache(String name, int capacity, boolean countReads) {
    if (capacity < 0) {
      throw new IllegalArgumentException(name + ": expected >= 0, found " + capacity);
    }
    this.capacity = capacity;
    this.slots = new AtomicReferenceArray<>(Math.max(capacity, 1));
    this.hits = countReads ? new LongAdder() : null;
    this.misses = countReads ? new LongAdder() : null;
  }

  private int index(K key) {
    int h = key.hashCode();
    h ^= h >>> 16;
    h *= 0x45d9f3b; // spreads keys that differ only in their last characters (sequential IDs)
    h ^= h >>> 16;
    return (h & 0x7fffffff) % capacity;
  }

  /**
   * The value of {@code key}: from the cache, or loaded by {@code load} (null if nothing is stored)
   * and then cached, unless it is null or a write to the key's slot raced with the load.
   */
  public V get(K key, Function<? super K, ? extends V> load) {
    if (capacity == 0) {
      return load.apply(key);
    }
    int i = index(key);
    Slot<K, V> seen = slots.get(i);
    if (seen != null && key.equals(seen.key)) {
      if (hits != null) {
        hits.increment();
      }
      return seen.value;
    }
    if (misses != null) {
      misses.increment();
    }
    V loaded = load.apply(key);
    if (loaded != null) {
      slots.compareAndSet(i, seen, new Slot<>(key, loaded));
    }
    return loaded;
  }

  /**
   * Caches {@code value} as the stored value of {@code key}; call after the store applied the
   * write, serialized with the other writes of the key.
   */
  public void put(K key, V value) {
    Objects.requireNonNull(value, "value");
    if (capacity != 0) {
      slots.set(index(key), new Slot<>(key, value));
    }
  }

  /**
   * Runs {@code write}, the store write of {@code key}'s new value, then caches {@code value}; if
   * the write throws, forgets {@code key} (the write may or may not have happened) and rethrows.
   * Call serialized with the other writes of the key.
   */
  public void writeThrough(K key, V value, Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      invalidate(key);
      throw e;
    }
    put(key, value);
  }

  /**
   * Forgets {@code key}; call after a delete or a write that failed (its effect is unknown). Also
   * makes every load of the key's slot in progress fail to install.
   */
  public void invalidate(K key) {
    if (capacity != 0) {
      slots.set(index(key), new Slot<>(null, null));
    }
  }

  /** The configured number of slots. */
  public int capacity() {
    return capacity;
  }

  /** The number of cached keys (scans every slot; for tests and metrics). */
  public int size() {
    return count(v -> true);
  }

  /**
   * The number of cached keys whose value matches {@code which} (scans every slot; for tests and
   * metrics).
   */
  public int count(Predicate<? super V> which) {
    int n = 0;
    for (int i = 0; i < capacity; i++) {
      Slot<K, V> slot = slots.get(i);
      if (slot != null && slot.key != null && which.test(slot.value)) {
        n++;
      }
    }
    return n;
  }

  /** Reads answered from the cache; 0 if reads are not counted. */
  public long hits() {
    return hits == null ? 0 : hits.sum();
  }

  /** Reads that missed and loaded (capacity 0 excluded); 0 if reads are not counted. */
  public long misses() {
    return misses == null ? 0 : misses.sum();
  }
}
