package dev.loralab.cli.stack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationWebhook;
import dev.loralab.api.v3.ApplicationWebhookIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.MessagePayloadFormatters;
import dev.loralab.api.v3.PayloadFormatter;
import dev.loralab.api.v3.UserIdentifiers;
import dev.loralab.applicationserver.AsSession;
import dev.loralab.identityserver.EndDeviceRegistry;
import dev.loralab.identityserver.IdentityServer;
import dev.loralab.identityserver.IdentityServerConfig;
import dev.loralab.identityserver.store.Batch;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.Entry;
import dev.loralab.identityserver.store.InMemoryStore;
import dev.loralab.identityserver.store.KeyValueStore;
import dev.loralab.identityserver.store.Namespace;
import dev.loralab.identityserver.store.RocksDbStore;
import dev.loralab.identityserver.store.StoreException;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The caches of {@link RegistryApplicationServerStore} (sessions, formatters of applications and
 * devices, webhook lists): write-through, bounded, never stale.
 */
class RegistryApplicationServerStoreTest {

  private static final Namespace SESSIONS = Namespace.of("as-sessions");

  @TempDir Path dir;

  private IdentityServer is;
  private CountingStore db;

  @BeforeEach
  void open() {
    is = IdentityServer.builder(IdentityServerConfig.defaults().withDataDirectory(dir.resolve("is"))
        .withStoreKind(IdentityServerConfig.StoreKind.IN_MEMORY).withApiKeyHashIterations(1000))
        .writeAdminKeyFile(false).build();
    db = new CountingStore(new InMemoryStore());
  }

  @AfterEach
  void close() {
    is.close();
  }

  private static EndDeviceIdentifiers dev(int i) {
    return EndDeviceIdentifiers.newBuilder().setDeviceId("dev-" + i)
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1")).build();
  }

  private static AsSession session(int i, long lastAFCntDown) {
    return new AsSession(ByteString.copyFrom(new byte[] {(byte) i, 2, 3}),
        AesKey.parse(String.format("%032X", i)), DevAddr.parse(String.format("260B%04X", i)), lastAFCntDown);
  }

  @Test
  void aReadAfterAWriteOrAReadIsServedFromTheCache() {
    RegistryApplicationServerStore as = new RegistryApplicationServerStore(is.endDevices(), db, 64);
    assertThat(as.session(dev(1))).isEmpty(); // absence is cached too
    assertThat(as.session(dev(1))).isEmpty();
    assertThat(db.sessionReads.get()).isEqualTo(1);

    as.putSession(dev(1), session(1, 5));
    assertThat(db.sessionWrites.get()).isEqualTo(1);
    assertThat(as.session(dev(1))).contains(session(1, 5));
    assertThat(as.session(dev(1))).contains(session(1, 5));
    assertThat(db.sessionReads.get()).isEqualTo(1);

    // A session written before this store existed is read once, then cached.
    RegistryApplicationServerStore fresh = new RegistryApplicationServerStore(is.endDevices(), db, 64);
    assertThat(fresh.session(dev(1))).contains(session(1, 5));
    assertThat(fresh.session(dev(1))).contains(session(1, 5));
    assertThat(db.sessionReads.get()).isEqualTo(2);
    assertThat(fresh.cachedSessions()).isEqualTo(1);
  }

  @Test
  void aPutReplacesTheCachedSessionAfterTheDurableWrite() {
    RegistryApplicationServerStore as = new RegistryApplicationServerStore(is.endDevices(), db, 64);
    as.putSession(dev(1), session(1, 5));
    assertThat(as.session(dev(1))).contains(session(1, 5));
    as.putSession(dev(1), session(1, 6));
    assertThat(as.session(dev(1))).contains(session(1, 6));
    // The cached value is what the database holds, including the 32-bit counter's top.
    as.putSession(dev(1), session(1, AsSession.MAX_F_CNT));
    assertThat(as.session(dev(1))).contains(session(1, AsSession.MAX_F_CNT));
    assertThat(new RegistryApplicationServerStore(is.endDevices(), db, 0).session(dev(1)))
        .contains(session(1, AsSession.MAX_F_CNT));
    assertThat(db.lastDurability).isEqualTo(Durability.DURABLE);
  }

  @Test
  void aFailedWriteLeavesNoCachedValueBehind() {
    RegistryApplicationServerStore as = new RegistryApplicationServerStore(is.endDevices(), db, 64);
    as.putSession(dev(1), session(1, 5));
    assertThat(as.session(dev(1))).contains(session(1, 5));
    db.failWrites.set(true);
    assertThatThrownBy(() -> as.putSession(dev(1), session(1, 6))).isInstanceOf(StoreException.class);
    db.failWrites.set(false);
    int reads = db.sessionReads.get();
    assertThat(as.session(dev(1))).contains(session(1, 5)); // what the database holds
    assertThat(db.sessionReads.get()).isEqualTo(reads + 1);
  }

