package dev.loralab.identityserver.internal;

import static dev.loralab.identityserver.internal.EndDeviceMergeTest.device;
import static dev.loralab.identityserver.internal.EndDeviceMergeTest.uplink;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.MACState;
import dev.loralab.identityserver.MutableClock;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.KeyValueStore;
import dev.loralab.identityserver.store.KeyedLocks;
import dev.loralab.identityserver.store.ProtoTable;
import dev.loralab.identityserver.store.RocksDbStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry writes an uplink's change as a merge into the stored device (EndDeviceMerge): what
 * it reads back, through a cold cache and after reopening the store, is exactly what it returned.
 */
class StoreEndDeviceRegistryMergeTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00.000001Z"));
  final EntityValidation validation = new EntityValidation(id -> true);
  KeyValueStore store;

  static final EndDeviceIdentifiers IDS = EndDeviceIdentifiers.newBuilder().setDeviceId("dev1")
      .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1")).build();

  KeyValueStore open() {
    store = RocksDbStore.open(dir.resolve("db"));
    return store;
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  StoreEndDeviceRegistry registry(int cache) {
    return new StoreEndDeviceRegistry(store, validation, clock, new KeyedLocks(), cache);
  }

  /** The device's stored bytes as they are (merges appended), not parsed. */
  ByteString raw() {
    return store.get(Namespaces.END_DEVICES, "app1/dev1").orElseThrow();
  }

  @Test
  void uplinksAreMergedAndReadBackExactlyColdAndAfterReopening() {
    open();
    new ProtoTable<>(store, Namespaces.APPLICATIONS, Application.parser()).put("app1",
        Application.newBuilder().setIds(ApplicationIdentifiers.newBuilder()
            .setApplicationId("app1")).build(), Durability.DURABLE);
    StoreEndDeviceRegistry registry = registry(16);
    EndDevice last = registry.create(device(100));
    int merged = 0;
    for (int f = 101; f <= 140; f++) {
      clock.advance(Duration.ofMillis(1_234));
      int fCnt = f;
      last = registry.updateAsync(IDS, d -> uplink(d, fCnt, 1_000 + fCnt), Durability.BUFFERED)
          .join();
      assertThat(last.getSession().getLastFCntUp()).isEqualTo(f);
      assertThat(last.getMacState().getRecentUplinksCount()).isEqualTo(20);
      assertThat(last.getMacState().getRecentUplinksKept()).isZero();
      if (raw().size() > last.getSerializedSize()) {
        merged++;
      }
      assertThat(registry(0).get(IDS)).contains(last); // read from the store
      assertThat(registry.get(IDS)).contains(last); // from the cache
    }
    assertThat(merged).isGreaterThan(30);
    assertThat(registry(0).list("app1")).containsExactly(last);
    store.close();
    open();
    assertThat(registry(0).get(IDS)).contains(last);
    // and the next uplink builds on what was read back
    EndDevice next = registry(16).updateAsync(IDS, d -> uplink(d, 141, 7), Durability.DURABLE)
        .join();
    assertThat(registry(0).get(IDS)).contains(next);
  }

  @Test
  void theStorageFieldIsIgnoredOnInput() {
    open();
    new ProtoTable<>(store, Namespaces.APPLICATIONS, Application.parser()).put("app1",
        Application.newBuilder().setIds(ApplicationIdentifiers.newBuilder()
            .setApplicationId("app1")).build(), Durability.DURABLE);
    StoreEndDeviceRegistry registry = registry(16);
    EndDevice d = device(30);
    EndDevice created = registry.create(d.toBuilder()
        .setMacState(d.getMacState().toBuilder().setRecentUplinksKept(3)).build());
    assertThat(created.getMacState().getRecentUplinksKept()).isZero();
    assertThat(created.getMacState().getRecentUplinksCount()).isEqualTo(20);
    EndDevice updated = registry.update(IDS, x -> x.toBuilder()
        .setMacState(x.getMacState().toBuilder().setRecentUplinksKept(2)).build(),
        Durability.DURABLE);
    assertThat(updated.getMacState()).isEqualTo(d.getMacState());
    assertThat(registry(0).get(IDS).orElseThrow().getMacState()).isEqualTo(d.getMacState());
    assertThat(MACState.getDefaultInstance().getRecentUplinksKept()).isZero();
  }
}
