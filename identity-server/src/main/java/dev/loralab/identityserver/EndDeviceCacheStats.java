package dev.loralab.identityserver;

/**
 * Counters of the end device registry's parsed-device cache, for metrics.
 *
 * @param capacity the configured number of entries (0: no cache)
 * @param hits reads answered from the cache since start
 * @param misses reads that parsed the device from the store since start
 */
public record EndDeviceCacheStats(int capacity, long hits, long misses) {
  /** Validates that no value is negative. */
  public EndDeviceCacheStats {
    if (capacity < 0 || hits < 0 || misses < 0) {
      throw new IllegalArgumentException("cache stats: expected non-negative values, found capacity "
          + capacity + ", hits " + hits + ", misses " + misses);
    }
  }
}
