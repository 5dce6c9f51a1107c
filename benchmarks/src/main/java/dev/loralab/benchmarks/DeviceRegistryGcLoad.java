package dev.loralab.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.identityserver.internal.EntityValidation;
import dev.loralab.identityserver.internal.Namespaces;
import dev.loralab.identityserver.internal.StoreEndDeviceRegistry;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.KeyedLocks;
import dev.loralab.identityserver.store.ProtoTable;
import dev.loralab.identityserver.store.RocksDbStore;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The garbage-collection cost of the end device registry's write path: a fleet of ABP devices on a
 * {@link RocksDbStore} in a temp directory, each updated in turn (round-robin, as a fleet's
 * uplinks arrive) through {@code updateAsync} at a fixed rate, for a warm-up and then a measured
 * period. Every update leaves a new parsed {@code EndDevice} in the registry's cache, which lives
 * until the device's next update ({@code devices / rate} seconds: 0.6 s for 10,000 devices at
 * 16,000 updates/s), long enough to be copied by young collections and promoted. Reports for the
 * measured period: collections (count, time), bytes promoted by young collections (old-generation
 * growth across them), bytes allocated by every thread and process CPU time, per update.
 *
 * <pre>{@code java -Xms1g -Xmx1g -XX:+UseG1GC -cp benchmarks/target/benchmarks.jar \
 *     dev.loralab.benchmarks.DeviceRegistryGcLoad [devices] [rate/s] [seconds] [cacheCapacity] \
 *     [DURABLE|BUFFERED] [lookup: true|false]}</pre>
 *
 * <p>A young generation of the size the stack's collections see (the stack collects every
 * 100-200 ms) is set with, e.g., {@code -Xmn16m}.
 */
public final class DeviceRegistryGcLoad {
  private static final String ABP = """
      {"ids":{"device_id":"%s","application_ids":{"application_id":"app1"},
        "dev_eui":"%s","join_eui":"70B3D57ED0000000"},
       "lorawan_version":"MAC_V1_0_3","frequency_plan_id":"EU_863_870_TTN","supports_join":false,
       "session":{"dev_addr":"%s","keys":{"f_nwk_s_int_key":{"key":"000102030405060708090A0B0C0D0E0F"},
         "app_s_key":{"key":"101112131415161718191A1B1C1D1E1F"}}}}""";
  private static final AtomicLong PROMOTED = new AtomicLong();

