package dev.loralab.cli.stack.internal;

import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationWebhook;
import dev.loralab.api.v3.ApplicationWebhookIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.MessagePayloadFormatters;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.applicationserver.ApplicationServerStore;
import dev.loralab.applicationserver.AsSession;
import dev.loralab.cli.config.StackConfig;
import dev.loralab.identityserver.EndDeviceRegistry;
import dev.loralab.identityserver.store.DirectMappedCache;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.KeyValueStore;
import dev.loralab.identityserver.store.KeyedLocks;
import dev.loralab.identityserver.store.Namespace;
import dev.loralab.identityserver.store.ProtoTable;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The application server's {@link ApplicationServerStore}: devices from the identity server's
 * {@link EndDeviceRegistry}; AS sessions, application formatters and webhooks in namespaces of the
 * same database ({@code as-sessions}, {@code as-formatters}, {@code as-webhooks}), written durably.
 *
 * <p>Parsed AS sessions, application formatters (or their absence) and each application's webhook
 * list are kept in bounded write-through caches ({@link DirectMappedCache}; absence is cached
 * too, as an empty {@code Optional}), so that an uplink of a recently seen device needs
 * no database read or scan, protobuf parse, AppSKey or DevAddr parse. So are the devices' own
 * formatters ({@link #deviceFormatters}), kept up to date by the registry's write listener: the
 * network server's write of an uplink's frame counter puts the device's formatters in that cache
 * just before the uplink reaches the application server, which then never reads the whole device
 * for it (the registry need not keep the device either). This store must be the only
 * writer of its three namespaces (one instance per database): a value written by
 * anyone else could be answered stale from the cache. Reads are never stale otherwise: a write goes
 * to the database first and then to the cache, serialized per key with the other writes of the key,
 * and a read that missed installs what it loaded only if no write touched the key's slot since the
 * read began.
 */
public final class RegistryApplicationServerStore implements ApplicationServerStore {

  /** The default number of cached sessions (~250 bytes each), the stack's default. */
  public static final int DEFAULT_SESSION_CACHE_SIZE = StackConfig.ApplicationServer.DEFAULT_SESSION_CACHE;
  /** The number of applications whose default payload formatters are cached. */
  public static final int DEFAULT_FORMATTERS_CACHE_SIZE = 1_024;
  /** Lock-key prefixes: a device's session and an application's formatters never share a lock. */
  private static final String SESSION_LOCK = "s/";
  private static final String FORMATTERS_LOCK = "f/";
  private static final String WEBHOOKS_LOCK = "w/";

  private final EndDeviceRegistry devices;
  private final ProtoTable<Session> sessions;
  private final DirectMappedCache<String, Optional<AsSession>> sessionCache;
  private final KeyedLocks writes = new KeyedLocks();
  private final ProtoTable<MessagePayloadFormatters> formatters;
  private final DirectMappedCache<String, Optional<MessagePayloadFormatters>> formattersCache;
  /** Each device's own formatters (or their absence, also of unknown devices), by device key. */
  private final DirectMappedCache<String, Optional<MessagePayloadFormatters>> deviceFormattersCache;
  private final ProtoTable<ApplicationWebhook> webhooks;
  /** Each application's webhook list, immutable; invalidated by every webhook write. */
  private final DirectMappedCache<String, List<ApplicationWebhook>> webhooksCache;

  /**
   * A store caching up to {@link #DEFAULT_SESSION_CACHE_SIZE} sessions and the formatters of up
   * to {@link #DEFAULT_FORMATTERS_CACHE_SIZE} applications.
   *
   * @param devices the device registry
   * @param store   the database
   */
  public RegistryApplicationServerStore(EndDeviceRegistry devices, KeyValueStore store) {
    this(devices, store, DEFAULT_SESSION_CACHE_SIZE);
  }

  /**
   * @param devices          the device registry
   * @param store            the database
   * @param sessionCacheSize the most AS sessions kept parsed in memory; 0 disables the cache
   */
  public RegistryApplicationServerStore(EndDeviceRegistry devices, KeyValueStore store,
      int sessionCacheSize) {
    this(devices, store, sessionCacheSize, DEFAULT_FORMATTERS_CACHE_SIZE);
  }

  /**
   * @param devices             the device registry
   * @param store               the database
   * @param sessionCacheSize    the most AS sessions kept parsed in memory, and the most devices
   *                            whose own formatters (or their absence) are kept; 0 disables these
   *                            caches
   * @param formattersCacheSize the most applications whose default formatters (or their absence)
   *                            and webhook lists are kept in memory; 0 disables these caches
   */
  public RegistryApplicationServerStore(EndDeviceRegistry devices, KeyValueStore store,
      int sessionCacheSize, int formattersCacheSize) {
    this.devices = Objects.requireNonNull(devices, "devices");
    this.sessions = new ProtoTable<>(store, Namespace.of("as-sessions"), Session.parser());
    this.sessionCache = new DirectMappedCache<>("sessionCacheSize", sessionCacheSize);
    this.deviceFormattersCache = new DirectMappedCache<>("sessionCacheSize", sessionCacheSize);
    this.formattersCache = new DirectMappedCache<>("formattersCacheSize", formattersCacheSize);
    this.webhooksCache = new DirectMappedCache<>("formattersCacheSize", formattersCacheSize);
    this.formatters = new ProtoTable<>(store, Namespace.of("as-formatters"), MessagePayloadFormatters.parser());
    this.webhooks = new ProtoTable<>(store, Namespace.of("as-webhooks"), ApplicationWebhook.parser());
    devices.addWriteListener(this::deviceWritten);
  }

  /**
   * The registry's report of a completed device write (in the order of the device's writes): the
   * cache of the device's formatters follows, as the registry's own cache does.
   */
  private void deviceWritten(String key, EndDevice stored) {
    if (stored == null) {
      deviceFormattersCache.invalidate(key);
    } else {
      deviceFormattersCache.put(key, ApplicationServerStore.ownFormatters(stored));
    }
  }

  @Override
  public Optional<AsSession> session(EndDeviceIdentifiers ids) {
    return sessionCache.get(deviceKey(ids), this::loadSession);
  }

  private Optional<AsSession> loadSession(String key) {
    return sessions.get(key).map(s -> new AsSession(s.getKeys().getSessionKeyId(),
        AesKey.parse(s.getKeys().getAppSKey().getKey()), DevAddr.parse(s.getDevAddr()),
        Integer.toUnsignedLong(s.getLastAFCntDown())));
  }

  @Override
  public void putSession(EndDeviceIdentifiers ids, AsSession session) {
    Objects.requireNonNull(session, "session");
    Session s = Session.newBuilder()
        .setDevAddr(session.devAddr().toString())
        .setKeys(SessionKeys.newBuilder().setSessionKeyId(session.sessionKeyId())
            .setAppSKey(KeyEnvelope.newBuilder().setKey(session.appSKey().toHex())))
        .setLastAFCntDown((int) session.lastAFCntDown())
        .build();
    String key = deviceKey(ids);
    // Cached as what a read of the stored message gives (the counter is 32-bit, the key its hex form).
    writes.withLock(SESSION_LOCK + key, () ->
        sessionCache.writeThrough(key, Optional.of(session),
            () -> sessions.put(key, s, Durability.DURABLE)));
  }

  /**
   * Deletes the AS session of a device (no-op if there is none); the cache forgets it after the
   * durable delete.
   */
  public void deleteSession(EndDeviceIdentifiers ids) {
    String key = deviceKey(ids);
    writes.withLock(SESSION_LOCK + key, () -> {
      try {
        sessions.delete(key, Durability.DURABLE);
      } finally {
        sessionCache.invalidate(key);
      }
    });
  }

  /** The most AS sessions the cache holds (its capacity; 0: no cache). */
  public int sessionCacheCapacity() {
    return sessionCache.capacity();
  }

  /** How many AS sessions the cache holds (scans the cache; for tests and metrics). */
  public int cachedSessions() {
    return sessionCache.count(Optional::isPresent);
  }

  /** How many applications' formatters the cache holds (scans the cache; for tests and metrics). */
  public int cachedApplicationFormatters() {
    return formattersCache.count(Optional::isPresent);
  }

  @Override
  public Optional<EndDevice> endDevice(EndDeviceIdentifiers ids) {
    return devices.get(ids);
  }

  /** {@inheritDoc} From the cache, else read from the registry once. */
  @Override
  public Optional<MessagePayloadFormatters> deviceFormatters(EndDeviceIdentifiers ids) {
    return deviceFormattersCache.get(deviceKey(ids),
        k -> devices.get(ids).flatMap(ApplicationServerStore::ownFormatters));
  }

  /** How many devices' own formatters (or their absence) the cache holds (for tests). */
  int cachedDeviceFormatters() {
    return deviceFormattersCache.size();
  }

  @Override
  public Optional<MessagePayloadFormatters> applicationFormatters(ApplicationIdentifiers ids) {
    return formattersCache.get(ids.getApplicationId(), formatters::get);
  }

  @Override
  public void setApplicationFormatters(ApplicationIdentifiers ids, MessagePayloadFormatters f) {
    Objects.requireNonNull(f, "formatters");
    String key = ids.getApplicationId();
    writes.withLock(FORMATTERS_LOCK + key, () ->
        formattersCache.writeThrough(key, Optional.of(f),
            () -> formatters.put(key, f, Durability.DURABLE)));
  }

  /** {@inheritDoc} The list is immutable. */
  @Override
  public List<ApplicationWebhook> webhooks(ApplicationIdentifiers ids) {
    return webhooksCache.get(ids.getApplicationId(), app -> List.copyOf(webhooks.scan(app + "/")));
  }

  @Override
  public Optional<ApplicationWebhook> webhook(ApplicationWebhookIdentifiers ids) {
    return webhooks.get(webhookKey(ids));
  }

  @Override
  public void putWebhook(ApplicationWebhook webhook) {
    String app = webhook.getIds().getApplicationIds().getApplicationId();
    writes.withLock(WEBHOOKS_LOCK + app, () -> {
      try {
        webhooks.put(webhookKey(webhook.getIds()), webhook, Durability.DURABLE);
      } finally {
        webhooksCache.invalidate(app); // the next read lists the application's webhooks again
      }
    });
  }

  @Override
  public boolean deleteWebhook(ApplicationWebhookIdentifiers ids) {
    String app = ids.getApplicationIds().getApplicationId();
    return writes.withLock(WEBHOOKS_LOCK + app, () -> {
      try {
        boolean existed = webhooks.get(webhookKey(ids)).isPresent();
        webhooks.delete(webhookKey(ids), Durability.DURABLE);
        return existed;
      } finally {
        webhooksCache.invalidate(app);
      }
    });
  }

  private static String deviceKey(EndDeviceIdentifiers ids) {
    return ids.getApplicationIds().getApplicationId() + "/" + ids.getDeviceId();
  }

  private static String webhookKey(ApplicationWebhookIdentifiers ids) {
    return ids.getApplicationIds().getApplicationId() + "/" + ids.getWebhookId();
  }
}
