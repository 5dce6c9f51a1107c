package dev.loralab.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.EntityIdentifiers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link EntityKeyCache} and {@link Event#entityKeys()}: the keys are those of {@link EntityKeys}
 * for any identifiers instance (shared, equal but distinct, colliding in a slot), the events of an
 * entity share the key strings, and the cache stays within its slots.
 */
class EntityKeyCacheTest {

  /** The keys as computed before the cache: own key, then the application's if a device propagates. */
  private static String[] uncachedKeys(Event e) {
    List<EntityIdentifiers> ids = e.identifiers();
    String[] k = new String[2 * ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      EntityIdentifiers id = ids.get(i);
      k[2 * i] = EntityKeys.of(id);
      if (e.propagateToParent() && id.getIdsCase() == EntityIdentifiers.IdsCase.DEVICE_IDS) {
        k[2 * i + 1] = EntityKeys.of(id.getDeviceIds().getApplicationIds());
      }
    }
    return k;
  }

  @Property(tries = 300)
  void keysAreThoseOfEntityKeysForAnyInstance(@ForAll long seed) {
    Random rnd = new Random(seed);
    EntityKeyCache cache = new EntityKeyCache(1 << rnd.nextInt(3));
    List<EntityIdentifiers> pool = new ArrayList<>();
    for (int step = 0; step < 60; step++) {
      EntityIdentifiers ids;
      if (!pool.isEmpty() && rnd.nextBoolean()) {
        ids = pool.get(rnd.nextInt(pool.size()));
        if (rnd.nextInt(4) == 0) {
          ids = ids.toBuilder().build(); // equal, distinct instance
        }
      } else {
        ids = ArbitraryEvents.entity(rnd.nextInt(30));
        pool.add(ids);
      }
      EntityKeyCache.Keys k = cache.of(ids);
      assertThat(k.ids).isSameAs(ids);
      assertThat(k.key).isEqualTo(EntityKeys.of(ids));
      assertThat(k.parentKey).isEqualTo(ids.getIdsCase() == EntityIdentifiers.IdsCase.DEVICE_IDS
          ? EntityKeys.of(ids.getDeviceIds().getApplicationIds()) : null);
      assertThat(cache.size()).isLessThanOrEqualTo(cache.capacity());
    }
  }

  @Property(tries = 200)
  void eventsHaveTheKeysComputedWithoutTheCache(@ForAll long seed) {
    ArbitraryEvents gen = new ArbitraryEvents(seed);
    Random rnd = gen.random();
    EventFactory factory = new EventFactory(java.time.Clock.systemUTC(),
        new Ulid(java.time.Clock.systemUTC(), new Random(seed)), "h");
    for (int i = 0; i < 5; i++) {
      List<EntityIdentifiers> target = new ArrayList<>();
      for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
        target.add(ArbitraryEvents.entity(rnd.nextInt(12)));
      }
      Event e = gen.event(factory, Instant.EPOCH, target, List.of("c:1"));
      assertThat(e.entityKeys()).containsExactly(uncachedKeys(e));
    }
    assertThat(Event.ENTITY_KEYS.size()).isLessThanOrEqualTo(Event.ENTITY_KEY_CACHE_SLOTS);
  }

  @Test
  void theEventsOfAnEntityShareItsKeyStrings() {
    EntityIdentifiers dev = EntityKeys.device("app-1", "dev-7");
    Event a = Event.builder("x.a").time(Instant.EPOCH).identifiers(dev).propagateToParent(true).origin("o")
        .uniqueId("a").build();
    Event b = Event.builder("x.b").time(Instant.EPOCH).identifiers(dev).origin("o").uniqueId("b").build();
    assertThat(a.entityKeys()).containsExactly(EntityKeys.of(dev), EntityKeys.of(EntityKeys.application("app-1")));
    assertThat(b.entityKeys()[0]).isSameAs(a.entityKeys()[0]);
    assertThat(b.entityKeys()[1]).isNull();
  }

  @Test
  void capacityMustBeAPowerOfTwo() {
    assertThatThrownBy(() -> new EntityKeyCache(6)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("power of two").hasMessageContaining("6");
    assertThatThrownBy(() -> new EntityKeyCache(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