  private DeviceRegistryGcLoad() {
  }

  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 16_000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int cacheCapacity = args.length > 3 ? Integer.parseInt(args[3])
        : StoreEndDeviceRegistry.DEFAULT_CACHE_CAPACITY;
    Durability durability = args.length > 4 ? Durability.valueOf(args[4]) : Durability.DURABLE;
    boolean lookup = args.length > 5 && Boolean.parseBoolean(args[5]);
    listen();
    Path dir = Files.createTempDirectory("registry-gc-load");
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      new ProtoTable<>(store, Namespaces.APPLICATIONS, Application.parser()).put("app1",
          Application.newBuilder().setIds(ApplicationIdentifiers.newBuilder()
              .setApplicationId("app1")).build(), Durability.DURABLE);
      StoreEndDeviceRegistry registry = new StoreEndDeviceRegistry(store,
          new EntityValidation(id -> true), Clock.systemUTC(), new KeyedLocks(), cacheCapacity);
      EndDeviceIdentifiers[] ids = new EndDeviceIdentifiers[devices];
      String[] addrs = lookup ? new String[devices] : null;
      for (int i = 0; i < devices; i++) {
        EndDevice d = registry.create(ProtoJson.parse(ABP.formatted("dev-" + i,
            String.format(Locale.ROOT, "70B3D57ED0%06X", i),
            String.format(Locale.ROOT, "26%06X", i)), EndDevice.newBuilder()).build());
        ids[i] = d.getIds();
        if (lookup) {
          addrs[i] = d.getSession().getDevAddr();
        }
      }
      System.out.printf(Locale.ROOT, "%d devices, %d updates/s, cache %d, %s%s%n", devices, rate,
          cacheCapacity, durability, lookup ? ", byDevAddr before each update" : "");
      run(registry, ids, addrs, rate, 3, durability);
      Snapshot before = Snapshot.take();
      long n = run(registry, ids, addrs, rate, seconds, durability);
      Snapshot after = Snapshot.take();
      double s = (after.nanos - before.nanos) / 1e9;
      System.out.printf(Locale.ROOT, "measured %.1f s: %d updates (%.0f/s)%n", s, n, n / s);
      System.out.printf(Locale.ROOT, "GC: %d collections, %d ms (%.1f %% of the time)%n",
          after.gcCount - before.gcCount, after.gcMillis - before.gcMillis,
          100.0 * (after.gcMillis - before.gcMillis) / (s * 1000));
      System.out.printf(Locale.ROOT, "promoted by young GCs: %.1f MB (%.0f B/update)%n",
          (after.promoted - before.promoted) / 1e6, (after.promoted - before.promoted)
              / (double) n);
      System.out.printf(Locale.ROOT, "allocated: %.0f B/update; process CPU %.1f us/update%n",
          (after.allocated - before.allocated) / (double) n,
          (after.cpuNanos - before.cpuNanos) / 1e3 / n);
      System.out.println("cache: " + registry.cacheStats());
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        System.err.println("cannot delete " + dir + ": " + e);
      }
    }
  }

  /**
   * Updates round-robin at {@code rate} for {@code seconds}, each after a lookup of the device's
   * DevAddr unless {@code addrs} is null (as a data uplink does); at most 8192 in flight.
   */
  private static long run(StoreEndDeviceRegistry registry, EndDeviceIdentifiers[] ids,
      String[] addrs, int rate, int seconds, Durability durability)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(8192);
    long start = System.nanoTime();
    long total = (long) rate * seconds;
    int next = 0;
    for (long i = 0; i < total; i++) {
      long due = start + i * 1_000_000_000L / rate;
      long wait = due - System.nanoTime();
      if (wait > 50_000) {
        LockSupport.parkNanos(wait);
      }
      inFlight.acquire();
      if (addrs != null && registry.byDevAddr(addrs[next]).isEmpty()) {
        throw new IllegalStateException("no device with DevAddr " + addrs[next]);
      }
      registry.updateAsync(ids[next], d -> d.toBuilder().setSession(d.getSession().toBuilder()
              .setLastFCntUp(d.getSession().getLastFCntUp() + 1)).build(), durability)
          .whenComplete((d, e) -> inFlight.release());
      next = next + 1 == ids.length ? 0 : next + 1;
    }
    inFlight.acquire(8192);
    return total;
  }

  private record Snapshot(long nanos, long gcCount, long gcMillis, long promoted, long allocated,
      long cpuNanos) {
    static Snapshot take() {
      long count = 0;
      long millis = 0;
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        count += Math.max(0, gc.getCollectionCount());
        millis += Math.max(0, gc.getCollectionTime());
      }
      var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long allocated = 0;
      for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
        allocated += Math.max(0, b);
      }
      var os = (com.sun.management.OperatingSystemMXBean)
          ManagementFactory.getOperatingSystemMXBean();
      return new Snapshot(System.nanoTime(), count, millis, PROMOTED.get(), allocated,
          os.getProcessCpuTime());
    }
  }

  private static void listen() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((n, handback) -> {
          if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
              .equals(n.getType())) {
            return;
          }
          var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
          if (!info.getGcAction().contains("minor")) {
            return;
          }
          Map<String, MemoryUsage> before = info.getGcInfo().getMemoryUsageBeforeGc();
          long grown = 0;
          for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            String pool = e.getKey();
            if ((pool.contains("Old") || pool.contains("Tenured")) && before.containsKey(pool)) {
              grown += e.getValue().getUsed() - before.get(pool).getUsed();
            }
          }
          PROMOTED.addAndGet(Math.max(0, grown));
        }, null, null);
      }
    }
  }
}
