package dev.loralab.identityserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The cache's sets: the ways of a set, the victim in a full set, the hit rate of a fleet read
 * round-robin, and writes of several keys of one set racing with each other and with loads.
 */
class SetAssociativeCacheTest {

  /** Keys {@code app/dev-N} that fall in the set of {@code app/dev-0}, the first {@code n}. */
  private static List<String> sameSet(DirectMappedCache<String, ?> cache, int n) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; keys.size() < n; i++) {
      String k = "app/dev-" + i;
      if (cache.sameSet("app/dev-0", k)) {
        keys.add(k);
      }
    }
    return keys;
  }

  @Test
  void aSetHoldsAsManyKeysAsItHasWays() {
    DirectMappedCache<String, String> cache = new DirectMappedCache<>("capacity", 64, true, 4);
    assertThat(cache.ways()).isEqualTo(4);
    List<String> keys = sameSet(cache, 4);
    for (String k : keys) {
      cache.get(k, x -> x + "#0");
    }
    for (String k : keys) {
      assertThat(cache.get(k, x -> null)).isEqualTo(k + "#0");
    }
    assertThat(cache.hits()).isEqualTo(4);
    assertThat(cache.size()).isEqualTo(4);
  }

  @Test
  void aFullSetEvictsOneKeyAndHoldsTheNewOneOnce() {
    DirectMappedCache<String, String> cache = new DirectMappedCache<>("capacity", 64, true, 4);
    List<String> keys = sameSet(cache, 5);
    for (String k : keys) {
      cache.put(k, k + "#0");
    }
    assertThat(cache.get(keys.get(4), x -> null)).isEqualTo(keys.get(4) + "#0");
    assertThat(cache.size()).isEqualTo(4);
    int held = 0;
    for (String k : keys) {
      assertThat(cache.copies(k)).isLessThanOrEqualTo(1);
      held += cache.copies(k);
    }
    assertThat(held).isEqualTo(4);
  }

  @Test
  void aPutOfACachedKeyReplacesItsWayAndEvictsNothing() {
    DirectMappedCache<String, String> cache = new DirectMappedCache<>("capacity", 64, true, 4);
    List<String> keys = sameSet(cache, 4);
    for (String k : keys) {
      cache.put(k, k + "#0");
    }
    for (int v = 1; v < 10; v++) {
      cache.put(keys.get(2), "v" + v);
      assertThat(cache.size()).isEqualTo(4);
      assertThat(cache.copies(keys.get(2))).isEqualTo(1);
    }
    assertThat(cache.get(keys.get(2), x -> null)).isEqualTo("v9");
    assertThat(cache.get(keys.get(0), x -> null)).isEqualTo(keys.get(0) + "#0");
  }

  @Test
  void anInvalidatedWayIsFilledBeforeAnyKeyIsEvicted() {
    DirectMappedCache<String, String> cache = new DirectMappedCache<>("capacity", 64, true, 4);
    List<String> keys = sameSet(cache, 5);
    for (String k : keys.subList(0, 4)) {
      cache.put(k, k);
    }
    cache.invalidate(keys.get(1));
    cache.get(keys.get(4), x -> x);
    for (String k : List.of(keys.get(0), keys.get(2), keys.get(3), keys.get(4))) {
      assertThat(cache.get(k, x -> null)).isEqualTo(k);
    }
    assertThat(cache.get(keys.get(1), x -> null)).isNull();
  }

  @Test
  void aLoadThatRacedWithAWriteOfAnotherKeyOfTheSetInstallsNothingAndKeepsTheWrite() {
    DirectMappedCache<String, String> cache = new DirectMappedCache<>("capacity", 64, true, 4);
    List<String> keys = sameSet(cache, 2);
    assertThat(cache.get(keys.get(0), k -> {
      cache.put(keys.get(1), "written");
      return "loaded";
    })).isEqualTo("loaded");
    assertThat(cache.get(keys.get(0), k -> null)).isNull();
    assertThat(cache.get(keys.get(1), k -> null)).isEqualTo("written");
  }

  @Test
  void aLoadThatRacedWithALoadOfAnotherKeyOfTheSetLeavesOneCopyOfEach() {
    DirectMappedCache<String, String> cache = new DirectMappedCache<>("capacity", 64, true, 4);
    List<String> keys = sameSet(cache, 2);
    cache.get(keys.get(0), k -> {
      assertThat(cache.get(keys.get(1), x -> "inner")).isEqualTo("inner");
      assertThat(cache.get(keys.get(0), x -> "same key, inner")).isEqualTo("same key, inner");
      return "outer";
    });
    // The inner loads installed; the outer one saw the set before them and installs nothing.
    assertThat(cache.get(keys.get(0), k -> null)).isEqualTo("same key, inner");
    assertThat(cache.get(keys.get(1), k -> null)).isEqualTo("inner");
    assertThat(cache.copies(keys.get(0))).isEqualTo(1);
  }

  @Test
  void waysOutOfRangeAreRejectedAndTheCapacityBoundsTheWays() {
    assertThatThrownBy(() -> new DirectMappedCache<String, String>("cacheCapacity", 8, false, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cacheCapacity ways: expected 1 to 8, found 0");
    assertThatThrownBy(() -> new DirectMappedCache<String, String>("cacheCapacity", 64, false, 9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cacheCapacity ways: expected 1 to 8, found 9");
    DirectMappedCache<String, String> small = new DirectMappedCache<>("capacity", 3, false, 4);
    assertThat(small.ways()).isEqualTo(3);
    assertThat(new DirectMappedCache<String, String>("capacity", 16).ways())
        .isEqualTo(DirectMappedCache.DEFAULT_WAYS);
    // 10 = 4 + 4 + 2 ways: every way is usable, and no more.
    DirectMappedCache<String, String> odd = new DirectMappedCache<>("capacity", 10, false, 4);
    for (int i = 0; i < 1000; i++) {
      odd.put("app/dev-" + i, "v");
    }
    assertThat(odd.size()).isEqualTo(10);
  }

  /**
   * The end device registry's default capacity and a fleet of 10,000 devices read round-robin:
   * after a first pass that loads them, a second pass answers at least 95 % from the cache
   * (direct-mapped, about 26 % of the devices share a slot and miss on every pass).
   */
  @Test
  void aFleetOf10000DevicesReadRoundRobinHitsOnTheSecondPass() {
    DirectMappedCache<String, String> cache = new DirectMappedCache<>("capacity", 32_768, true);
    int devices = 10_000;
    for (int i = 0; i < devices; i++) {
      cache.get("app/dev-" + i, k -> k);
    }
    assertThat(cache.misses()).isEqualTo(devices);
    for (int pass = 0; pass < 3; pass++) {
      long hitsBefore = cache.hits();
      for (int i = 0; i < devices; i++) {
        String k = "app/dev-" + i;
        assertThat(cache.get(k, x -> x)).isEqualTo(k);
      }
      long hits = cache.hits() - hitsBefore;
      assertThat(hits).as("hits of pass %d", pass + 2).isGreaterThanOrEqualTo(devices * 95L / 100);
    }
  }

  /**
   * Keys cycling through a full set ({@code ways + 1} keys, round-robin): the pseudo-random victim
   * keeps some of them, where a least-recently-used or rotating victim would miss on every read.
   */
  @Test
  void keysCyclingThroughAnOverfullSetStillHit() {
    DirectMappedCache<String, String> cache = new DirectMappedCache<>("capacity", 64, true, 4);
    List<String> keys = sameSet(cache, 5);
    for (int round = 0; round < 200; round++) {
      for (String k : keys) {
        cache.get(k, x -> x);
      }
    }
    assertThat(cache.hits()).isGreaterThan(cache.misses() / 4);
  }

  /**
   * Writers of several keys of one set, each key written by one thread (writes serialized per key,
   * as the owner serializes them), and readers: no write is lost and no read answers a version
   * older than the last write of its key completed before it began. No timing: fixed step counts.
   */
  @Test
  void concurrentWritersOfOneSetLoseNoWriteAndReadersSeeNoOlderVersion() throws Exception {
    DirectMappedCache<String, Long> cache = new DirectMappedCache<>("capacity", 8, true, 4);
    List<String> keys = sameSet(cache, 6);
    int writes = 10_000;
    ConcurrentHashMap<String, Long> store = new ConcurrentHashMap<>();
    AtomicLong[] completed = new AtomicLong[keys.size()];
    for (int k = 0; k < keys.size(); k++) {
      completed[k] = new AtomicLong(-1);
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int first = w;
      threads.add(new Thread(() -> {
        for (long v = 0; v < writes; v++) {
          int k = first + 2 * (int) (v % (keys.size() / 2));
          String key = keys.get(k);
          if (v % 5 == 2) {
            store.remove(key);
            cache.invalidate(key);
          } else {
            long value = v;
            cache.writeThrough(key, value, () -> store.put(key, value));
          }
          completed[k].set(v);
        }
      }));
    }
    for (int r = 0; r < 2; r++) {
      threads.add(new Thread(() -> {
        try {
          for (int i = 0; i < 30_000; i++) {
            int k = i % keys.size();
            long floor = completed[k].get();
            Long seen = cache.get(keys.get(k), store::get);
            if (seen != null && seen < floor) {
              throw new AssertionError("read " + seen + " after write " + floor + " completed");
            }
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failure.get()).isNull();
    for (String key : keys) {
      assertThat(cache.copies(key)).isLessThanOrEqualTo(1);
      assertThat(cache.get(key, store::get)).isEqualTo(store.get(key));
    }
    assertThat(cache.size()).isLessThanOrEqualTo(4);
  }
}
