package dev.loralab.benchmarks;

import dev.loralab.identityserver.store.DirectMappedCache;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reads of {@link DirectMappedCache} as the end device registry makes them: a fleet of devices
 * ({@code app/dev-N}) in a cache of the default end device capacity (32,768), read round-robin,
 * direct-mapped (1 way) and set-associative (4 ways, the default, and 8).
 *
 * <ul>
 *   <li>{@code hit}: only the keys that the cache holds after one pass, so every read hits (the
 *       cost of a cached read: hash, set scan, key comparison).
 *   <li>{@code roundRobin}: every key of the fleet; a read that misses "loads" a constant (no
 *       store) and installs it, so this is the cache's own cost of the fleet's mix of hits and
 *       misses.
 *   <li>{@code hitFreshKey}: as {@code hit}, but each lookup key is a new String built as the
 *       registry builds it ({@code applicationId + "/" + deviceId}), so its hash is not yet
 *       computed; {@code freshKeyOnly} is that key construction (and hash) alone, to subtract.
 * </ul>
 *
 * <p>{@code countReads} is whether the cache counts hits and misses (the end device registry's
 * device cache does).
 *
 * <p>With the defaults the cache fits the CPU caches and a hit costs a few tens of nanoseconds; in
 * the running stack, between two visits of a device, its bucket and key have been evicted, and a
 * read's cost is the chain of dependent misses (set slot, bucket, key, key bytes). To measure that
 * regime: {@code -p devices=1000000 -p capacity=1048576 -p countReads=false}.
 *
 * <p>Lookup keys are copies of the cached keys (other String objects, as the registry builds a key
 * per request), with their hash already computed. Short runs: {@code -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DirectMappedCacheBenchmark {
  private static final Object VALUE = new Object();
  private static final Function<String, Object> LOAD = k -> VALUE;
  /** Not a compile-time constant, so that the key is concatenated at run time. */
  private static final String APP = new String("app");

  /** Devices in the fleet. */
  @Param({"10000"})
  public int devices;

  /** Cache capacity (the end device registry's default). */
  @Param({"32768"})
  public int capacity;

  /** Ways per set (1 is direct-mapped). */
  @Param({"1", "4", "8"})
  public int ways;

  /** Whether hits and misses are counted. */
  @Param({"false", "true"})
  public boolean countReads;

  private DirectMappedCache<String, Object> cache;
  private String[] residentIds;
  private String[] all;
  private String[] resident;
  private int nextAll;
  private int nextResident;

  @Setup(Level.Trial)
  public void fill() {
    cache = new DirectMappedCache<>("capacity", capacity, countReads, ways);
    all = new String[devices];
    for (int i = 0; i < devices; i++) {
      all[i] = new String("app/dev-" + i);
      all[i].hashCode();
      cache.get("app/dev-" + i, LOAD);
    }
    List<String> hits = new ArrayList<>();
    for (String k : all) {
      if (cache.get(k, x -> null) != null) {
        hits.add(k);
      }
    }
    resident = hits.toArray(new String[0]);
    residentIds = new String[resident.length];
    for (int i = 0; i < resident.length; i++) {
      residentIds[i] = resident[i].substring("app/".length());
    }
    System.out.printf("%n%d of %d keys resident after one pass%n", resident.length, devices);
  }

  @Benchmark
  public Object hit() {
    int i = nextResident;
    nextResident = i + 1 == resident.length ? 0 : i + 1;
    return cache.get(resident[i], LOAD);
  }

  @Benchmark
  public Object roundRobin() {
    int i = nextAll;
    nextAll = i + 1 == all.length ? 0 : i + 1;
    return cache.get(all[i], LOAD);
  }

  @Benchmark
  public Object hitFreshKey() {
    int i = nextResident;
    nextResident = i + 1 == resident.length ? 0 : i + 1;
    return cache.get(APP + "/" + residentIds[i], LOAD);
  }

  @Benchmark
  public int freshKeyOnly() {
    int i = nextResident;
    nextResident = i + 1 == resident.length ? 0 : i + 1;
    return (APP + "/" + residentIds[i]).hashCode();
  }
}
