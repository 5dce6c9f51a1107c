package dev.loralab.identityserver.internal;

import static dev.loralab.identityserver.internal.StoreEndDeviceRegistryCacheTest.abp;
import static dev.loralab.identityserver.internal.StoreEndDeviceRegistryCacheTest.ids;
import static dev.loralab.identityserver.internal.StoreEndDeviceRegistryCacheTest.withFCntUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.identityserver.EntityNotFoundException;
import dev.loralab.identityserver.store.Batch;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.Entry;
import dev.loralab.identityserver.store.InMemoryStore;
import dev.loralab.identityserver.store.KeyValueStore;
import dev.loralab.identityserver.store.KeyedLocks;
import dev.loralab.identityserver.store.Namespace;
import dev.loralab.identityserver.store.ProtoTable;
import dev.loralab.identityserver.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StoreEndDeviceRegistry#updateAsync}: the next writer of a device builds on a write that is
 * still pending, readers see what the store shows and never go back, completion (or failure)
 * brings the cache in line with the store, and blocking writes queue behind pending ones.
 */
class StoreEndDeviceRegistryAsyncTest {

  /**
   * A store whose asynchronous and blocking writes are applied only when the test completes them,
   * in submission order (as the RocksDB store's committer does).
   */
  static final class DeferredStore implements KeyValueStore {
    record Write(Batch batch, CompletableFuture<Void> done, boolean applied) {}

    /** Whether writes are applied when submitted (readers see them before they complete). */
    volatile boolean applyOnSubmit;

    final KeyValueStore inner = new InMemoryStore();
    private final ArrayDeque<Write> queue = new ArrayDeque<>();

    @Override
    public Optional<ByteString> get(Namespace namespace, String key) {
      return inner.get(namespace, key);
    }

    @Override
    public void put(Namespace namespace, String key, ByteString value, Durability durability) {
      write(new Batch().put(namespace, key, value), durability);
    }

    @Override
    public void delete(Namespace namespace, String key, Durability durability) {
      write(new Batch().delete(namespace, key), durability);
    }

    @Override
    public List<Entry> scan(Namespace namespace, String prefix) {
      return inner.scan(namespace, prefix);
    }

    @Override
    public void write(Batch batch, Durability durability) {
      try {
        writeAsync(batch, durability).join();
      } catch (CompletionException e) {
        throw (RuntimeException) e.getCause();
      }
    }

    @Override
    public synchronized CompletableFuture<Void> writeAsync(Batch batch, Durability durability) {
      Write w = new Write(batch, new CompletableFuture<>(), applyOnSubmit);
      if (w.applied()) {
        inner.write(batch, durability);
      }
      queue.add(w);
      notifyAll();
      return w.done;
    }

    /** Waits until {@code n} writes are queued. */
    synchronized void awaitQueued(int n) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (queue.size() < n && System.nanoTime() < deadline) {
        wait(100);
      }
      assertThat(queue).hasSizeGreaterThanOrEqualTo(n);
    }

    synchronized int queued() {
      return queue.size();
    }

    /** Applies the oldest queued write (unless applied when submitted) and completes it. */
    void completeNext() {
      Write w;
      synchronized (this) {
        w = queue.remove();
      }
      if (!w.applied()) {
        inner.write(w.batch, Durability.DURABLE);
      }
      w.done.complete(null);
    }

