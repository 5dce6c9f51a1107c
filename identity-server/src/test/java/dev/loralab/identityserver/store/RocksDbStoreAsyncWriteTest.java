package dev.loralab.identityserver.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RocksDbStore#writeAsync} and the group committer behind every write. Timeouts are safety
 * nets against a hang, never measurements. Groups are made deterministic by holding the committer
 * in a completion callback (which runs on it) while writes are queued.
 */
class RocksDbStoreAsyncWriteTest {
  static final Namespace A = Namespace.of("a");
  static final Namespace B = Namespace.of("b");

  @TempDir Path dir;
  RocksDbStore store;

  @BeforeEach
  void open() {
    store = RocksDbStore.open(dir.resolve("db"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(30, SECONDS); // safety net only
  }

  /** The committer, held in a completion callback until {@link #release()}. */
  static final class HeldCommitter implements AutoCloseable {
    final CountDownLatch release = new CountDownLatch(1);

    HeldCommitter(KeyValueStore store) throws Exception {
      CountDownLatch entered = new CountDownLatch(1);
      for (int attempt = 0; ; attempt++) {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletableFuture<Void> f =
            store.writeAsync(new Batch().put(B, "hold", bs("" + attempt)), Durability.BUFFERED);
        f.thenRun(() -> {
          ranOn.set(Thread.currentThread());
          if (Thread.currentThread().getName().equals(RocksDbStore.COMMIT_THREAD_NAME)) {
            entered.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
        if (ranOn.get() != Thread.currentThread()) {
          break; // the callback runs (or will run) on the committer
        }
      }
      assertThat(entered.await(30, SECONDS)).isTrue();
    }

    void release() {
      release.countDown();
    }

    @Override
    public void close() {
      release();
    }
  }

  @Test
  void aWriteIsVisibleWhenItsFutureCompletes() throws Exception {
    for (int i = 0; i < 200; i++) {
      String v = "v" + i;
      String key = "k" + (i % 7);
      CompletableFuture<Optional<ByteString>> seenByCallback =
          store.writeAsync(new Batch().put(A, key, bs(v)),
                  i % 2 == 0 ? Durability.DURABLE : Durability.BUFFERED)
              .thenApply(x -> store.get(A, key));
      assertThat(await(seenByCallback)).contains(bs(v));
      assertThat(store.get(A, key)).contains(bs(v));
    }
  }

  @Test
  void futuresCompleteInSubmissionOrder() throws Exception {
    List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      int n = i;
      Batch batch = new Batch().put(i % 3 == 0 ? A : B, "k" + (i % 50), bs("" + i));
      CompletableFuture<Void> f =
          store.writeAsync(batch, i % 5 == 0 ? Durability.DURABLE : Durability.BUFFERED);
      futures.add(f.whenComplete((x, e) -> completed.add(n)));
    }
    await(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      expected.add(i);
    }
    assertThat(completed).isEqualTo(expected);
  }

  @Test
  void callbacksRegisteredBeforeCompletionRunOnTheCommitterInQueueOrder() throws Exception {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    try (HeldCommitter held = new HeldCommitter(store)) {
      for (int i = 0; i < 100; i++) {
        int n = i;
        futures.add(store.writeAsync(new Batch().put(A, "k", bs("" + i)), Durability.DURABLE)
            .thenRun(() -> seen.add(Thread.currentThread().getName() + ":" + n)));
      }
      held.release();
      await(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add(RocksDbStore.COMMIT_THREAD_NAME + ":" + i);
    }
    assertThat(seen).isEqualTo(expected);
    assertThat(store.get(A, "k")).contains(bs("99"));
  }

  @Test
  void concurrentAsyncAndBlockingWritersEndInTheLastSubmittedValues() throws Exception {
    int threads = 6;
    int writesPerThread = 400;
    int sharedKeys = 4;
    Object[] keyLocks = new Object[sharedKeys];
    int[] lastSubmitted = new int[sharedKeys]; // guarded by keyLocks[k]
    for (int k = 0; k < sharedKeys; k++) {
      keyLocks[k] = new Object();
      lastSubmitted[k] = -1;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<CompletableFuture<Void>>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          List<CompletableFuture<Void>> pending = new ArrayList<>();
          for (int i = 0; i < writesPerThread; i++) {
            boolean async = (i + thread) % 3 != 0;
            Durability d = i % 4 == 0 ? Durability.DURABLE : Durability.BUFFERED;
            // Own keys: the thread's program order is the submission order.
            Batch own = new Batch().put(A, "t" + thread + "/k" + (i % 10), bs("" + i));
            if (i % 7 == 0) {
              own.delete(A, "t" + thread + "/gone").put(A, "t" + thread + "/gone", bs("" + i));
            }
            if (async) {
              pending.add(store.writeAsync(own, d));
            } else {
              store.write(own, d);
            }
            // Shared keys: submissions serialized per key, as the registries do.
            int k = (i + thread) % sharedKeys;
            synchronized (keyLocks[k]) {
              int next = ++lastSubmitted[k];
              if (async) {
                pending.add(store.writeAsync(new Batch().put(B, "s" + k, bs("" + next)), d));
              } else {
                store.put(B, "s" + k, bs("" + next), d);
              }
            }
          }
          return pending;
        }));
      }
      for (Future<List<CompletableFuture<Void>>> r : results) {
        List<CompletableFuture<Void>> pending = r.get(120, SECONDS);
        await(CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)));
      }
    } finally {
      pool.shutdownNow();
    }
    for (int t = 0; t < threads; t++) {
      for (int j = 0; j < 10; j++) {
        int last = writesPerThread - 10 + j;
        assertThat(store.get(A, "t" + t + "/k" + j)).contains(bs("" + last));
      }
      assertThat(store.get(A, "t" + t + "/gone")).contains(bs("" + (writesPerThread - 1) / 7 * 7));
    }
    for (int k = 0; k < sharedKeys; k++) {
      assertThat(store.get(B, "s" + k)).contains(bs("" + lastSubmitted[k]));
    }
  }

  @Test
  void deletesAndPutsOfOneKeyInOneGroupApplyInOrder() throws Exception {
    store.put(A, "dp", bs("old"), Durability.DURABLE);
    store.put(A, "pd", bs("old"), Durability.DURABLE);
    store.put(A, "x-dp", bs("old"), Durability.DURABLE);
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    try (HeldCommitter held = new HeldCommitter(store)) {
      // Within one batch.
      futures.add(store.writeAsync(
          new Batch().delete(A, "dp").put(A, "dp", bs("new")), Durability.DURABLE));
      futures.add(store.writeAsync(
          new Batch().put(A, "pd", bs("new")).delete(A, "pd"), Durability.BUFFERED));
      // Across batches of the same group.
      futures.add(store.writeAsync(new Batch().delete(A, "x-dp"), Durability.BUFFERED));
      futures.add(store.writeAsync(new Batch().put(A, "x-dp", bs("new")), Durability.BUFFERED));
      futures.add(store.writeAsync(new Batch().put(A, "x-pd", bs("new")), Durability.DURABLE));
      futures.add(store.writeAsync(new Batch().delete(A, "x-pd"), Durability.BUFFERED));
      futures.add(store.writeAsync(new Batch().put(A, "x-pdp", bs("1")), Durability.BUFFERED));
      futures.add(store.writeAsync(new Batch().delete(A, "x-pdp"), Durability.BUFFERED));
      futures.add(store.writeAsync(new Batch().put(A, "x-pdp", bs("2")), Durability.BUFFERED));
      // A namespace created by the group itself.
      futures.add(store.writeAsync(new Batch().put(Namespace.of("fresh"), "f", bs("f")),
          Durability.DURABLE));
      held.release();
      await(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));
    }
    assertThat(store.get(A, "dp")).contains(bs("new"));
    assertThat(store.get(A, "pd")).isEmpty();
    assertThat(store.get(A, "x-dp")).contains(bs("new"));
    assertThat(store.get(A, "x-pd")).isEmpty();
    assertThat(store.get(A, "x-pdp")).contains(bs("2"));
    assertThat(store.get(Namespace.of("fresh"), "f")).contains(bs("f"));
  }

  @Test
  void aGroupLimitOfOneOperationStillAppliesEverythingInOrder() throws Exception {
    store.close();
    store = RocksDbStore.open(dir.resolve("db"), new RocksDbStore.Settings(1));
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    try (HeldCommitter held = new HeldCommitter(store)) {
      for (int i = 0; i < 50; i++) {
        // A batch larger than the limit is written alone.
        futures.add(store.writeAsync(
            new Batch().put(A, "k", bs("" + i)).put(A, "k2", bs("" + i)), Durability.BUFFERED));
        futures.add(store.writeAsync(new Batch().put(A, "k3", bs("" + i)), Durability.DURABLE));
      }
      held.release();
      await(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));
    }
    assertThat(store.get(A, "k")).contains(bs("49"));
    assertThat(store.get(A, "k2")).contains(bs("49"));
    assertThat(store.get(A, "k3")).contains(bs("49"));
  }

  @Test
  void settingsAreValidated() {
    assertThatThrownBy(() -> new RocksDbStore.Settings(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxGroupOperations: expected >= 1, found 0");
    assertThat(RocksDbStore.Settings.defaults().maxGroupOperations())
        .isEqualTo(RocksDbStore.Settings.DEFAULT_MAX_GROUP_OPERATIONS);
  }

  @Test
  void everythingCompletedIsThereAfterReopen() throws Exception {
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      Namespace ns = Namespace.of("ns" + (i % 5));
      futures.add(store.writeAsync(new Batch().put(ns, "k" + i, bs("" + i)),
          i % 2 == 0 ? Durability.DURABLE : Durability.BUFFERED));
    }
    await(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));
    store.close();
    store = RocksDbStore.open(dir.resolve("db"));
    for (int i = 0; i < 500; i++) {
      assertThat(store.get(Namespace.of("ns" + (i % 5)), "k" + i)).contains(bs("" + i));
    }
  }

  @Test
  void closeAppliesTheWritesQueuedBeforeIt() throws Exception {
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    CompletableFuture<Void> closed;
    try (HeldCommitter held = new HeldCommitter(store)) {
      for (int i = 0; i < 100; i++) {
        futures.add(store.writeAsync(new Batch().put(A, "k" + i, bs("" + i)),
            i % 2 == 0 ? Durability.DURABLE : Durability.BUFFERED));
      }
      closed = CompletableFuture.runAsync(store::close);
      // close() refuses new writes before it waits for the committer.
      CompletableFuture<Void> late;
      do {
        late = store.writeAsync(new Batch().put(A, "late", bs("x")), Durability.DURABLE);
        if (!late.isDone()) {
          futures.add(late); // admitted before close began: must be applied too
          Thread.yield();
        }
      } while (!late.isDone() || !late.isCompletedExceptionally());
      assertThatThrownBy(late::join).hasCauseInstanceOf(StoreException.class)
          .hasMessageContaining("is closed");
      held.release();
      await(closed);
    }
    for (CompletableFuture<Void> f : futures) {
      assertThat(f).isDone();
      await(f); // completed normally
    }
    store = RocksDbStore.open(dir.resolve("db"));
    for (int i = 0; i < 100; i++) {
      assertThat(store.get(A, "k" + i)).contains(bs("" + i));
    }
  }

  @Test
  void writesAfterCloseFailWithStoreException() {
    store.close();
    CompletableFuture<Void> f = store.writeAsync(new Batch().put(A, "k", bs("v")),
        Durability.DURABLE);
    assertThat(f).isCompletedExceptionally();
    assertThatThrownBy(f::join).hasCauseInstanceOf(StoreException.class)
        .hasMessageContaining("is closed");
    assertThatThrownBy(() -> store.write(new Batch().put(A, "k", bs("v")), Durability.DURABLE))
        .isInstanceOf(StoreException.class).hasMessageContaining("is closed");
    assertThatThrownBy(() -> store.put(A, "k", bs("v"), Durability.BUFFERED))
        .isInstanceOf(StoreException.class).hasMessageContaining("is closed");
    assertThatThrownBy(() -> store.delete(A, "k", Durability.DURABLE))
        .isInstanceOf(StoreException.class).hasMessageContaining("is closed");
  }

  @Test
  void emptyBatchCompletesAtOnceAndNullsAreRefused() {
    assertThat(store.writeAsync(new Batch(), Durability.DURABLE)).isCompleted();
    assertThatThrownBy(() -> store.writeAsync(null, Durability.DURABLE))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.writeAsync(new Batch(), null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.put(A, "k", null, Durability.DURABLE))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.delete(A, null, Durability.DURABLE))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aBlockingWriteFromACompletionCallbackFailsInsteadOfWaitingForItself() throws Exception {
    CompletableFuture<Void> outcome = new CompletableFuture<>();
    try (HeldCommitter held = new HeldCommitter(store)) {
      store.writeAsync(new Batch().put(A, "first", bs("1")), Durability.DURABLE)
          .thenRun(() -> {
            try {
              store.put(A, "second", bs("2"), Durability.DURABLE);
              outcome.complete(null);
            } catch (RuntimeException e) {
              outcome.completeExceptionally(e);
            }
          });
      held.release();
      assertThatThrownBy(() -> await(outcome)).isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(StoreException.class)
          .hasMessageContaining("use writeAsync");
    }
    assertThat(store.get(A, "first")).contains(bs("1"));
    assertThat(store.get(A, "second")).isEmpty();
    // The committer still works.
    store.put(A, "third", bs("3"), Durability.DURABLE);
    assertThat(store.get(A, "third")).contains(bs("3"));
  }

  @Test
  void closeFromACompletionCallbackReleasesTheStoreAfterTheQueuedWrites() throws Exception {
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    try (HeldCommitter held = new HeldCommitter(store)) {
      futures.add(store.writeAsync(new Batch().put(A, "k", bs("0")), Durability.DURABLE)
          .thenRun(store::close));
      for (int i = 1; i < 20; i++) {
        futures.add(store.writeAsync(new Batch().put(A, "k", bs("" + i)), Durability.DURABLE));
      }
      held.release();
      for (CompletableFuture<Void> f : futures) {
        await(f);
      }
    }
    store.close(); // waits for the committer, which releases the database
    assertThatThrownBy(() -> store.get(A, "k")).isInstanceOf(StoreException.class);
    store = RocksDbStore.open(dir.resolve("db"));
    assertThat(store.get(A, "k")).contains(bs("19"));
  }

  @Test
  void aWriteToANamespaceThatCannotBeCreatedFailsOnlyItself() throws Exception {
    Path db = dir.resolve("db");
    Path moved = dir.resolve("moved");
    List<CompletableFuture<Void>> others = new ArrayList<>();
    CompletableFuture<Void> bad;
    store.put(A, "k", bs("0"), Durability.DURABLE);
    try (HeldCommitter held = new HeldCommitter(store)) {
      others.add(store.writeAsync(new Batch().put(A, "k", bs("1")), Durability.DURABLE));
      bad = store.writeAsync(new Batch().put(A, "k", bs("bad")).put(Namespace.of("new"), "n",
          bs("n")), Durability.DURABLE);
      others.add(store.writeAsync(new Batch().put(A, "k2", bs("2")), Durability.DURABLE));
      // Creating a column family writes files into the directory: make that impossible.
      Files.move(db, moved);
      Files.writeString(db, "not a directory");
      held.release();
      try {
        assertThatThrownBy(() -> await(bad)).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(StoreException.class)
            .hasMessageContaining("cannot create namespace new");
        for (CompletableFuture<Void> f : others) {
          await(f);
        }
      } finally {
        restore(db, moved);
      }
    }
    assertThat(store.get(A, "k")).contains(bs("1"));
    assertThat(store.get(A, "k2")).contains(bs("2"));
  }

  private static void restore(Path db, Path moved) throws IOException {
    Files.delete(db);
    Files.move(moved, db);
  }
}
