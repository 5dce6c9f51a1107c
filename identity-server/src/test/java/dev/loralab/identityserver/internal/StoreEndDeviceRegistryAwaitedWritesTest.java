package dev.loralab.identityserver.internal;

import static dev.loralab.identityserver.internal.StoreEndDeviceRegistryCacheTest.abp;
import static dev.loralab.identityserver.internal.StoreEndDeviceRegistryCacheTest.ids;
import static dev.loralab.identityserver.internal.StoreEndDeviceRegistryCacheTest.withFCntUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.protobuf.ByteString;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.identityserver.store.Batch;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.KeyValueStore;
import dev.loralab.identityserver.store.KeyedLocks;
import dev.loralab.identityserver.store.Namespace;
import dev.loralab.identityserver.store.ProtoTable;
import dev.loralab.identityserver.store.RocksDbStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's calls that wait for their write (create, update, delete, a move of the EUI) ask
 * the store to commit it without lingering ({@link KeyValueStore#writeAsyncAwaited}); the
 * asynchronous update of an uplink may be grouped with others ({@link KeyValueStore#writeAsync}).
 */
class StoreEndDeviceRegistryAwaitedWritesTest {

  /** An in-memory store that records which of the two asynchronous write calls it received. */
  static final class RecordingStore extends ForwardingStore {
    final List<String> calls = new ArrayList<>();

    @Override
    public void put(Namespace namespace, String key, ByteString value, Durability durability) {
      calls.add("put");
      inner.put(namespace, key, value, durability);
    }

    @Override
    public void delete(Namespace namespace, String key, Durability durability) {
      calls.add("delete");
      inner.delete(namespace, key, durability);
    }

    @Override
    public void write(Batch batch, Durability durability) {
      calls.add("write");
      inner.write(batch, durability);
    }

    @Override
    public synchronized CompletableFuture<Void> writeAsync(Batch batch, Durability durability) {
      calls.add("writeAsync");
      inner.write(batch, durability);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> writeAsyncAwaited(Batch batch,
        Durability durability) {
      calls.add("writeAsyncAwaited");
      inner.write(batch, durability);
      return CompletableFuture.completedFuture(null);
    }
  }

  final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  final EntityValidation validation = new EntityValidation(id -> true);

  static void createApplication(KeyValueStore store) {
    new ProtoTable<>(store, Namespaces.APPLICATIONS, Application.parser()).put("app1",
        Application.newBuilder().setIds(ApplicationIdentifiers.newBuilder()
            .setApplicationId("app1")).build(), Durability.DURABLE);
  }

  @Test
  void callsThatWaitForTheirWriteAskForItWithoutLinger() {
    RecordingStore store = new RecordingStore();
    createApplication(store.inner);
    StoreEndDeviceRegistry registry =
        new StoreEndDeviceRegistry(store, validation, clock, new KeyedLocks(), 64);

    registry.create(abp("dev1", "0000000000000001", "26000001"));
    assertThat(store.calls).containsExactly("writeAsyncAwaited");

    store.calls.clear();
    registry.update(ids("dev1"), d -> withFCntUp(d, 7), Durability.DURABLE);
    assertThat(store.calls).containsExactly("writeAsyncAwaited");

    store.calls.clear();
    registry.updateAsync(ids("dev1"), d -> withFCntUp(d, 8), Durability.DURABLE).join();
    assertThat(store.calls).containsExactly("writeAsync");

    store.calls.clear();
    // A new DevEUI is written under the EUI's lock and awaited there, even from updateAsync.
    registry.updateAsync(ids("dev1"), d -> d.toBuilder().setIds(d.getIds().toBuilder()
        .setDevEui("0000000000000002")).build(), Durability.DURABLE).join();
    assertThat(store.calls).containsExactly("writeAsyncAwaited");

    store.calls.clear();
    assertThat(registry.delete(ids("dev1"))).isTrue();
    assertThat(store.calls).containsExactly("writeAsyncAwaited");
  }

  @Test
  void onAStoreThatLingersAnHourAnApiWriteStillCompletesAtOnce(@TempDir Path dir) {
    try (RocksDbStore store = RocksDbStore.open(dir.resolve("db"),
        RocksDbStore.Settings.defaults().withCommitLinger(Duration.ofHours(1), 1000))) {
      createApplication(store);
      StoreEndDeviceRegistry registry =
          new StoreEndDeviceRegistry(store, validation, clock, new KeyedLocks(), 64);
      // Without the awaited write each call would wait the whole hour (the target is never met).
      EndDevice created = assertTimeoutPreemptively(Duration.ofMinutes(5),
          () -> registry.create(abp("dev1", "0000000000000001", "26000001")));
      assertThat(created.getIds().getDeviceId()).isEqualTo("dev1");
      EndDevice updated = assertTimeoutPreemptively(Duration.ofMinutes(5),
          () -> registry.update(ids("dev1"), d -> withFCntUp(d, 9), Durability.DURABLE));
      assertThat(updated.getSession().getLastFCntUp()).isEqualTo(9);
      assertThat(assertTimeoutPreemptively(Duration.ofMinutes(5),
          () -> registry.delete(ids("dev1")))).isTrue();
    }
  }
}