    /** Fails the oldest queued write without applying it. */
    void failNext() {
      Write w;
      synchronized (this) {
        w = queue.remove();
      }
      w.done.completeExceptionally(new StoreException("injected write failure"));
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  final EntityValidation validation = new EntityValidation(id -> true);
  final ExecutorService background = Executors.newCachedThreadPool();
  DeferredStore store;
  StoreEndDeviceRegistry registry;

  @BeforeEach
  void setUp() throws Exception {
    store = new DeferredStore();
    new ProtoTable<>(store.inner, Namespaces.APPLICATIONS, Application.parser()).put("app1",
        Application.newBuilder().setIds(ApplicationIdentifiers.newBuilder()
            .setApplicationId("app1")).build(), Durability.DURABLE);
    registry = new StoreEndDeviceRegistry(store, validation, clock, new KeyedLocks(), 64);
    Future<EndDevice> created = background.submit(
        () -> registry.create(abp("dev1", "0000000000000001", "26000001")));
    store.awaitQueued(1);
    store.completeNext();
    created.get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() {
    background.shutdownNow();
    store.close();
  }

  /** The device as stored, read by a registry without cache. */
  Optional<EndDevice> stored() {
    return new StoreEndDeviceRegistry(store.inner, validation, clock, new KeyedLocks(), 0)
        .get(ids("dev1"));
  }

  static int fCntUp(Optional<EndDevice> d) {
    return d.orElseThrow().getSession().getLastFCntUp();
  }

  @Test
  void theNextWriterBuildsOnAPendingWriteWhileReadersSeeOnlyCompletedOnes() {
    CompletableFuture<EndDevice> first =
        registry.updateAsync(ids("dev1"), d -> withFCntUp(d, 1), Durability.DURABLE);
    CompletableFuture<EndDevice> second = registry.updateAsync(ids("dev1"),
        d -> withFCntUp(d, d.getSession().getLastFCntUp() + 1), Durability.DURABLE);

    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
    assertThat(registry.pendingWrites()).isEqualTo(1);
    // readers: by key, by EUI and by DevAddr, all still the stored device
    assertThat(fCntUp(registry.get(ids("dev1")))).isZero();
    assertThat(fCntUp(registry.getByEui("70B3D57ED0000000", "0000000000000001"))).isZero();
    assertThat(registry.byDevAddr("26000001")).singleElement()
        .extracting(d -> d.getSession().getLastFCntUp()).isEqualTo(0);

    store.completeNext();
    assertThat(first).isCompleted();
    assertThat(first.join().getSession().getLastFCntUp()).isEqualTo(1);
    assertThat(fCntUp(registry.get(ids("dev1")))).isEqualTo(1);
    assertThat(second).isNotDone();

    store.completeNext();
    assertThat(second.join().getSession().getLastFCntUp()).isEqualTo(2);
    assertThat(fCntUp(registry.get(ids("dev1")))).isEqualTo(2);
    assertThat(fCntUp(stored())).isEqualTo(2);
    assertThat(registry.pendingWrites()).isZero();
  }

  /**
   * A store such as RocksDB shows a write to readers before the write completes (is synced). Once
   * a reader may have read the new device from the store, no read is answered the previous one
   * from the cache: the submission takes it out (keeping the key), and loads are not cached while
   * the write is in flight. Found by {@code StoreEndDeviceRegistryCacheTest}'s concurrent test (a
   * read by DevAddr answered FCnt 78 from the cache after a read by key had loaded 79).
   */
  @Test
  void aWriteTheStoreShowsBeforeItCompletesNeverMakesAReaderGoBack() {
    assertThat(fCntUp(registry.get(ids("dev1")))).isZero(); // cached
    store.applyOnSubmit = true;
    CompletableFuture<EndDevice> first =
        registry.updateAsync(ids("dev1"), d -> withFCntUp(d, 1), Durability.DURABLE);
    assertThat(first).isNotDone();
    long misses = registry.cache().misses();
    for (int i = 0; i < 3; i++) {
      assertThat(fCntUp(registry.get(ids("dev1")))).as("read %d by key", i).isEqualTo(1);
      assertThat(registry.byDevAddr("26000001")).singleElement()
          .extracting(d -> d.getSession().getLastFCntUp()).isEqualTo(1);
    }
    assertThat(registry.cache().misses() - misses).as("every read loads").isEqualTo(6);
    assertThat(registry.cache().size()).as("nothing cached while in flight").isZero();

    store.completeNext();
    assertThat(first.join().getSession().getLastFCntUp()).isEqualTo(1);
    long hits = registry.cache().hits();
    assertThat(fCntUp(registry.get(ids("dev1")))).isEqualTo(1);
    assertThat(registry.cache().hits()).as("cached on completion").isEqualTo(hits + 1);
  }

  @Test
  void aFailedWriteFailsItsFutureAndTheCacheFallsBackToTheStore() {
    CompletableFuture<EndDevice> first =
        registry.updateAsync(ids("dev1"), d -> withFCntUp(d, 5), Durability.DURABLE);
    store.failNext();

    assertThat(first).isCompletedExceptionally();
    assertThatThrownBy(first::join).isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(StoreException.class)
        .hasRootCauseMessage("injected write failure");
    assertThat(registry.pendingWrites()).isZero();
    assertThat(fCntUp(registry.get(ids("dev1")))).isZero();

    // the next write builds on what is stored
    CompletableFuture<EndDevice> next = registry.updateAsync(ids("dev1"),
        d -> withFCntUp(d, d.getSession().getLastFCntUp() + 1), Durability.DURABLE);
    store.completeNext();
    assertThat(next.join().getSession().getLastFCntUp()).isEqualTo(1);
    assertThat(fCntUp(stored())).isEqualTo(1);
  }

  @Test
  void aMissingDeviceOrAThrowingMutatorFailsTheFutureAndWritesNothing() {
    CompletableFuture<EndDevice> missing =
        registry.updateAsync(ids("nope"), d -> d, Durability.DURABLE);
    assertThatThrownBy(missing::join).hasCauseInstanceOf(EntityNotFoundException.class);

    IllegalStateException abort = new IllegalStateException("no longer matches");
    CompletableFuture<EndDevice> aborted = registry.updateAsync(ids("dev1"), d -> {
      throw abort;
    }, Durability.DURABLE);
    assertThatThrownBy(aborted::join).hasCause(abort);
    assertThat(store.queued()).isZero();
    assertThat(registry.pendingWrites()).isZero();
  }

  @Test
  void aBlockingUpdateBuildsOnAPendingWriteAndReturnsWhenItsOwnWriteCompletes() throws Exception {
    CompletableFuture<EndDevice> first =
        registry.updateAsync(ids("dev1"), d -> withFCntUp(d, 7), Durability.DURABLE);
    Future<EndDevice> blocking = background.submit(() -> registry.update(ids("dev1"),
        d -> withFCntUp(d, d.getSession().getLastFCntUp() + 1), Durability.DURABLE));
    store.awaitQueued(2);
    assertThat(blocking).isNotDone();

    store.completeNext();
    store.completeNext();
    assertThat(blocking.get(30, TimeUnit.SECONDS).getSession().getLastFCntUp()).isEqualTo(8);
    assertThat(first.join().getSession().getLastFCntUp()).isEqualTo(7);
    assertThat(fCntUp(stored())).isEqualTo(8);
  }

  @Test
  void aDeleteAfterAPendingUpdateWinsAndTheDeviceIsGoneOnceItCompletes() throws Exception {
    CompletableFuture<EndDevice> update =
        registry.updateAsync(ids("dev1"), d -> withFCntUp(d, 3), Durability.DURABLE);
    Future<Boolean> deleted = background.submit(() -> registry.delete(ids("dev1")));
    store.awaitQueued(2);

    // a writer after the pending delete finds no device; a reader still sees the stored one
    assertThatThrownBy(registry.updateAsync(ids("dev1"), d -> d, Durability.DURABLE)::join)
        .hasCauseInstanceOf(EntityNotFoundException.class);
    assertThat(registry.get(ids("dev1"))).isPresent();

    store.completeNext();
    store.completeNext();
    assertThat(deleted.get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(update.join().getSession().getLastFCntUp()).isEqualTo(3);
    assertThat(registry.get(ids("dev1"))).isEmpty();
    assertThat(registry.byDevAddr("26000001")).isEmpty();
    assertThat(stored()).isEmpty();
    assertThat(registry.pendingWrites()).isZero();
  }

  @Test
  void anUpdateThatMovesTheEuiCompletesBeforeItReturns() throws Exception {
    Future<CompletableFuture<EndDevice>> moved = background.submit(() -> registry.updateAsync(
        ids("dev1"), d -> d.toBuilder().setIds(d.getIds().toBuilder()
            .setDevEui("0000000000000002")).build(), Durability.DURABLE));
    store.awaitQueued(1);
    assertThat(moved).isNotDone(); // waits under the EUI's lock for its write
    store.completeNext();
    CompletableFuture<EndDevice> result = moved.get(30, TimeUnit.SECONDS);
    assertThat(result).isCompleted();
    assertThat(registry.getByEui("70B3D57ED0000000", "0000000000000002")).isPresent();
    assertThat(registry.getByEui("70B3D57ED0000000", "0000000000000001")).isEmpty();
  }
}
