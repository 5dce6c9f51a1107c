package dev.loralab.identityserver;

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
 */
public record IdentityServerConfig(Path dataDirectory, StoreKind storeKind, int apiKeyHashIterations,
    int authCacheCapacity, int maxPageSize) {

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

  /** Validates the values. */
  public IdentityServerConfig {
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(storeKind, "storeKind");
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
  }

  /** Defaults: {@code ./data}, RocksDB, 120 000 iterations, 10 000 cached keys, pages of 1 000. */
  public static IdentityServerConfig defaults() {
    return new IdentityServerConfig(DEFAULT_DATA_DIRECTORY, StoreKind.ROCKSDB,
        DEFAULT_HASH_ITERATIONS, DEFAULT_AUTH_CACHE_CAPACITY, DEFAULT_MAX_PAGE_SIZE);
  }

  /** This configuration with another data directory. */
  public IdentityServerConfig withDataDirectory(Path dir) {
    return new IdentityServerConfig(dir, storeKind, apiKeyHashIterations, authCacheCapacity,
        maxPageSize);
  }

  /** This configuration with another store kind. */
  public IdentityServerConfig withStoreKind(StoreKind kind) {
    return new IdentityServerConfig(dataDirectory, kind, apiKeyHashIterations, authCacheCapacity,
        maxPageSize);
  }

  /** This configuration with another PBKDF2 iteration count. */
  public IdentityServerConfig withApiKeyHashIterations(int iterations) {
    return new IdentityServerConfig(dataDirectory, storeKind, iterations, authCacheCapacity,
        maxPageSize);
  }

  /** This configuration with another maximum page size. */
  public IdentityServerConfig withMaxPageSize(int size) {
    return new IdentityServerConfig(dataDirectory, storeKind, apiKeyHashIterations,
        authCacheCapacity, size);
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
