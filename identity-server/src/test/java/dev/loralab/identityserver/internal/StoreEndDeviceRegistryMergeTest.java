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

  /** Opens the store and creates application app1 in it. */
  void openWithApplication() {
    open();
    new ProtoTable<>(store, Namespaces.APPLICATIONS, Application.parser()).put("app1",
        Application.newBuilder().setIds(ApplicationIdentifiers.newBuilder()
            .setApplicationId("app1")).build(), Durability.DURABLE);
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
    openWithApplication();
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
      if (!raw().equals(EndDeviceStorage.toStored(last).toByteString())) {
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

  /** Device {@code i} of a fleet: its own IDs, EUI and DevAddr. */
  static EndDevice fleetDevice(int i) {
    EndDevice d = device(100);
    String addr = String.format("26%06X", i);
    return d.toBuilder()
        .setIds(d.getIds().toBuilder().setDeviceId("dev" + i)
            .setDevEui(String.format("70B3D57E%08X", i)).setDevAddr(addr))
        .setSession(d.getSession().toBuilder().setDevAddr(addr)).build();
  }

  static EndDeviceIdentifiers fleetIds(int i) {
    return IDS.toBuilder().setDeviceId("dev" + i).build();
  }

  /** Whether device {@code i}'s stored bytes are its whole encoding (no merge appended). */
  boolean storedWhole(StoreEndDeviceRegistry registry, int i) {
    ByteString raw = store.get(Namespaces.END_DEVICES, "app1/dev" + i).orElseThrow();
    return raw.equals(
        EndDeviceStorage.toStored(registry.get(fleetIds(i)).orElseThrow()).toByteString());
  }

  /**
   * A fleet larger than the cache is read from the store, where merged values cost more to read:
   * its uplinks are written whole, and the cache keeps only the keys of written devices; once the
   * cache would answer again (the keys tell), written devices are cached and uplinks merged again.
   */
  @Test
  void uplinksAreMergedAndWrittenDevicesCachedOnlyWhileTheFleetFitsTheCache() {
    openWithApplication();
    StoreEndDeviceRegistry registry = registry(16);
    registry.checkFitsOnlyByHand();
    int fleet = 200;
    for (int i = 0; i < fleet; i++) {
      registry.create(fleetDevice(i));
    }
    int fCnt = 100;
    for (int round = 0; round < 8; round++) { // 1,600 uplinks, nearly every read a miss
      fCnt++;
      for (int i = 0; i < fleet; i++) {
        int f = fCnt;
        registry.updateAsync(fleetIds(i), d -> uplink(d, f, 1_000 + f), Durability.BUFFERED)
            .join();
      }
    }
    assertThat(registry.fleetFitsCache()).isTrue(); // not decided yet
    registry.checkFleetFits();
    assertThat(registry.fleetFitsCache()).isFalse();
    fCnt++;
    for (int i = 0; i < fleet; i++) {
      int f = fCnt;
      registry.updateAsync(fleetIds(i), d -> uplink(d, f, 1_000 + f), Durability.BUFFERED).join();
      long keyOnly = registry.cache().keyOnlyMisses();
      assertThat(storedWhole(registry, i)).as("device %d written whole", i).isTrue();
      // the written device was not cached, only its key: the read above loaded it
      assertThat(registry.cache().keyOnlyMisses()).as("device %d read after its write", i)
          .isEqualTo(keyOnly + 1);
    }
    assertThat(registry.cacheStats().fleetFits()).isFalse();
    // a few devices, all cached: merged again after the next decision
    for (int n = 0; n < 600; n++) {
      fCnt++;
      for (int i = 0; i < 4; i++) {
        int f = fCnt;
        registry.updateAsync(fleetIds(i), d -> uplink(d, f, 1_000 + f), Durability.BUFFERED)
            .join();
      }
    }
    registry.checkFleetFits(); // every read found its key: it would have hit
    assertThat(registry.fleetFitsCache()).isTrue();
    long hits = registry.cache().hits();
    int merged = 0;
    for (int n = 0; n < 8; n++) {
      fCnt++;
      int f = fCnt;
      EndDevice d = registry.updateAsync(fleetIds(0), x -> uplink(x, f, 1_000 + f),
          Durability.BUFFERED).join();
      merged += storedWhole(registry, 0) ? 0 : 1;
      assertThat(registry(0).get(fleetIds(0))).contains(d);
    }
    assertThat(merged).isGreaterThanOrEqualTo(EndDeviceMerge.MERGES_PER_WRITE - 1);
    assertThat(registry.cache().hits()).as("reads of device 0, cached again").isGreaterThan(hits);
  }

  @Test
  void theStorageFieldIsIgnoredOnInput() {
    openWithApplication();
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
