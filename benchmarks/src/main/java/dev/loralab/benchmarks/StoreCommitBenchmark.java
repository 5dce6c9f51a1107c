package dev.loralab.benchmarks;

import com.google.protobuf.ByteString;
import dev.loralab.identityserver.store.Batch;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.Namespace;
import dev.loralab.identityserver.store.RocksDbStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Durable writes per second through {@link RocksDbStore}'s group committer, the frame-counter
 * write of every uplink: each benchmark thread stands for one device lane writing its own keys
 * (a 200-byte value, about an end device's session). {@code durablePut} blocks per write, as a
 * device worker thread did before asynchronous lanes; {@code durableWriteAsync} keeps {@value
 * #WINDOW} writes in flight per thread, as asynchronous lanes with many devices each do. The
 * database lives in a temporary directory on the default file system (fsync costs are those of
 * that disk). {@code durableWriteAsyncPaced} offers a fixed total rate ({@code rate} writes per
 * second over all threads, at most {@value #WINDOW} in flight per thread), as the stack does under
 * a given load: its score is the rate it kept up, and its cost is in the line every iteration
 * prints: CPU time of the committer thread and of the whole process per write, groups per second
 * and writes per group. Parameters: {@code lingerMicros} and {@code groupTarget} are the store's
 * {@link RocksDbStore.Settings#commitLinger()} and {@link RocksDbStore.Settings#groupTarget()}.
 * Threads (default 8, the device lanes): {@code -t N} overrides the default.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Threads(8)
@Fork(1)
public class StoreCommitBenchmark {
  static final int WINDOW = 64;
  static final Namespace DEVICES = Namespace.of("bench-devices");
  static final ByteString VALUE = ByteString.copyFrom(new byte[200]);

  /** The store, shared by every thread. */
  @State(Scope.Benchmark)
  public static class Store {
    /** The commit linger in microseconds (0: commit at once). */
    @Param({"0", "500"})
    public int lingerMicros;

    /** The group target that ends a linger early. */
    @Param({"64"})
    public int groupTarget;

    /** Writes per second over all threads, for {@code durableWriteAsyncPaced}. */
    @Param({"12000"})
    public int rate;

    Path directory;
    RocksDbStore store;
    long periodNanos; // between two writes of one thread, paced
    final AtomicInteger threads = new AtomicInteger();
    private final ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
    private long committerId = -1;
    private long cpuAt;
    private long committerCpuAt;
    private long timeAt;
    private RocksDbStore.CommitStats statsAt;

    @Setup(Level.Trial)
    public void open(BenchmarkParams params) throws IOException {
      directory = Files.createTempDirectory("loralab-store-commit-bench");
      store = RocksDbStore.open(directory, RocksDbStore.Settings.defaults()
          .withCommitLinger(Duration.ofNanos(lingerMicros * 1_000L), groupTarget));
      periodNanos = params.getThreads() * 1_000_000_000L / rate;
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals(RocksDbStore.COMMIT_THREAD_NAME)) {
          committerId = t.getId();
        }
      }
    }

    @Setup(Level.Iteration)
    public void iterationStarts() {
      statsAt = store.commitStats();
      cpuAt = processCpuNanos();
      committerCpuAt = committerId < 0 ? 0 : threadBean.getThreadCpuTime(committerId);
      timeAt = System.nanoTime();
    }

    /** Prints the cost of the iteration's writes (those committed during it). */
    @TearDown(Level.Iteration)
    public void iterationEnds() {
      long elapsed = System.nanoTime() - timeAt;
      RocksDbStore.CommitStats now = store.commitStats();
      long writes = Math.max(1, now.writes() - statsAt.writes());
      long groups = Math.max(1, now.groups() - statsAt.groups());
      long cpu = processCpuNanos() - cpuAt;
      long committerCpu = committerId < 0 ? 0
          : threadBean.getThreadCpuTime(committerId) - committerCpuAt;
      System.out.printf(" [store: %.2f us committer CPU/write, %.2f us process CPU/write,"
              + " %.0f groups/s, %.1f writes/group, %.0f synced groups/s]",
          committerCpu / 1e3 / writes, cpu / 1e3 / writes, groups * 1e9 / elapsed,
          (double) writes / groups, (now.syncedGroups() - statsAt.syncedGroups()) * 1e9 / elapsed);
    }

    private static long processCpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean)
          ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      store.close();
      try (Stream<Path> paths = Files.walk(directory)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** One lane: its own key prefix and counter. */
  @State(Scope.Thread)
  public static class Lane {
    String prefix;
    long n;
    @SuppressWarnings("unchecked")
    final CompletableFuture<Void>[] inFlight = new CompletableFuture[WINDOW];

    @Setup(Level.Trial)
    public void name(Store store) {
      prefix = "lane" + store.threads.getAndIncrement() + "/dev";
    }

    long nextAt; // when this lane's next paced write is due (System.nanoTime())

    String nextKey() {
      return prefix + (n++ % 1000);
    }

    @Setup(Level.Iteration)
    public void startPacing() {
      nextAt = System.nanoTime();
    }
  }

  @Benchmark
  public void durablePut(Store store, Lane lane) {
    store.store.put(DEVICES, lane.nextKey(), VALUE, Durability.DURABLE);
  }

  @Benchmark
  @OperationsPerInvocation(WINDOW)
  public void durableWriteAsync(Store store, Lane lane) {
    for (int i = 0; i < WINDOW; i++) {
      lane.inFlight[i] = store.store.writeAsync(
          new Batch().put(DEVICES, lane.nextKey(), VALUE), Durability.DURABLE);
    }
    CompletableFuture.allOf(lane.inFlight).join();
  }

  @Benchmark
  public void durableWriteAsyncPaced(Store store, Lane lane) {
    long wait;
    while ((wait = lane.nextAt - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
    lane.nextAt += store.periodNanos;
    int slot = (int) (lane.n % WINDOW);
    CompletableFuture<Void> previous = lane.inFlight[slot];
    if (previous != null) {
      previous.join(); // at most WINDOW in flight
    }
    lane.inFlight[slot] = store.store.writeAsync(
        new Batch().put(DEVICES, lane.nextKey(), VALUE), Durability.DURABLE);
  }
}
