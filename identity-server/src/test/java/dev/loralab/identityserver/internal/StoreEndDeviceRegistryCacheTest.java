package dev.loralab.identityserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.identityserver.EntityAlreadyExistsException;
import dev.loralab.identityserver.EntityNotFoundException;
import dev.loralab.identityserver.store.Batch;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.KeyedLocks;
import dev.loralab.identityserver.store.Namespace;
import dev.loralab.identityserver.store.ProtoTable;
import dev.loralab.identityserver.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The end device registry's parsed-device cache: every write path keeps it coherent with the
 * store, reads after a write never see an older device, and cached reads do not touch the store.
 */
class StoreEndDeviceRegistryCacheTest {
  /** Counts device reads and records batch sizes; can be told to fail the next write. */
  static final class CountingStore extends ForwardingStore {
    final AtomicInteger deviceReads = new AtomicInteger();
    final List<Integer> batchSizes = new ArrayList<>();
    final AtomicBoolean failNextWrite = new AtomicBoolean();
    volatile boolean applyFailedWrite;

    @Override
    public Optional<ByteString> get(Namespace namespace, String key) {
      if (namespace.equals(Namespaces.END_DEVICES)) {
        deviceReads.incrementAndGet();
      }
      return inner.get(namespace, key);
    }

    @Override
    public void write(Batch batch, Durability durability) {
      if (failNextWrite.getAndSet(false)) {
        if (applyFailedWrite) {
          inner.write(batch, durability); // applied, but the caller is told it failed
        }
        throw new StoreException("injected write failure");
      }
      synchronized (batchSizes) {
        batchSizes.add(batch.size());
      }
      inner.write(batch, durability);
    }

    int lastBatchSize() {
      synchronized (batchSizes) {
        return batchSizes.get(batchSizes.size() - 1);
      }
    }
  }

  static final String ABP = """
      {"ids":{"device_id":"%s","application_ids":{"application_id":"app1"},
        "dev_eui":"%s","join_eui":"70B3D57ED0000000"},
       "lorawan_version":"MAC_V1_0_3","frequency_plan_id":"EU_863_870_TTN","supports_join":false,
       "session":{"dev_addr":"%s","keys":{"f_nwk_s_int_key":{"key":"000102030405060708090A0B0C0D0E0F"},
         "app_s_key":{"key":"101112131415161718191A1B1C1D1E1F"}}}}""";

  static EndDevice abp(String deviceId, String devEui, String devAddr) {
    return ProtoJson.parse(ABP.formatted(deviceId, devEui, devAddr), EndDevice.newBuilder())
        .build();
  }

  static EndDeviceIdentifiers ids(String deviceId) {
    return EndDeviceIdentifiers.newBuilder().setDeviceId(deviceId)
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1")).build();
  }

  static EndDevice withFCntUp(EndDevice d, int fCnt) {
    return d.toBuilder().setSession(d.getSession().toBuilder().setLastFCntUp(fCnt)).build();
  }

  final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  final EntityValidation validation = new EntityValidation(id -> true);
  CountingStore store;
  StoreEndDeviceRegistry registry;

  StoreEndDeviceRegistry registry(int capacity) {
    return new StoreEndDeviceRegistry(store, validation, clock, new KeyedLocks(), capacity);
  }

