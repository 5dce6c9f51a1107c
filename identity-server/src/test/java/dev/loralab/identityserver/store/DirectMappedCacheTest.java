package dev.loralab.identityserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The cache alone: hits, misses, the bound, installs that race with writes, cached absence and
 * write-through (as the end device registry and the AS store use it).
 */
class DirectMappedCacheTest {
  static EndDevice device(String id, String name) {
    return EndDevice.newBuilder().setIds(EndDeviceIdentifiers.newBuilder().setDeviceId(id))
        .setName(name).build();
  }

  private static DirectMappedCache<String, EndDevice> counted(int capacity) {
    return new DirectMappedCache<>("capacity", capacity, true);
  }

  @Test
  void missLoadsAndInstallsThenHits() {
    DirectMappedCache<String, EndDevice> cache = counted(16);
    EndDevice v1 = device("d1", "v1");
    int[] loads = {0};
    assertThat(cache.get("app/d1", k -> {
      loads[0]++;
      return v1;
    })).isSameAs(v1);
    assertThat(cache.get("app/d1", k -> {
      throw new AssertionError("must hit");
    })).isSameAs(v1);
    assertThat(loads[0]).isEqualTo(1);
    assertThat(cache.hits()).isEqualTo(1);
    assertThat(cache.misses()).isEqualTo(1);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void readsAreNotCountedUnlessAsked() {
    DirectMappedCache<String, EndDevice> cache = new DirectMappedCache<>("capacity", 16);
    EndDevice v1 = device("d1", "v1");
    cache.get("app/d1", k -> v1);
    assertThat(cache.get("app/d1", k -> null)).isSameAs(v1);
    assertThat(cache.hits()).isZero();
    assertThat(cache.misses()).isZero();
  }

  @Test
  void absentValuesAreNotCached() {
    DirectMappedCache<String, EndDevice> cache = counted(16);
    assertThat(cache.get("app/none", k -> null)).isNull();
    assertThat(cache.size()).isZero();
    EndDevice v1 = device("none", "v1");
    assertThat(cache.get("app/none", k -> v1)).isSameAs(v1);
  }

  @Test
  void absenceIsCachedWhenTheValueTypeRepresentsIt() {
    DirectMappedCache<String, Optional<EndDevice>> cache = new DirectMappedCache<>("size", 16);
    int[] loads = {0};
    for (int i = 0; i < 3; i++) {
      assertThat(cache.get("app/none", k -> {
        loads[0]++;
        return Optional.empty();
      })).isEmpty();
    }
    assertThat(loads[0]).isEqualTo(1);
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.count(Optional::isPresent)).isZero();
    EndDevice v1 = device("none", "v1");
    cache.put("app/none", Optional.of(v1));
    assertThat(cache.get("app/none", k -> Optional.empty())).containsSame(v1);
    assertThat(cache.count(Optional::isPresent)).isEqualTo(1);
  }

  @Test
  void putReplacesAndInvalidateForgets() {
    DirectMappedCache<String, EndDevice> cache = counted(16);
    cache.put("app/d1", device("d1", "v1"));
    EndDevice v2 = device("d1", "v2");
    cache.put("app/d1", v2);
    assertThat(cache.get("app/d1", k -> null)).isSameAs(v2);
    cache.invalidate("app/d1");
    assertThat(cache.size()).isZero();
    EndDevice v3 = device("d1", "v3");
    assertThat(cache.get("app/d1", k -> v3)).isSameAs(v3);
  }

  @Test
  void aKeyKeptWithoutItsValueLoadsCountsAndInstallsInItsOwnWay() {
    DirectMappedCache<String, EndDevice> cache = counted(16);
    cache.put("app/d1", device("d1", "v1"));
    cache.putKeyOnly("app/d1"); // written, not held
    assertThat(cache.size()).as("values held").isZero();
    assertThat(cache.copies("app/d1")).as("the key stays").isEqualTo(1);
    EndDevice v2 = device("d1", "v2");
    assertThat(cache.get("app/d1", k -> v2)).isSameAs(v2);
    assertThat(cache.misses()).isEqualTo(1);
    assertThat(cache.keyOnlyMisses()).isEqualTo(1);
    assertThat(cache.copies("app/d1")).as("loaded into the key's way").isEqualTo(1);
    assertThat(cache.get("app/d1", k -> {
      throw new AssertionError("must hit");
    })).isSameAs(v2);
    assertThat(cache.hits()).isEqualTo(1);
    // a key never cached is a plain miss
    cache.get("app/d2", k -> device("d2", "v1"));
    assertThat(cache.misses()).isEqualTo(2);
    assertThat(cache.keyOnlyMisses()).isEqualTo(1);
    // invalidate forgets the key too; a load racing with putKeyOnly does not install
    cache.putKeyOnly("app/d1");
    cache.invalidate("app/d1");
    assertThat(cache.copies("app/d1")).isZero();
    cache.putKeyOnly("app/d1");
    EndDevice stale = device("d1", "stale");
    assertThat(cache.get("app/d1", k -> {
      cache.putKeyOnly("app/d1"); // a write completed during the load
      return stale;
    })).isSameAs(stale);
    assertThat(cache.size()).as("the stale load was not installed")
        .isEqualTo(1); // d2 only
    assertThat(cache.count(d -> d.getIds().getDeviceId().equals("d1"))).isZero();
  }

