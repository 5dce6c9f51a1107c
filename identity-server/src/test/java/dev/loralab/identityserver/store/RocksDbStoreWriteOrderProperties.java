package dev.loralab.identityserver.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Any sequence of puts and deletes, cut into batches submitted async or blocking, durable or not,
 * in groups of any size (a small group limit, the committer sometimes held so that everything
 * queues), leaves the store as applying the batches one after the other to a map.
 */
class RocksDbStoreWriteOrderProperties {
  static final Namespace NS = Namespace.of("prop");
  static Path dir;
  static RocksDbStore store;
  static int tryNumber;

  @BeforeContainer
  static void open() throws IOException {
    dir = Files.createTempDirectory("rocksdb-write-order");
    store = RocksDbStore.open(dir, new RocksDbStore.Settings(5));
  }

  @AfterContainer
  static void close() throws IOException {
    store.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** One operation; {@code startsBatch} cuts the sequence into batches. */
  record Step(int key, boolean delete, int value, boolean startsBatch, boolean async,
      boolean durable) { }

  @Provide
  Arbitrary<Step> steps() {
    return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 99), Arbitraries.of(true, false),
            Arbitraries.of(true, false), Arbitraries.of(true, false))
        .as(Step::new);
  }

  @Property(tries = 150)
  void batchesApplyInSubmissionOrder(@ForAll @Size(max = 40) List<@From("steps") Step> steps,
      @ForAll boolean holdCommitter) throws Exception {
    String prefix = "t" + (tryNumber++) + "/";
    Map<String, ByteString> model = new TreeMap<>();
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    RocksDbStoreAsyncWriteTest.HeldCommitter held =
        holdCommitter ? new RocksDbStoreAsyncWriteTest.HeldCommitter(store) : null;
    try {
      int i = 0;
      while (i < steps.size()) {
        Step first = steps.get(i);
        Batch batch = new Batch();
        do {
          Step s = steps.get(i);
          String key = prefix + s.key();
          if (s.delete()) {
            batch.delete(NS, key);
            model.remove(key);
          } else {
            ByteString v = ByteString.copyFromUtf8("" + s.value());
            batch.put(NS, key, v);
            model.put(key, v);
          }
          i++;
        } while (i < steps.size() && !steps.get(i).startsBatch());
        Durability d = first.durable() ? Durability.DURABLE : Durability.BUFFERED;
        if (first.async() || held != null) { // a blocking write would wait for the held committer
          pending.add(store.writeAsync(batch, d));
        } else {
          store.write(batch, d);
        }
      }
    } finally {
      if (held != null) {
        held.release();
      }
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(30, SECONDS);
    List<Entry> expected = new ArrayList<>();
    model.forEach((k, v) -> expected.add(new Entry(k, v)));
    assertThat(store.scan(NS, prefix)).isEqualTo(expected);
  }
}
