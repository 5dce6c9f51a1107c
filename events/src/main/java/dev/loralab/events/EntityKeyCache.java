package dev.loralab.events;

import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.EntityIdentifiers;

/**
 * The {@link EntityKeys} of {@link EntityIdentifiers} instances, so that the events of one entity
 * (which share its identifiers instance) get the same key strings, with their hash codes computed,
 * instead of building and hashing new ones per event. Direct-mapped on the identity hash with a
 * fixed number of slots (a new entry replaces the one in its slot), lock-free like
 * {@link EncodingCache}: entries are immutable and written racily.
 */
final class EntityKeyCache {

  /** The keys of {@link #ids}: its own and, for a device, its application's (else null). */
  static final class Keys {
    final EntityIdentifiers ids;
    final String key;
    final String parentKey;

    Keys(EntityIdentifiers ids) {
      this.ids = ids;
      this.key = EntityKeys.of(ids);
      this.parentKey = ids.getIdsCase() == EntityIdentifiers.IdsCase.DEVICE_IDS
          ? EntityKeys.of(ids.getDeviceIds().getApplicationIds()) : null;
      key.hashCode(); // computed once here rather than by every map lookup of a new string
      if (parentKey != null) {
        parentKey.hashCode();
      }
    }
  }

  /** The identifiers of each slot's entry, so that a miss does not load the entry (may lag {@link #slots}). */
  private final EntityIdentifiers[] ids;
  private final Keys[] slots;
  private final int mask;

  /** @param capacity number of slots, a power of two */
  EntityKeyCache(int capacity) {
    if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("entity key cache capacity: expected a power of two, found " + capacity);
    }
    this.ids = new EntityIdentifiers[capacity];
    this.slots = new Keys[capacity];
    this.mask = capacity - 1;
  }

  /** The keys of {@code ids}, from the cache or computed (and then cached). */
  Keys of(EntityIdentifiers ids) {
    int i = System.identityHashCode(ids) & mask;
    if (this.ids[i] == ids) {
      Keys k = slots[i];
      if (k != null && k.ids == ids) { // the slot may be written concurrently
        return k;
      }
    }
    Keys k = new Keys(ids);
    slots[i] = k;
    this.ids[i] = ids;
    return k;
  }

  /** Entries held now (for tests). */
  int size() {
    int n = 0;
    for (Keys k : slots) {
      if (k != null) {
        n++;
      }
    }
    return n;
  }

  int capacity() {
    return slots.length;
  }
}
