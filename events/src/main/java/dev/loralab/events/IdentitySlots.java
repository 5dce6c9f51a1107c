package dev.loralab.events;

import java.util.function.Function;

/**
 * A fixed number of slots of values keyed by object identity, direct-mapped on the identity hash:
 * a new entry replaces the one in its slot, so at most {@link #capacity()} entries are held.
 * Lock-free: slots are written racily, which is safe because a value is immutable (final fields)
 * and names its own key ({@code keyOf}), so a reader that sees a slot's key and value from two
 * different writes rejects the pair; it sees a whole entry, an older one or none. Keys are held
 * strongly, so a cached key is never collected and its identity never reused while it is here.
 *
 * @param <K> the key type (compared with {@code ==})
 * @param <V> the value type, immutable, naming its key
 */
final class IdentitySlots<K, V> {

  /** The key of each slot's entry, so that a miss does not load the entry (may lag {@link #values}). */
  private final Object[] keys;
  private final Object[] values;
  private final int mask;
  private final Function<V, K> keyOf;

  /**
   * @param what     what the slots hold, for the error message
   * @param capacity number of slots, a power of two
   * @param keyOf    the key a value was stored under
   */
  IdentitySlots(String what, int capacity, Function<V, K> keyOf) {
    if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException(what + " capacity: expected a power of two, found " + capacity);
    }
    this.keys = new Object[capacity];
    this.values = new Object[capacity];
    this.mask = capacity - 1;
    this.keyOf = keyOf;
  }

  private int index(Object key) {
    return System.identityHashCode(key) & mask;
  }

  /** The value last put for {@code key} (the same instance) if its slot still holds it, or null. */
  @SuppressWarnings("unchecked") // values are only ever put as V
  V get(K key) {
    int i = index(key);
    if (keys[i] != key) {
      return null;
    }
    V v = (V) values[i];
    return v != null && keyOf.apply(v) == key ? v : null; // the slot may be written concurrently
  }

  /** Puts {@code value} (whose key is {@code key}) into the key's slot, replacing what was there. */
  void put(K key, V value) {
    int i = index(key);
    values[i] = value;
    keys[i] = key;
  }

  int capacity() {
    return values.length;
  }

  /** Entries held now (for tests). */
  int size() {
    int n = 0;
    for (Object v : values) {
      if (v != null) {
        n++;
      }
    }
    return n;
  }
}