  @BeforeEach
  void setUp() {
    store = new CountingStore();
    new ProtoTable<>(store, Namespaces.APPLICATIONS, Application.parser()).put("app1",
        Application.newBuilder().setIds(ApplicationIdentifiers.newBuilder()
            .setApplicationId("app1")).build(), Durability.DURABLE);
    registry = registry(64);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  /** The device as stored, read by a registry without cache. */
  Optional<EndDevice> stored(String deviceId) {
    return registry(0).get(ids(deviceId));
  }

  @Test
  void theIdentityServerConfiguresTheCapacityAndReportsTheCounts(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) {
    assertThat(dev.loralab.identityserver.IdentityServerConfig.defaults().endDeviceCacheCapacity())
        .isEqualTo(32_768);
    assertThatThrownBy(() -> dev.loralab.identityserver.IdentityServerConfig.defaults()
        .withEndDeviceCacheCapacity(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endDeviceCacheCapacity: expected >= 0, found -1");
    try (var is = dev.loralab.identityserver.IdentityServer.builder(
        dev.loralab.identityserver.IdentityServerConfig.defaults().withDataDirectory(dir)
            .withStoreKind(dev.loralab.identityserver.IdentityServerConfig.StoreKind.IN_MEMORY)
            .withApiKeyHashIterations(1000).withEndDeviceCacheCapacity(100))
        .writeAdminKeyFile(false).build()) {
      is.applications().create(Application.newBuilder().setIds(ApplicationIdentifiers.newBuilder()
          .setApplicationId("app1")).build(),
          dev.loralab.api.v3.UserIdentifiers.newBuilder().setUserId("admin").build());
      is.endDevices().create(abp("dev1", "0000000000000001", "26000001"));
      is.endDevices().get(ids("dev1"));
      assertThat(is.endDeviceCacheStats())
          .isEqualTo(new dev.loralab.identityserver.EndDeviceCacheStats(100, 1, 1, 0, true));
    }
  }

  @Test
  void readsAfterCreateComeFromTheCacheByKeyEuiAndDevAddr() {
    EndDevice created = registry.create(abp("dev1", "0000000000000001", "26000001"));
    int reads = store.deviceReads.get();
    assertThat(registry.get(ids("dev1"))).contains(created);
    assertThat(registry.getByEui("70b3d57ed0000000", "0000000000000001")).contains(created);
    assertThat(registry.byDevAddr("26000001")).containsExactly(created);
    assertThat(store.deviceReads.get()).isEqualTo(reads);
    assertThat(registry.cache().hits()).isEqualTo(3);
  }

  @Test
  void aColdCacheParsesOnceThenHits() {
    EndDevice created = registry.create(abp("dev1", "0000000000000001", "26000001"));
    StoreEndDeviceRegistry cold = registry(64); // as after a restart
    int reads = store.deviceReads.get();
    assertThat(cold.byDevAddr("26000001")).containsExactly(created);
    assertThat(cold.get(ids("dev1"))).contains(created);
    EndDevice updated = cold.update(ids("dev1"), d -> withFCntUp(d, 1), Durability.DURABLE);
    assertThat(cold.get(ids("dev1"))).contains(updated);
    assertThat(store.deviceReads.get() - reads).isEqualTo(1);
    assertThat(cold.cache().misses()).isEqualTo(1);
    assertThat(cold.cache().hits()).isEqualTo(3);
    assertThat(cold.cacheStats())
        .isEqualTo(new dev.loralab.identityserver.EndDeviceCacheStats(64, 3, 1, 0, true));
  }

  @Test
  void updateWritesThroughAndTouchesTheIndexesOnlyWhenTheirFieldsChange() {
    registry.create(abp("dev1", "0000000000000001", "26000001"));
    EndDevice updated = registry.update(ids("dev1"), d -> withFCntUp(d, 7), Durability.BUFFERED);
    assertThat(store.lastBatchSize()).as("the device alone").isEqualTo(1);
    assertThat(registry.get(ids("dev1"))).contains(updated);
    assertThat(updated.getSession().getLastFCntUp()).isEqualTo(7);
    assertThat(stored("dev1")).contains(updated);

    EndDevice moved = registry.update(ids("dev1"), d -> d.toBuilder().setSession(
        d.getSession().toBuilder().setDevAddr("26000002")).build(), Durability.DURABLE);
    assertThat(store.lastBatchSize()).as("device, old DevAddr entry, new one").isEqualTo(3);
    assertThat(registry.byDevAddr("26000001")).isEmpty();
    assertThat(registry.byDevAddr("26000002")).containsExactly(moved);

    EndDevice pending = registry.update(ids("dev1"), d -> d.toBuilder().setPendingSession(
        d.getSession().toBuilder().setDevAddr("26000003")).build(), Durability.DURABLE);
    assertThat(store.lastBatchSize()).as("device, pending DevAddr entry").isEqualTo(2);
    assertThat(registry.byDevAddr("26000003")).containsExactly(pending);
    assertThat(registry.byDevAddr("26000002")).containsExactly(pending);

    EndDevice reEui = registry.update(ids("dev1"), d -> d.toBuilder().setIds(
        d.getIds().toBuilder().setDevEui("0000000000000009")).build(), Durability.DURABLE);
    assertThat(store.lastBatchSize()).as("device, old EUI entry, new one").isEqualTo(3);
    assertThat(registry.getByEui("70B3D57ED0000000", "0000000000000001")).isEmpty();
    assertThat(registry.getByEui("70B3D57ED0000000", "0000000000000009")).contains(reEui);
    assertThat(stored("dev1")).contains(reEui);
  }

  @Test
  void updateNormalizesWhatTheMutatorReturns() {
    EndDevice created = registry.create(abp("dev1", "0000000000000001", "26000001"));
    EndDevice updated = registry.update(ids("dev1"), d -> d.toBuilder()
        .setCreatedAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(1))
        .setIds(d.getIds().toBuilder().setDeviceId("other").setDevEui("00000000000000ab")
            .setDevAddr("ffffffff"))
        .setSession(d.getSession().toBuilder().setDevAddr("26abcdef"))
        .setPendingSession(d.getSession().toBuilder().setDevAddr("26fedcba")).build(),
        Durability.DURABLE);
    assertThat(updated.getIds().getDeviceId()).isEqualTo("dev1");
    assertThat(updated.getIds().getDevEui()).isEqualTo("00000000000000AB");
    assertThat(updated.getIds().getDevAddr()).isEqualTo("26ABCDEF");
    assertThat(updated.getSession().getDevAddr()).isEqualTo("26ABCDEF");
    assertThat(updated.getPendingSession().getDevAddr()).isEqualTo("26FEDCBA");
    assertThat(updated.getCreatedAt()).isEqualTo(created.getCreatedAt());
    assertThat(registry.byDevAddr("26abcdef")).containsExactly(updated);
    assertThat(registry.byDevAddr("26FEDCBA")).containsExactly(updated);
    assertThat(stored("dev1")).contains(updated);

    EndDevice noSession = registry.update(ids("dev1"), d -> d.toBuilder().clearSession()
        .clearPendingSession().build(), Durability.DURABLE);
    assertThat(noSession.getIds().getDevAddr()).isEmpty();
    assertThat(registry.byDevAddr("26ABCDEF")).isEmpty();
    assertThat(registry.byDevAddr("26FEDCBA")).isEmpty();
    assertThatThrownBy(() -> registry.update(ids("dev1"), d -> d.toBuilder().setSession(
        created.getSession().toBuilder().setDevAddr("26xx")).build(), Durability.DURABLE))
        .isInstanceOf(dev.loralab.identityserver.InvalidFieldException.class)
        .hasMessageContaining("end_device.session.dev_addr");
    assertThat(registry.get(ids("dev1"))).contains(noSession);
  }

  @Test
  void deleteInvalidatesSoNoReadPathSeesTheDevice() {
    registry.create(abp("dev1", "0000000000000001", "26000001"));
    registry.get(ids("dev1"));
    assertThat(registry.delete(ids("dev1"))).isTrue();
    assertThat(registry.get(ids("dev1"))).isEmpty();
    assertThat(registry.getByEui("70B3D57ED0000000", "0000000000000001")).isEmpty();
    assertThat(registry.byDevAddr("26000001")).isEmpty();
    assertThatThrownBy(() -> registry.update(ids("dev1"), d -> d, Durability.DURABLE))
        .isInstanceOf(EntityNotFoundException.class);

    EndDevice again = registry.create(abp("dev1", "0000000000000002", "26000005"));
    assertThat(registry.get(ids("dev1"))).contains(again);
    assertThat(registry.byDevAddr("26000005")).containsExactly(again);
  }

  @Test
  void deleteAllInvalidatesEveryDevice() {
    for (int i = 0; i < 5; i++) {
      registry.create(abp("dev" + i, "000000000000000" + i, "2600000" + i));
      registry.get(ids("dev" + i));
    }
    assertThat(registry.deleteAll("app1")).isEqualTo(5);
    for (int i = 0; i < 5; i++) {
      assertThat(registry.get(ids("dev" + i))).isEmpty();
      assertThat(registry.byDevAddr("2600000" + i)).isEmpty();
    }
    assertThat(registry.cache().size()).isZero();
  }

  @Test
  void createOfATakenIdOrEuiLeavesTheCachedDeviceAlone() {
    EndDevice created = registry.create(abp("dev1", "0000000000000001", "26000001"));
    assertThatThrownBy(() -> registry.create(abp("dev1", "0000000000000002", "26000002")))
        .isInstanceOf(EntityAlreadyExistsException.class);
    assertThatThrownBy(() -> registry.create(abp("dev2", "0000000000000001", "26000002")))
        .isInstanceOf(EntityAlreadyExistsException.class);
    registry.create(abp("dev3", "0000000000000003", "26000003"));
    assertThatThrownBy(() -> registry.update(ids("dev3"), d -> d.toBuilder().setIds(
        d.getIds().toBuilder().setDevEui("0000000000000001")).build(), Durability.DURABLE))
        .isInstanceOf(EntityAlreadyExistsException.class);
    assertThat(registry.get(ids("dev1"))).contains(created);
    assertThat(registry.get(ids("dev3"))).isEqualTo(stored("dev3"));
    assertThat(registry.get(ids("dev2"))).isEmpty();
  }

  @Test
  void aMutatorThatThrowsChangesNothing() {
    EndDevice created = registry.create(abp("dev1", "0000000000000001", "26000001"));
    assertThatThrownBy(() -> registry.update(ids("dev1"), d -> {
      throw new IllegalStateException("abort");
    }, Durability.DURABLE)).isInstanceOf(IllegalStateException.class);
    assertThat(registry.get(ids("dev1"))).contains(created);
  }

  @Test
  void aFailedWriteDropsTheCachedDeviceSoTheNextReadAsksTheStore() {
    registry.create(abp("dev1", "0000000000000001", "26000001"));
    EndDevice v1 = registry.update(ids("dev1"), d -> withFCntUp(d, 1), Durability.DURABLE);

    // Not applied: the next read sees the previous device, from the store.
    store.failNextWrite.set(true);
    assertThatThrownBy(() -> registry.update(ids("dev1"), d -> withFCntUp(d, 2),
        Durability.DURABLE)).isInstanceOf(StoreException.class);
    int reads = store.deviceReads.get();
    assertThat(registry.get(ids("dev1"))).contains(v1);
    assertThat(store.deviceReads.get()).isEqualTo(reads + 1);

    // Applied although reported failed (e.g. the sync failed after the write): the store wins.
    store.applyFailedWrite = true;
    store.failNextWrite.set(true);
    assertThatThrownBy(() -> registry.update(ids("dev1"), d -> withFCntUp(d, 3),
        Durability.DURABLE)).isInstanceOf(StoreException.class);
    assertThat(registry.get(ids("dev1")).orElseThrow().getSession().getLastFCntUp()).isEqualTo(3);
    assertThat(registry.get(ids("dev1"))).isEqualTo(stored("dev1"));

    store.failNextWrite.set(true);
    assertThatThrownBy(() -> registry.delete(ids("dev1"))).isInstanceOf(StoreException.class);
    assertThat(registry.get(ids("dev1"))).isEqualTo(stored("dev1")).isEmpty();
  }

  @Test
  void theCacheStaysWithinItsBoundAndReadsStayCorrect() {
    registry = registry(8);
    List<EndDevice> created = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      created.add(registry.create(abp("dev" + i, String.format("%016X", i + 1),
          String.format("26%06X", i))));
    }
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 50; i++) {
        assertThat(registry.get(ids("dev" + i))).contains(created.get(i));
        assertThat(registry.byDevAddr(String.format("26%06X", i))).containsExactly(created.get(i));
        assertThat(registry.cache().size()).isLessThanOrEqualTo(8);
      }
    }
  }

  @Test
  void concurrentUpdatesAndReadsOfSharedAndDistinctDevicesLoseNothing() throws Exception {
    for (int capacity : new int[] {1, 4, 1024}) {
      store.close();
      setUp();
      registry = registry(capacity);
      int devices = 6;
      int threads = 6;
      int updatesPerThread = 300;
      for (int i = 0; i < devices; i++) {
        registry.create(abp("dev" + i, String.format("%016X", i + 1), String.format("26%06X", i)));
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<int[]>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          Random random = new Random(thread);
          int[] mine = new int[devices];
          int[] seen = new int[devices];
          start.await();
          for (int n = 0; n < updatesPerThread; n++) {
            // Half the threads share device 0, the others spread over all devices.
            int dev = thread % 2 == 0 ? 0 : random.nextInt(devices);
            EndDevice after = registry.update(ids("dev" + dev),
                d -> withFCntUp(d, d.getSession().getLastFCntUp() + 1), Durability.BUFFERED);
            mine[dev]++;
            int fCnt = after.getSession().getLastFCntUp();
            assertThat(fCnt).as("capacity %d, dev%d: my update", capacity, dev)
                .isGreaterThan(seen[dev]);
            seen[dev] = fCnt;
            // A read after my write never sees an older device: by key, by EUI, by DevAddr.
            int r = random.nextInt(devices);
            int byKey = registry.get(ids("dev" + r)).orElseThrow().getSession().getLastFCntUp();
            assertThat(byKey).as("capacity %d, dev%d: by key", capacity, r)
                .isGreaterThanOrEqualTo(seen[r]);
            seen[r] = byKey;
            int byAddr = registry.byDevAddr(String.format("26%06X", r)).get(0).getSession()
                .getLastFCntUp();
            assertThat(byAddr).as("capacity %d, dev%d: by DevAddr", capacity, r)
                .isGreaterThanOrEqualTo(seen[r]);
            seen[r] = byAddr;
            int byEui = registry.getByEui("70B3D57ED0000000", String.format("%016X", r + 1))
                .orElseThrow().getSession().getLastFCntUp();
            assertThat(byEui).as("capacity %d, dev%d: by EUI", capacity, r)
                .isGreaterThanOrEqualTo(seen[r]);
            seen[r] = byEui;
          }
          return mine;
        }));
      }
      start.countDown();
      int[] total = new int[devices];
      for (Future<int[]> f : results) {
        int[] mine = f.get(5, TimeUnit.MINUTES);
        for (int i = 0; i < devices; i++) {
          total[i] += mine[i];
        }
      }
      pool.shutdown();
      for (int i = 0; i < devices; i++) {
        EndDevice stored = stored("dev" + i).orElseThrow();
        assertThat(stored.getSession().getLastFCntUp()).as("capacity %d, dev%d", capacity, i)
            .isEqualTo(total[i]);
        assertThat(registry.get(ids("dev" + i))).contains(stored);
      }
      assertThat(registry.cache().size()).isLessThanOrEqualTo(capacity);
    }
  }
}