  @Test
  void keysWithoutValuesDoNothingWithoutACache() {
    DirectMappedCache<String, EndDevice> cache = counted(0);
    cache.putKeyOnly("app/d1");
    assertThat(cache.get("app/d1", k -> device("d1", "v1")).getName()).isEqualTo("v1");
    assertThat(cache.keyOnlyMisses()).isZero();
  }

  @Test
  void aNullValueIsRejected() {
    DirectMappedCache<String, EndDevice> cache = counted(16);
    assertThatThrownBy(() -> cache.put("app/d1", null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("value");
    assertThat(cache.size()).isZero();
  }

  @Test
  void aLoadThatRacedWithAWriteDoesNotInstallItsOlderValue() {
    DirectMappedCache<String, EndDevice> cache = counted(16);
    EndDevice old = device("d1", "old");
    EndDevice written = device("d1", "written");
    // The reader misses and reads the store (old); meanwhile a writer stores and caches its value.
    assertThat(cache.get("app/d1", k -> {
      cache.put("app/d1", written);
      return old;
    })).isSameAs(old);
    assertThat(cache.get("app/d1", k -> null)).isSameAs(written);
  }

  @Test
  void aLoadThatRacedWithADeleteDoesNotResurrectTheValue() {
    DirectMappedCache<String, EndDevice> cache = counted(16);
    cache.put("app/d1", device("d1", "v1"));
    cache.invalidate("app/d1");
    assertThat(cache.get("app/d1", k -> {
      cache.invalidate("app/d1"); // the delete completes while the reader still holds the old bytes
      return device("d1", "v1");
    })).isNotNull();
    assertThat(cache.get("app/d1", k -> null)).isNull();
  }

  @Test
  void aLoadThatRacedWithAWriteOfAnotherKeyInTheSameSlotInstallsNothing() {
    DirectMappedCache<String, EndDevice> cache = counted(1); // every key shares the one slot
    EndDevice other = device("d2", "other");
    cache.get("app/d1", k -> {
      cache.put("app/d2", other);
      return device("d1", "v1");
    });
    assertThat(cache.get("app/d2", k -> null)).isSameAs(other);
  }

  @Test
  void writeThroughCachesAfterTheWrite() {
    DirectMappedCache<String, EndDevice> cache = counted(16);
    EndDevice v1 = device("d1", "v1");
    AtomicBoolean written = new AtomicBoolean();
    cache.writeThrough("app/d1", v1, () -> {
      // The write runs before the value is cached.
      assertThat(cache.get("app/d1", k -> null)).isNull();
      written.set(true);
    });
    assertThat(written).isTrue();
    assertThat(cache.get("app/d1", k -> null)).isSameAs(v1);
  }

  @Test
  void aFailedWriteThroughForgetsTheKeyAndRethrows() {
    DirectMappedCache<String, EndDevice> cache = counted(16);
    EndDevice v1 = device("d1", "v1");
    cache.put("app/d1", v1);
    IllegalStateException failure = new IllegalStateException("disk full (test)");
    assertThatThrownBy(() -> cache.writeThrough("app/d1", device("d1", "v2"), () -> {
      throw failure;
    })).isSameAs(failure);
    assertThat(cache.size()).isZero();
    EndDevice stored = device("d1", "stored");
    assertThat(cache.get("app/d1", k -> stored)).isSameAs(stored);
  }

  @Test
  void aLoadThatRacedWithAFailedWriteThroughInstallsNothing() {
    DirectMappedCache<String, EndDevice> cache = counted(16);
    EndDevice stale = device("d1", "stale");
    cache.get("app/d1", k -> {
      assertThatThrownBy(() -> cache.writeThrough("app/d1", device("d1", "v2"), () -> {
        throw new IllegalStateException("disk full (test)");
      })).isInstanceOf(IllegalStateException.class);
      return stale;
    });
    assertThat(cache.get("app/d1", k -> null)).isNull();
  }

  @Test
  void sizeNeverExceedsTheCapacity() {
    DirectMappedCache<String, EndDevice> cache = counted(8);
    for (int i = 0; i < 1000; i++) {
      String k = "app/dev-" + i;
      EndDevice d = device("dev-" + i, "v");
      if (i % 2 == 0) {
        cache.put(k, d);
      } else {
        assertThat(cache.get(k, x -> d)).isSameAs(d);
      }
      assertThat(cache.size()).isLessThanOrEqualTo(8);
    }
    assertThat(cache.capacity()).isEqualTo(8);
  }

  @Test
  void sequentialDeviceIdsSpreadOverTheSlots() {
    DirectMappedCache<String, EndDevice> cache = counted(1024);
    EndDevice d = device("d", "v");
    for (int i = 0; i < 1024; i++) {
      cache.put("app1/dev-" + i, d);
    }
    // A perfect spread would keep all 1024; a random one about 1 - 1/e of them (647).
    assertThat(cache.size()).isGreaterThan(550);
  }

  @Test
  void capacityZeroCachesNothing() {
    DirectMappedCache<String, EndDevice> cache = counted(0);
    cache.put("app/d1", device("d1", "v1"));
    cache.writeThrough("app/d1", device("d1", "v2"), () -> { });
    cache.invalidate("app/d1");
    int[] loads = {0};
    for (int i = 0; i < 3; i++) {
      cache.get("app/d1", k -> {
        loads[0]++;
        return device("d1", "v1");
      });
    }
    assertThat(loads[0]).isEqualTo(3);
    assertThat(cache.size()).isZero();
    assertThat(cache.hits()).isZero();
    assertThat(cache.capacity()).isZero();
  }

  @Test
  void negativeCapacityIsRejectedWithTheConfigurationName() {
    assertThatThrownBy(() -> new DirectMappedCache<String, EndDevice>("capacity", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity: expected >= 0, found -1");
    assertThatThrownBy(() -> new DirectMappedCache<String, EndDevice>("formattersCacheSize", -2, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("formattersCacheSize: expected >= 0, found -2");
  }

  /**
   * One writer (serialized, store first, then cache) and readers on other threads: a read never
   * returns a version older than the last write completed before the read began. No timing: each
   * thread runs a fixed number of steps.
   */
  @Test
  void concurrentReadersNeverSeeAVersionOlderThanTheLastCompletedWrite() throws Exception {
    int keys = 8;
    int writes = 20_000;
    DirectMappedCache<String, Long> cache = new DirectMappedCache<>("capacity", 4, true);
    ConcurrentHashMap<String, Long> store = new ConcurrentHashMap<>();
    AtomicLong[] completed = new AtomicLong[keys];
    for (int k = 0; k < keys; k++) {
      completed[k] = new AtomicLong(-1);
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      for (long v = 0; v < writes; v++) {
        int k = (int) (v % keys);
        String key = "app/dev-" + k;
        if (v % 7 == 3) {
          store.remove(key);
          cache.invalidate(key);
        } else {
          final long value = v;
          cache.writeThrough(key, value, () -> store.put(key, value));
        }
        completed[k].set(v);
      }
    });
    List<Thread> readers = List.of(reader(cache, store, completed, failure),
        reader(cache, store, completed, failure));
    writer.start();
    readers.forEach(Thread::start);
    writer.join();
    for (Thread r : readers) {
      r.join();
    }
    assertThat(failure.get()).isNull();
    for (int k = 0; k < keys; k++) {
      String key = "app/dev-" + k;
      assertThat(cache.get(key, store::get)).isEqualTo(store.get(key));
    }
  }

  private static Thread reader(DirectMappedCache<String, Long> cache,
      ConcurrentHashMap<String, Long> store, AtomicLong[] completed,
      AtomicReference<Throwable> failure) {
    return new Thread(() -> {
      try {
        for (int i = 0; i < 40_000; i++) {
          int k = i % completed.length;
          long floor = completed[k].get();
          Long seen = cache.get("app/dev-" + k, store::get);
          // Versions of a key only grow: the read sees the last completed write's value, a later
          // one, or nothing (a delete).
          if (seen != null && seen < floor) {
            throw new AssertionError("read " + seen + " after write " + floor + " completed");
          }
        }
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    });
  }
}
