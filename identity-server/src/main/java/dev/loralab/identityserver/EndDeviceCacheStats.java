package dev.loralab.identityserver;

/**
 * Counters of the end device registry's parsed-device cache, for metrics.
 *
 * @param capacity the configured number of entries (0: no cache)
 * @param hits reads answered from the cache since start
 * @param misses reads that parsed the device from the store since start
 * @param keyOnlyMisses those of the misses that found the device's key cached without the
 *     device, kept so while the fleet does not fit the cache: they would have been hits
 * @param fleetFits whether the devices read recently fit the cache, so that written devices are
 *     cached (and uplink updates merged)
 */
public record EndDeviceCacheStats(int capacity, long hits, long misses, long keyOnlyMisses,
    boolean fleetFits) {
  /** Validates that no value is negative and that the key-only misses are among the misses. */
  public EndDeviceCacheStats {
    if (capacity < 0 || hits < 0 || misses < 0 || keyOnlyMisses < 0 || keyOnlyMisses > misses) {
      throw new IllegalArgumentException("cache stats: expected non-negative values and key-only"
          + " misses among the misses, found capacity " + capacity + ", hits " + hits
          + ", misses " + misses + ", key-only misses " + keyOnlyMisses);
    }
  }
}
