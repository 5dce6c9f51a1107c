package dev.loralab.identityserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import org.junit.jupiter.api.Test;

/** The cache alone: hits, misses, the bound, and installs that race with writes. */
class EndDeviceCacheTest {
  static EndDevice device(String id, String name) {
    return EndDevice.newBuilder().setIds(EndDeviceIdentifiers.newBuilder().setDeviceId(id))
        .setName(name).build();
  }

  @Test
  void missLoadsAndInstallsThenHits() {
    EndDeviceCache cache = new EndDeviceCache(16);
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
  void absentDevicesAreNotCached() {
    EndDeviceCache cache = new EndDeviceCache(16);
    assertThat(cache.get("app/none", k -> null)).isNull();
    assertThat(cache.size()).isZero();
    EndDevice v1 = device("none", "v1");
    assertThat(cache.get("app/none", k -> v1)).isSameAs(v1);
  }

  @Test
  void putReplacesAndInvalidateForgets() {
    EndDeviceCache cache = new EndDeviceCache(16);
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
  void aLoadThatRacedWithAWriteDoesNotInstallItsOlderValue() {
    EndDeviceCache cache = new EndDeviceCache(16);
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
  void aLoadThatRacedWithADeleteDoesNotResurrectTheDevice() {
    EndDeviceCache cache = new EndDeviceCache(16);
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
    EndDeviceCache cache = new EndDeviceCache(1); // every key shares the one slot
    EndDevice other = device("d2", "other");
    cache.get("app/d1", k -> {
      cache.put("app/d2", other);
      return device("d1", "v1");
    });
    assertThat(cache.get("app/d2", k -> null)).isSameAs(other);
  }

  @Test
  void sizeNeverExceedsTheCapacity() {
    EndDeviceCache cache = new EndDeviceCache(8);
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
  void capacityZeroCachesNothing() {
    EndDeviceCache cache = new EndDeviceCache(0);
    cache.put("app/d1", device("d1", "v1"));
    int[] loads = {0};
    for (int i = 0; i < 3; i++) {
      cache.get("app/d1", k -> {
        loads[0]++;
        return device("d1", "v1");
      });
    }
    assertThat(loads[0]).isEqualTo(3);
    assertThat(cache.size()).isZero();
  }

  @Test
  void negativeCapacityIsRejected() {
    assertThatThrownBy(() -> new EndDeviceCache(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity: expected >= 0, found -1");
  }
}
