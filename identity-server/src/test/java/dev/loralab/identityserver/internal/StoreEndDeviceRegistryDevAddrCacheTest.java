package dev.loralab.identityserver.internal;

import static dev.loralab.identityserver.internal.StoreEndDeviceRegistryCacheTest.abp;
import static dev.loralab.identityserver.internal.StoreEndDeviceRegistryCacheTest.ids;
import static dev.loralab.identityserver.internal.StoreEndDeviceRegistryCacheTest.withFCntUp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.identityserver.IdentityServerConfig;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.Entry;
import dev.loralab.identityserver.store.KeyedLocks;
import dev.loralab.identityserver.store.Namespace;
import dev.loralab.identityserver.store.ProtoTable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The DevAddr index cache: cached lookups make no store scan, frame counter updates keep it,
 * address changes reach readers only when their write completes, and a failed write leaves it
 * as the store is.
 */
class StoreEndDeviceRegistryDevAddrCacheTest {
  /** Counts scans of the DevAddr index. */
  static final class ScanCountingStore extends ForwardingStore {
    final AtomicInteger addrScans = new AtomicInteger();

    @Override
    public List<Entry> scan(Namespace namespace, String prefix) {
      if (namespace.equals(Namespaces.END_DEVICE_ADDRS)) {
        addrScans.incrementAndGet();
      }
      return inner.scan(namespace, prefix);
    }
  }

  final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  final EntityValidation validation = new EntityValidation(id -> true);

  static Application app() {
    return Application.newBuilder()
        .setIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1")).build();
  }

  static EndDevice withAddr(EndDevice d, String addr) {
    return d.toBuilder().setSession(d.getSession().toBuilder().setDevAddr(addr)).build();
  }

  @Test
  void cachedLookupsDoNotScanAndFrameCounterUpdatesKeepTheEntry() {
    try (ScanCountingStore store = new ScanCountingStore()) {
      new ProtoTable<>(store, Namespaces.APPLICATIONS, Application.parser())
          .put("app1", app(), Durability.DURABLE);
      var registry = new StoreEndDeviceRegistry(store, validation, clock, new KeyedLocks(), 64);
      registry.create(abp("dev1", "0000000000000001", "26000001"));
      registry.create(abp("dev2", "0000000000000002", "26000001"));

      assertThat(registry.byDevAddr("26000001")).extracting(d -> d.getIds().getDeviceId())
          .containsExactly("dev1", "dev2");
      assertThat(registry.byDevAddr("26000009")).isEmpty();
      assertThat(store.addrScans).hasValue(2);

      registry.update(ids("dev1"), d -> withFCntUp(d, 7), Durability.DURABLE);
      assertThat(registry.byDevAddr("26000001")).extracting(d -> d.getSession().getLastFCntUp())
          .containsExactly(7, 0);
      assertThat(registry.byDevAddr("26000009")).isEmpty();
      assertThat(registry.byDevAddr("26000001")).hasSize(2);
      assertThat(store.addrScans).hasValue(2);

      registry.update(ids("dev2"), d -> withAddr(d, "26000009"), Durability.DURABLE);
      assertThat(registry.byDevAddr("26000001")).extracting(d -> d.getIds().getDeviceId())
          .containsExactly("dev1");
      assertThat(registry.byDevAddr("26000009")).extracting(d -> d.getIds().getDeviceId())
          .containsExactly("dev2");
      assertThat(store.addrScans).hasValue(4);
    }
  }

  @Test
  void capacityZeroScansEveryTime() {
    try (ScanCountingStore store = new ScanCountingStore()) {
      new ProtoTable<>(store, Namespaces.APPLICATIONS, Application.parser())
          .put("app1", app(), Durability.DURABLE);
      var registry =
          new StoreEndDeviceRegistry(store, validation, clock, new KeyedLocks(), 64, 0);
      registry.create(abp("dev1", "0000000000000001", "26000001"));
      registry.byDevAddr("26000001");
      registry.byDevAddr("26000001");
      assertThat(store.addrScans).hasValue(2);
      assertThat(registry.devAddrCache().size()).isZero();
    }
  }

  @Test
  void theConfigurationCarriesTheCapacity() {
    assertThat(IdentityServerConfig.defaults().devAddrCacheCapacity())
        .isEqualTo(IdentityServerConfig.DEFAULT_DEV_ADDR_CACHE_CAPACITY);
    assertThat(IdentityServerConfig.defaults().withDevAddrCacheCapacity(5)
        .withMaxPageSize(7).devAddrCacheCapacity()).isEqualTo(5);
  }

  @Test
  void aPendingAddressChangeReachesReadersOnlyOnCompletionAndAFailedOneNever() throws Exception {
    var store = new StoreEndDeviceRegistryAsyncTest.DeferredStore();
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      new ProtoTable<>(store.inner, Namespaces.APPLICATIONS, Application.parser())
          .put("app1", app(), Durability.DURABLE);
      var registry = new StoreEndDeviceRegistry(store, validation, clock, new KeyedLocks(), 64);
      Future<EndDevice> created = background.submit(
          () -> registry.create(abp("dev1", "0000000000000001", "26000001")));
      store.awaitQueued(1);
      store.completeNext();
      created.get(30, TimeUnit.SECONDS);

      CompletableFuture<EndDevice> moved = registry.updateAsync(ids("dev1"),
          d -> withAddr(d, "26000002"), Durability.DURABLE);
      CompletableFuture<EndDevice> counted = registry.updateAsync(ids("dev1"),
          d -> withFCntUp(d, 3), Durability.DURABLE);
      // Pending: both addresses read (and cached) as the store has them.
      assertThat(registry.byDevAddr("26000001")).hasSize(1);
      assertThat(registry.byDevAddr("26000002")).isEmpty();

      store.completeNext();
      assertThat(moved).isCompleted();
      assertThat(registry.byDevAddr("26000001")).isEmpty();
      assertThat(registry.byDevAddr("26000002")).singleElement()
          .extracting(d -> d.getSession().getDevAddr()).isEqualTo("26000002");
      store.completeNext();
      assertThat(counted.join().getSession().getLastFCntUp()).isEqualTo(3);

      CompletableFuture<EndDevice> failed = registry.updateAsync(ids("dev1"),
          d -> withAddr(d, "26000003"), Durability.DURABLE);
      assertThat(registry.byDevAddr("26000003")).isEmpty();
      store.failNext();
      assertThat(failed).isCompletedExceptionally();
      assertThat(registry.byDevAddr("26000003")).isEmpty();
      assertThat(registry.byDevAddr("26000002")).singleElement()
          .extracting(d -> d.getSession().getLastFCntUp()).isEqualTo(3);
    } finally {
      background.shutdownNow();
      store.close();
    }
  }
}
