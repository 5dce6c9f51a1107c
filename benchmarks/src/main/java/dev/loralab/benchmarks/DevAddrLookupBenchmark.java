package dev.loralab.benchmarks;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The end device registry's per-uplink calls on a {@link RocksDbStore} (temp directory) holding a
 * fleet of ABP devices, each with its own DevAddr, visited round-robin:
 *
 * <ul>
 *   <li>{@code byDevAddr}: the data uplink's lookup (DevAddr index, then the cached devices).
 *   <li>{@code updateFCntUp}: the uplink's frame counter update through {@code updateAsync},
 *       buffered (no fsync), awaited; {@code -prof gc} counts the committer's bytes too.
 *   <li>{@code editFCntUp}: the same through {@code editAsync} (one builder copy, not two).
 * </ul>
 *
 * <p>Short runs: {@code -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DevAddrLookupBenchmark {
  private static final String ABP = """
      {"ids":{"device_id":"%s","application_ids":{"application_id":"app1"},
        "dev_eui":"%s","join_eui":"70B3D57ED0000000"},
       "lorawan_version":"MAC_V1_0_3","frequency_plan_id":"EU_863_870_TTN","supports_join":false,
       "session":{"dev_addr":"%s","keys":{"f_nwk_s_int_key":{"key":"000102030405060708090A0B0C0D0E0F"},
         "app_s_key":{"key":"101112131415161718191A1B1C1D1E1F"}}}}""";

  /** Devices in the fleet. */
  @Param({"10000"})
  public int devices;

  private Path dir;
  private RocksDbStore store;
  private StoreEndDeviceRegistry registry;
  private String[] addrs;
  private EndDeviceIdentifiers[] ids;
  private int next;

  @Setup(Level.Trial)
  public void fill() throws IOException {
    dir = Files.createTempDirectory("devaddr-bench");
    store = RocksDbStore.open(dir);
    new ProtoTable<>(store, Namespaces.APPLICATIONS, Application.parser()).put("app1",
        Application.newBuilder().setIds(ApplicationIdentifiers.newBuilder()
            .setApplicationId("app1")).build(), Durability.DURABLE);
    registry = new StoreEndDeviceRegistry(store, new EntityValidation(id -> true),
        Clock.systemUTC(), new KeyedLocks());
    addrs = new String[devices];
    ids = new EndDeviceIdentifiers[devices];
    for (int i = 0; i < devices; i++) {
      addrs[i] = String.format(Locale.ROOT, "26%06X", i);
      ids[i] = EndDeviceIdentifiers.newBuilder().setDeviceId("dev-" + i)
          .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1"))
          .build();
      registry.create(ProtoJson.parse(ABP.formatted("dev-" + i,
          String.format(Locale.ROOT, "70B3D57ED0%06X", i), addrs[i]), EndDevice.newBuilder())
          .build());
    }
    for (String a : addrs) {
      registry.byDevAddr(a); // warms both caches
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  public List<EndDevice> byDevAddr() {
    int i = next;
    next = i + 1 == devices ? 0 : i + 1;
    return registry.byDevAddr(addrs[i]);
  }

  @Benchmark
  public EndDevice updateFCntUp() {
    int i = next;
    next = i + 1 == devices ? 0 : i + 1;
    return registry.updateAsync(ids[i], d -> d.toBuilder()
        .setSession(d.getSession().toBuilder().setLastFCntUp(d.getSession().getLastFCntUp() + 1))
        .build(), Durability.BUFFERED).join();
  }

  @Benchmark
  public EndDevice editFCntUp() {
    int i = next;
    next = i + 1 == devices ? 0 : i + 1;
    return registry.editAsync(ids[i], b -> b.getSessionBuilder()
        .setLastFCntUp(b.getSession().getLastFCntUp() + 1), Durability.BUFFERED).join();
  }
}