  @Test
  void aDeleteForgetsTheCachedSession() {
    RegistryApplicationServerStore as = new RegistryApplicationServerStore(is.endDevices(), db, 64);
    as.putSession(dev(1), session(1, 5));
    as.putSession(dev(2), session(2, 7));
    as.deleteSession(dev(1));
    assertThat(as.session(dev(1))).isEmpty();
    assertThat(db.get(SESSIONS, "app1/dev-1")).isEmpty();
    assertThat(as.session(dev(2))).contains(session(2, 7));
    as.deleteSession(dev(1)); // no-op
    as.putSession(dev(1), session(1, 9));
    assertThat(as.session(dev(1))).contains(session(1, 9));
  }

  @Test
  void theCacheHoldsAtMostItsBoundAndEvictedSessionsAreReadAgain() {
    RegistryApplicationServerStore as = new RegistryApplicationServerStore(is.endDevices(), db, 8);
    for (int i = 0; i < 200; i++) {
      as.putSession(dev(i), session(i, i));
    }
    assertThat(as.cachedSessions()).isBetween(1, 8);
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 200; i++) {
        assertThat(as.session(dev(i))).contains(session(i, i));
      }
    }
    assertThat(as.cachedSessions()).isBetween(1, 8);
    assertThat(db.sessionReads.get()).isGreaterThanOrEqualTo(2 * (200 - 8));

    RegistryApplicationServerStore uncached = new RegistryApplicationServerStore(is.endDevices(), db, 0);
    int reads = db.sessionReads.get();
    uncached.putSession(dev(1), session(1, 11));
    assertThat(uncached.session(dev(1))).contains(session(1, 11));
    assertThat(uncached.session(dev(1))).contains(session(1, 11));
    assertThat(db.sessionReads.get()).isEqualTo(reads + 2);
    assertThat(uncached.cachedSessions()).isZero();
    assertThatThrownBy(() -> new RegistryApplicationServerStore(is.endDevices(), db, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected >= 0, found -1");
  }

  @Test
  void theDefaultBoundIsUsedByTheTwoArgumentConstructor() {
    RegistryApplicationServerStore as = new RegistryApplicationServerStore(is.endDevices(), db);
    for (int i = 0; i < 1000; i++) {
      as.putSession(dev(i), session(i, i));
    }
    assertThat(as.cachedSessions()).isBetween(900, RegistryApplicationServerStore.DEFAULT_SESSION_CACHE_SIZE);
  }

  @Test
  void applicationFormattersAndTheirAbsenceAreCachedAndWrittenThrough() {
    RegistryApplicationServerStore as = new RegistryApplicationServerStore(is.endDevices(), db, 64, 4);
    ApplicationIdentifiers app1 = ApplicationIdentifiers.newBuilder().setApplicationId("app1").build();
    assertThat(as.applicationFormatters(app1)).isEmpty();
    assertThat(as.applicationFormatters(app1)).isEmpty();
    assertThat(db.formatterReads.get()).isEqualTo(1);
    MessagePayloadFormatters lpp = MessagePayloadFormatters.newBuilder()
        .setUpFormatter(PayloadFormatter.FORMATTER_CAYENNELPP).build();
    as.setApplicationFormatters(app1, lpp);
    assertThat(as.applicationFormatters(app1)).contains(lpp);
    assertThat(db.formatterReads.get()).isEqualTo(1);
    assertThat(as.cachedApplicationFormatters()).isEqualTo(1);

    db.failWrites.set(true);
    assertThatThrownBy(() -> as.setApplicationFormatters(app1, MessagePayloadFormatters.getDefaultInstance()))
        .isInstanceOf(StoreException.class);
    db.failWrites.set(false);
    assertThat(as.applicationFormatters(app1)).contains(lpp);
    assertThat(db.formatterReads.get()).isEqualTo(2);

    for (int i = 0; i < 50; i++) {
      ApplicationIdentifiers app = ApplicationIdentifiers.newBuilder().setApplicationId("app-" + i).build();
      as.setApplicationFormatters(app, lpp);
    }
    assertThat(as.cachedApplicationFormatters()).isBetween(1, 4);
    for (int i = 0; i < 50; i++) {
      ApplicationIdentifiers app = ApplicationIdentifiers.newBuilder().setApplicationId("app-" + i).build();
      assertThat(as.applicationFormatters(app)).contains(lpp);
    }
    // Another store on the same database (as after a restart) reads what was written.
    assertThat(new RegistryApplicationServerStore(is.endDevices(), db, 0, 0).applicationFormatters(app1))
        .contains(lpp);
    assertThatThrownBy(() -> new RegistryApplicationServerStore(is.endDevices(), db, 1, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("formattersCacheSize");
  }

  @Test
  void webhookListsAreCachedPerApplicationAndEveryWebhookWriteInvalidatesThem() {
    RegistryApplicationServerStore as = new RegistryApplicationServerStore(is.endDevices(), db, 64, 4);
    ApplicationIdentifiers app1 = ApplicationIdentifiers.newBuilder().setApplicationId("app1").build();
    ApplicationIdentifiers app2 = ApplicationIdentifiers.newBuilder().setApplicationId("app2").build();
    assertThat(as.webhooks(app1)).isEmpty();
    assertThat(as.webhooks(app1)).isEmpty();
    assertThat(db.webhookScans.get()).isEqualTo(1);

    ApplicationWebhook a = hook(app1, "a");
    ApplicationWebhook b = hook(app1, "b");
    as.putWebhook(b);
    as.putWebhook(a);
    as.putWebhook(hook(app2, "c"));
    assertThat(as.webhooks(app1)).containsExactly(a, b);
    assertThat(as.webhooks(app1)).containsExactly(a, b);
    assertThat(db.webhookScans.get()).isEqualTo(2);
    assertThatThrownBy(() -> as.webhooks(app1).clear()).isInstanceOf(UnsupportedOperationException.class);

    ApplicationWebhook a2 = a.toBuilder().setBaseUrl("http://example.org").build();
    as.putWebhook(a2);
    assertThat(as.webhooks(app1)).containsExactly(a2, b);
    assertThat(as.deleteWebhook(b.getIds())).isTrue();
    assertThat(as.webhooks(app1)).containsExactly(a2);
    assertThat(as.deleteWebhook(b.getIds())).isFalse();
    assertThat(as.webhooks(app2)).extracting(w -> w.getIds().getWebhookId()).containsExactly("c");

    db.failWrites.set(true);
    assertThatThrownBy(() -> as.putWebhook(b)).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> as.deleteWebhook(a2.getIds())).isInstanceOf(StoreException.class);
    db.failWrites.set(false);
    assertThat(as.webhooks(app1)).containsExactly(a2);
    assertThat(new RegistryApplicationServerStore(is.endDevices(), db, 0, 0).webhooks(app1)).containsExactly(a2);
  }

  private static ApplicationWebhook hook(ApplicationIdentifiers app, String id) {
    return ApplicationWebhook.newBuilder().setIds(ApplicationWebhookIdentifiers.newBuilder()
        .setApplicationIds(app).setWebhookId(id)).setBaseUrl("http://example.com/" + id).build();
  }

  private static final String DEVICE = """
      {"ids":{"device_id":"dev-%d","application_ids":{"application_id":"app1"},
        "dev_eui":"70B3D57E0000000%d","join_eui":"70B3D57ED0000000"},
       "lorawan_version":"MAC_V1_0_3","frequency_plan_id":"EU_863_870_TTN","supports_join":false,
       "session":{"dev_addr":"2600000%d","keys":{"f_nwk_s_int_key":{"key":"000102030405060708090A0B0C0D0E0F"},
         "app_s_key":{"key":"101112131415161718191A1B1C1D1E1F"}}}}""";

  /** The registry, counting its reads by key. */
  private EndDeviceRegistry countingGets(AtomicInteger gets) {
    EndDeviceRegistry real = is.endDevices();
    return (EndDeviceRegistry) Proxy.newProxyInstance(EndDeviceRegistry.class.getClassLoader(),
        new Class<?>[] {EndDeviceRegistry.class}, (proxy, method, args) -> {
          if (method.getName().equals("get")) {
            gets.incrementAndGet();
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void deviceFormattersAreReadOnceThenFollowEveryWriteOfTheDevice() {
    is.applications().create(Application.newBuilder().setIds(ApplicationIdentifiers.newBuilder()
        .setApplicationId("app1")).build(), UserIdentifiers.newBuilder().setUserId("admin").build());
    AtomicInteger gets = new AtomicInteger();
    RegistryApplicationServerStore as = new RegistryApplicationServerStore(countingGets(gets), db, 64);
    assertThat(as.deviceFormatters(dev(1))).isEmpty(); // unknown: absence is cached
    assertThat(as.deviceFormatters(dev(1))).isEmpty();
    assertThat(gets.get()).isEqualTo(1);

    EndDeviceRegistry devices = is.endDevices();
    devices.create(ProtoJson.parse(DEVICE.formatted(1, 1, 1), EndDevice.newBuilder()).build());
    assertThat(as.deviceFormatters(dev(1))).isEmpty();
    MessagePayloadFormatters cayenne = MessagePayloadFormatters.newBuilder()
        .setUpFormatter(PayloadFormatter.FORMATTER_CAYENNELPP).build();
    devices.update(dev(1), d -> d.toBuilder().setFormatters(cayenne).build(), Durability.DURABLE);
    assertThat(as.deviceFormatters(dev(1))).contains(cayenne);
    // the network server's frame counter writes keep them, as the asynchronous writes do
    devices.updateAsync(dev(1), d -> d.toBuilder().setSession(d.getSession().toBuilder()
        .setLastFCntUp(7)).build(), Durability.BUFFERED).join();
    assertThat(as.deviceFormatters(dev(1))).contains(cayenne);
    devices.update(dev(1), d -> d.toBuilder().clearFormatters().build(), Durability.DURABLE);
    assertThat(as.deviceFormatters(dev(1))).isEmpty();
    devices.update(dev(1), d -> d.toBuilder().setFormatters(cayenne).build(), Durability.DURABLE);
    assertThat(as.deviceFormatters(dev(1))).contains(cayenne);
    assertThat(gets.get()).as("the device itself is never read again").isEqualTo(1);
    devices.delete(dev(1));
    assertThat(as.cachedDeviceFormatters()).isEqualTo(0); // the delete forgot it
    assertThat(as.deviceFormatters(dev(1))).isEmpty();
    assertThat(gets.get()).isEqualTo(2);

    // without the cache, every call reads the device
    RegistryApplicationServerStore uncached =
        new RegistryApplicationServerStore(countingGets(gets), db, 0);
    devices.create(ProtoJson.parse(DEVICE.formatted(2, 2, 2), EndDevice.newBuilder()).build());
    devices.update(dev(2), d -> d.toBuilder().setFormatters(cayenne).build(), Durability.DURABLE);
    assertThat(uncached.deviceFormatters(dev(2))).contains(cayenne);
    assertThat(uncached.deviceFormatters(dev(2))).contains(cayenne);
    assertThat(gets.get()).isEqualTo(4);
  }

  @Test
  void afterARestartSessionsAreReadFromRocksDb() {
    Path db1 = dir.resolve("db");
    try (RocksDbStore rocks = RocksDbStore.open(db1)) {
      RegistryApplicationServerStore as = new RegistryApplicationServerStore(is.endDevices(), rocks);
      as.putSession(dev(1), session(1, 5));
      as.putSession(dev(1), session(1, 6));
      as.putSession(dev(2), session(2, 1));
      as.deleteSession(dev(2));
    }
    try (RocksDbStore rocks = RocksDbStore.open(db1)) {
      CountingStore counting = new CountingStore(rocks);
      RegistryApplicationServerStore as = new RegistryApplicationServerStore(is.endDevices(), counting);
      assertThat(as.cachedSessions()).isZero();
      assertThat(as.session(dev(1))).contains(session(1, 6));
      assertThat(as.session(dev(2))).isEmpty();
      assertThat(counting.sessionReads.get()).isEqualTo(2);
    }
  }

  /** Counts reads and writes of {@code as-sessions}; writes can be made to fail. */
  private static final class CountingStore implements KeyValueStore {
    final KeyValueStore delegate;
    final AtomicInteger sessionReads = new AtomicInteger();
    final AtomicInteger sessionWrites = new AtomicInteger();
    final AtomicInteger formatterReads = new AtomicInteger();
    final AtomicInteger webhookScans = new AtomicInteger();
    final AtomicBoolean failWrites = new AtomicBoolean();
    volatile Durability lastDurability;

    CountingStore(KeyValueStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<ByteString> get(Namespace namespace, String key) {
      if (namespace.equals(SESSIONS)) {
        sessionReads.incrementAndGet();
      } else if (namespace.name().equals("as-formatters")) {
        formatterReads.incrementAndGet();
      }
      return delegate.get(namespace, key);
    }

    @Override
    public void put(Namespace namespace, String key, ByteString value, Durability durability) {
      if (failWrites.get()) {
        throw new StoreException("disk full (test)");
      }
      if (namespace.equals(SESSIONS)) {
        sessionWrites.incrementAndGet();
        lastDurability = durability;
      }
      delegate.put(namespace, key, value, durability);
    }

    @Override
    public void delete(Namespace namespace, String key, Durability durability) {
      if (failWrites.get()) {
        throw new StoreException("disk full (test)");
      }
      delegate.delete(namespace, key, durability);
    }

    @Override
    public List<Entry> scan(Namespace namespace, String prefix) {
      if (namespace.name().equals("as-webhooks")) {
        webhookScans.incrementAndGet();
      }
      return delegate.scan(namespace, prefix);
    }

    @Override
    public void write(Batch batch, Durability durability) {
      delegate.write(batch, durability);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
