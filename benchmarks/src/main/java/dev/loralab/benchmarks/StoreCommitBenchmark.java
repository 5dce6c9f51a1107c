package dev.loralab.benchmarks;

import com.google.protobuf.ByteString;
import dev.loralab.identityserver.store.Batch;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.Namespace;
import dev.loralab.identityserver.store.RocksDbStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable writes per second through {@link RocksDbStore}'s group committer, the frame-counter
 * write of every uplink: each benchmark thread stands for one device lane writing its own keys
 * (a 200-byte value, about an end device's session). {@code durablePut} blocks per write, as a
 * device worker thread did before asynchronous lanes; {@code durableWriteAsync} keeps {@value
 * #WINDOW} writes in flight per thread, as asynchronous lanes with many devices each do. The
 * database lives in a temporary directory on the default file system (fsync costs are those of
 * that disk). Threads: {@code -t N} overrides the default.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Threads(16)
@Fork(1)
public class StoreCommitBenchmark {
  static final int WINDOW = 64;
  static final Namespace DEVICES = Namespace.of("bench-devices");
  static final ByteString VALUE = ByteString.copyFrom(new byte[200]);

  /** The store, shared by every thread. */
  @State(Scope.Benchmark)
  public static class Store {
    Path directory;
    RocksDbStore store;
    final AtomicInteger threads = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() throws IOException {
      directory = Files.createTempDirectory("loralab-store-commit-bench");
      store = RocksDbStore.open(directory);
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

    String nextKey() {
      return prefix + (n++ % 1000);
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
}
