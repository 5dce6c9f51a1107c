package dev.loralab.events;

import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.EntityIdentifiers;

/**
 * The {@link EntityKeys} of {@link EntityIdentifiers} instances, so that the events of one entity
 * (which share its identifiers instance) get the same key strings, with their hash codes computed,
 * instead of building and hashing new ones per event. Direct-mapped on the identity hash with a
 * fixed number of slots ({@link IdentitySlots}: a new entry replaces the one in its slot), lock-free:
 * entries are immutable.
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
      this.alone = new String[] {key, null};
      this.withParent = parentKey == null ? alone : new String[] {key, parentKey};
    }

    /** {@link Event#entityKeys()} of an event of these identifiers alone that does not propagate (shared: never modified). */
    final String[] alone;
    /** {@link Event#entityKeys()} of an event of these identifiers alone that propagates (shared: never modified). */
    final String[] withParent;
  }

  private final IdentitySlots<EntityIdentifiers, Keys> slots;

  /** @param capacity number of slots, a power of two */
  EntityKeyCache(int capacity) {
    this.slots = new IdentitySlots<>("entity key cache", capacity, k -> k.ids);
  }

  /** The keys of {@code ids}, from the cache or computed (and then cached). */
  Keys of(EntityIdentifiers ids) {
    Keys k = slots.get(ids);
    if (k == null) {
      k = new Keys(ids);
      slots.put(ids, k);
    }
    return k;
  }

  /** Entries held now (for tests). */
  int size() {
    return slots.size();
  }

  int capacity() {
    return slots.capacity();
  }
}
