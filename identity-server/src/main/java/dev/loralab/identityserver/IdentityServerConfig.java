package dev.loralab.identityserver;

import dev.loralab.identityserver.store.RocksDbStore;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Configuration of the identity server.
 *
 * @param dataDirectory where the database ({@code <dir>/db}) and the admin API key file
 *     ({@code <dir>/admin-api-key}) live
 * @param storeKind the storage backend
 * @param apiKeyHashIterations PBKDF2 iterations for new API key hashes (at least 100 000 outside
 *     tests)
 * @param authCacheCapacity how many successful API key verifications are cached
 * @param maxPageSize the largest page of a list (also the page size when none is asked for)
 * @param endDeviceCacheCapacity how many parsed end devices the registry caches at most (0: none);
 *     the cache serves the re-reads of a device within one uplink or join, so it needs to cover
 *     the devices in flight, not every registered device
 * @param rocksDbSettings the RocksDB store's group commit settings (used with {@link
 *     StoreKind#ROCKSDB})
 * @param devAddrCacheCapacity how many DevAddrs the registry caches the device keys of at most
 *     (0: none; every data uplink's DevAddr lookup then scans the store's index)
 */
public record IdentityServerConfig(Path dataDirectory, StoreKind storeKind, int apiKeyHashIterations,
    int authCacheCapacity, int maxPageSize, int endDeviceCacheCapacity,
    RocksDbStore.Settings rocksDbSettings, int devAddrCacheCapacity) {

  /** The storage backends. */
  public enum StoreKind {
    /** Embedded RocksDB in {@code <data-dir>/db} (default). */
    ROCKSDB,
    /** In memory, lost on close (tests, demos). */
    IN_MEMORY
  }

  /** Default data directory. */
  public static final Path DEFAULT_DATA_DIRECTORY = Path.of("data");
  /** Default PBKDF2 iterations. */
  public static final int DEFAULT_HASH_ITERATIONS = 120_000;
  /** Default verification cache capacity. */
  public static final int DEFAULT_AUTH_CACHE_CAPACITY = 10_000;
  /** Default maximum page size. */
  public static final int DEFAULT_MAX_PAGE_SIZE = 1_000;
  /**
   * Default end device cache capacity: 32 768 devices, some tens of MiB of heap, enough for the
   * devices in flight at tens of thousands of uplinks per second.
   */
  public static final int DEFAULT_END_DEVICE_CACHE_CAPACITY = 32_768;
  /**
   * Default DevAddr cache capacity: 2 097 152 addresses (an immutable list of device keys each,
   * most of one key; ~130 bytes per address in use, ~2 MiB when empty), so that the data uplinks of
   * a fleet of a million devices find their devices without a scan of the DevAddr index (~8 µs
   * each): at half load few of its 4-way sets hold more addresses than ways (at full load, a
   * million addresses in 1 048 576 ways, about one read in ten scanned). Unlike the end device
   * cache, it need not shrink to the devices in flight: an entry is written once per session, not
   * per uplink, so it does not churn the young generation.
   */
  public static final int DEFAULT_DEV_ADDR_CACHE_CAPACITY = 2_097_152;

  /** The configuration with the default end device cache capacity and store settings. */
  public IdentityServerConfig(Path dataDirectory, StoreKind storeKind, int apiKeyHashIterations,
      int authCacheCapacity, int maxPageSize) {
    this(dataDirectory, storeKind, apiKeyHashIterations, authCacheCapacity, maxPageSize,
        DEFAULT_END_DEVICE_CACHE_CAPACITY);
  }

  /** The configuration with the default store settings. */
  public IdentityServerConfig(Path dataDirectory, StoreKind storeKind, int apiKeyHashIterations,
      int authCacheCapacity, int maxPageSize, int endDeviceCacheCapacity) {
    this(dataDirectory, storeKind, apiKeyHashIterations, authCacheCapacity, maxPageSize,
        endDeviceCacheCapacity, RocksDbStore.Settings.defaults());
  }

  /** The configuration with the default DevAddr cache capacity. */
  public IdentityServerConfig(Path dataDirectory, StoreKind storeKind, int apiKeyHashIterations,
      int authCacheCapacity, int maxPageSize, int endDeviceCacheCapacity,
      RocksDbStore.Settings rocksDbSettings) {
    this(dataDirectory, storeKind, apiKeyHashIterations, authCacheCapacity, maxPageSize,
        endDeviceCacheCapacity, rocksDbSettings, DEFAULT_DEV_ADDR_CACHE_CAPACITY);
  }

  /** Validates the values. */
  public IdentityServerConfig {
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(storeKind, "storeKind");
    Objects.requireNonNull(rocksDbSettings, "rocksDbSettings");
    if (apiKeyHashIterations < 1) {
      throw new IllegalArgumentException("apiKeyHashIterations: expected >= 1, found "
          + apiKeyHashIterations);
    }
    if (authCacheCapacity < 1) {
      throw new IllegalArgumentException("authCacheCapacity: expected >= 1, found "
          + authCacheCapacity);
    }
    if (maxPageSize < 1) {
      throw new IllegalArgumentException("maxPageSize: expected >= 1, found " + maxPageSize);
    }
    if (endDeviceCacheCapacity < 0) {
      throw new IllegalArgumentException("endDeviceCacheCapacity: expected >= 0, found "
          + endDeviceCacheCapacity);
    }
    if (devAddrCacheCapacity < 0) {
      throw new IllegalArgumentException("devAddrCacheCapacity: expected >= 0, found "
          + devAddrCacheCapacity);
    }
  }

  /**
   * Defaults: {@code ./data}, RocksDB, 120 000 iterations, 10 000 cached keys, pages of 1 000,
   * 32 768 cached end devices, {@linkplain RocksDbStore.Settings#defaults() default store
   * settings}, {@link #DEFAULT_DEV_ADDR_CACHE_CAPACITY} cached DevAddrs.
   */
  public static IdentityServerConfig defaults() {
    return new IdentityServerConfig(DEFAULT_DATA_DIRECTORY, StoreKind.ROCKSDB,
        DEFAULT_HASH_ITERATIONS, DEFAULT_AUTH_CACHE_CAPACITY, DEFAULT_MAX_PAGE_SIZE,
        DEFAULT_END_DEVICE_CACHE_CAPACITY, RocksDbStore.Settings.defaults());
  }

  /** This configuration with other RocksDB store settings (e.g. the commit linger). */
  public IdentityServerConfig withRocksDbSettings(RocksDbStore.Settings settings) {
    return new IdentityServerConfig(dataDirectory, storeKind, apiKeyHashIterations,
        authCacheCapacity, maxPageSize, endDeviceCacheCapacity, settings, devAddrCacheCapacity);
  }

  /** This configuration with another data directory. */
  public IdentityServerConfig withDataDirectory(Path dir) {
    return new IdentityServerConfig(dir, storeKind, apiKeyHashIterations, authCacheCapacity,
        maxPageSize, endDeviceCacheCapacity, rocksDbSettings, devAddrCacheCapacity);
  }

  /** This configuration with another store kind. */
  public IdentityServerConfig withStoreKind(StoreKind kind) {
    return new IdentityServerConfig(dataDirectory, kind, apiKeyHashIterations, authCacheCapacity,
        maxPageSize, endDeviceCacheCapacity, rocksDbSettings, devAddrCacheCapacity);
  }

  /** This configuration with another PBKDF2 iteration count. */
  public IdentityServerConfig withApiKeyHashIterations(int iterations) {
    return new IdentityServerConfig(dataDirectory, storeKind, iterations, authCacheCapacity,
        maxPageSize, endDeviceCacheCapacity, rocksDbSettings, devAddrCacheCapacity);
  }

  /** This configuration with another maximum page size. */
  public IdentityServerConfig withMaxPageSize(int size) {
    return new IdentityServerConfig(dataDirectory, storeKind, apiKeyHashIterations,
        authCacheCapacity, size, endDeviceCacheCapacity, rocksDbSettings, devAddrCacheCapacity);
  }

  /** This configuration with another end device cache capacity (0 disables the cache). */
  public IdentityServerConfig withEndDeviceCacheCapacity(int capacity) {
    return new IdentityServerConfig(dataDirectory, storeKind, apiKeyHashIterations,
        authCacheCapacity, maxPageSize, capacity, rocksDbSettings, devAddrCacheCapacity);
  }

  /** This configuration with another DevAddr cache capacity (0 disables the cache). */
  public IdentityServerConfig withDevAddrCacheCapacity(int capacity) {
    return new IdentityServerConfig(dataDirectory, storeKind, apiKeyHashIterations,
        authCacheCapacity, maxPageSize, endDeviceCacheCapacity, rocksDbSettings, capacity);
  }

  /** The database directory, {@code <data-dir>/db}. */
  public Path databaseDirectory() {
    return dataDirectory.resolve("db");
  }

  /** The admin API key file, {@code <data-dir>/admin-api-key}. */
  public Path adminApiKeyFile() {
    return dataDirectory.resolve("admin-api-key");
  }
}
