package dev.loralab.identityserver.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RocksDbStore.Settings#commitLinger()} and {@link RocksDbStore.Settings#groupTarget()}.
 * Lingers of an hour make the groups deterministic: only the group target or close() can end
 * them. Timeouts are safety nets against a hang, never measurements.
 */
class RocksDbStoreCommitLingerTest {
  static final Namespace A = Namespace.of("a");
  static final Duration HOUR = Duration.ofHours(1);

  @TempDir Path dir;
  RocksDbStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  RocksDbStore open(Duration linger, int target) {
    store = RocksDbStore.open(dir.resolve("db"),
        RocksDbStore.Settings.defaults().withCommitLinger(linger, target));
    return store;
  }

  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(30, SECONDS); // safety net only
  }

  @Test
  void durableWritesWaitForTheGroupTargetAndThenCommitAsOneSyncedGroup() throws Exception {
    open(HOUR, 5);
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      futures.add(store.writeAsync(new Batch().put(A, "k" + i, bs("" + i)), Durability.DURABLE));
    }
    // Four of five: the committer lingers (for an hour), nothing is committed.
    assertThat(store.commitStats().groups()).isZero();
    assertThat(futures).noneMatch(CompletableFuture::isDone);
    futures.add(store.writeAsync(new Batch().put(A, "k4", bs("4")), Durability.DURABLE));
    await(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));
    assertThat(store.commitStats()).isEqualTo(new RocksDbStore.CommitStats(1, 1, 5));
    for (int i = 0; i < 5; i++) {
      assertThat(store.get(A, "k" + i)).contains(bs("" + i));
    }
  }

  @Test
  void aGroupOfBufferedWritesOnlyIsCommittedWithoutLingering() throws Exception {
    open(HOUR, 1000);
    await(store.writeAsync(new Batch().put(A, "b", bs("1")), Durability.BUFFERED));
    store.put(A, "b", bs("2"), Durability.BUFFERED);
    assertThat(store.commitStats()).isEqualTo(new RocksDbStore.CommitStats(2, 0, 2));
    assertThat(store.get(A, "b")).contains(bs("2"));
  }

  @Test
  void bufferedWritesQueuedBehindALingeringDurableWriteJoinItsGroupInOrder() throws Exception {
    open(HOUR, 3);
    CompletableFuture<Void> durable =
        store.writeAsync(new Batch().put(A, "k", bs("durable")), Durability.DURABLE);
    CompletableFuture<Void> buffered =
        store.writeAsync(new Batch().put(A, "k", bs("buffered")), Durability.BUFFERED);
    assertThat(durable).isNotDone();
    CompletableFuture<Void> last =
        store.writeAsync(new Batch().put(A, "k2", bs("last")), Durability.BUFFERED);
    await(CompletableFuture.allOf(durable, buffered, last));
    assertThat(store.commitStats()).isEqualTo(new RocksDbStore.CommitStats(1, 1, 3));
    assertThat(store.get(A, "k")).contains(bs("buffered"));
  }

  @Test
  void blockingWritesNeverLinger() throws Exception {
    open(HOUR, 1000);
    store.put(A, "p", bs("1"), Durability.DURABLE);
    store.write(new Batch().put(A, "w", bs("1")), Durability.DURABLE);
    store.delete(A, "p", Durability.DURABLE);
    assertThat(store.commitStats()).isEqualTo(new RocksDbStore.CommitStats(3, 3, 3));
    assertThat(store.get(A, "w")).contains(bs("1"));
    assertThat(store.get(A, "p")).isEmpty();
  }

  @Test
  void aBlockingWriteEndsTheLingerOfTheAsynchronousWritesBeforeIt() throws Exception {
    open(HOUR, 1000);
    CompletableFuture<Void> async =
        store.writeAsync(new Batch().put(A, "k", bs("async")), Durability.DURABLE);
    store.put(A, "k", bs("blocking"), Durability.DURABLE);
    assertThat(async).isDone();
    await(async);
    assertThat(store.commitStats()).isEqualTo(new RocksDbStore.CommitStats(1, 1, 2));
    assertThat(store.get(A, "k")).contains(bs("blocking"));
  }

  @Test
  void closeEndsALingerAndAppliesTheLingeringWrites() throws Exception {
    open(HOUR, 1000);
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      futures.add(store.writeAsync(new Batch().put(A, "k" + i, bs("" + i)), Durability.DURABLE));
    }
    store.close();
    for (CompletableFuture<Void> f : futures) {
      assertThat(f).isDone();
      await(f); // completed normally
    }
    store = RocksDbStore.open(dir.resolve("db"));
    for (int i = 0; i < 3; i++) {
      assertThat(store.get(A, "k" + i)).contains(bs("" + i));
    }
  }

  @Test
  void aShortLingerEndsWithoutTheTarget() throws Exception {
    open(Duration.ofMillis(1), 1000);
    for (int i = 0; i < 20; i++) {
      await(store.writeAsync(new Batch().put(A, "k", bs("" + i)), Durability.DURABLE));
    }
    RocksDbStore.CommitStats stats = store.commitStats();
    assertThat(stats.writes()).isEqualTo(20);
    assertThat(stats.syncedGroups()).isEqualTo(stats.groups());
    assertThat(store.get(A, "k")).contains(bs("19"));
  }

  @Test
  void aBatchOfTheGroupLimitEndsTheLinger() throws Exception {
    store = RocksDbStore.open(dir.resolve("db"),
        new RocksDbStore.Settings(3, HOUR, 1000));
    await(store.writeAsync(new Batch().put(A, "x", bs("x")).put(A, "y", bs("y"))
        .put(A, "z", bs("z")), Durability.DURABLE));
    assertThat(store.commitStats()).isEqualTo(new RocksDbStore.CommitStats(1, 1, 1));
  }

  @Test
  void zeroLingerCommitsAtOnce() throws Exception {
    open(Duration.ZERO, 1000);
    await(store.writeAsync(new Batch().put(A, "k", bs("1")), Durability.DURABLE));
    await(store.writeAsync(new Batch().put(A, "k", bs("2")), Durability.DURABLE));
    assertThat(store.commitStats()).isEqualTo(new RocksDbStore.CommitStats(2, 2, 2));
  }

  @Test
  void settingsAndStatsAreValidated() {
    assertThatThrownBy(() -> new RocksDbStore.Settings(1, Duration.ofNanos(-1), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("commitLinger: expected >= 0, found PT-0.000000001S");
    assertThatThrownBy(() -> new RocksDbStore.Settings(1, Duration.ZERO, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("groupTarget: expected >= 1, found 0");
    assertThatThrownBy(() -> new RocksDbStore.Settings(1, null, 1))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new RocksDbStore.Settings(1, Duration.ZERO, 1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blockCacheBytes");
    assertThat(RocksDbStore.Settings.defaults().blockCacheBytes())
        .isEqualTo(RocksDbStore.Settings.DEFAULT_BLOCK_CACHE_BYTES);
    RocksDbStore.Settings defaults = RocksDbStore.Settings.defaults();
    assertThat(defaults.commitLinger()).isEqualTo(RocksDbStore.Settings.DEFAULT_COMMIT_LINGER);
    assertThat(defaults.groupTarget()).isEqualTo(RocksDbStore.Settings.DEFAULT_GROUP_TARGET);
    assertThat(new RocksDbStore.Settings(5).commitLinger())
        .isEqualTo(RocksDbStore.Settings.DEFAULT_COMMIT_LINGER);
    assertThat(RocksDbStore.Settings.defaults().withCommitLinger(Duration.ofDays(365_000_000), 1)
        .commitLingerNanos()).isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(() -> new RocksDbStore.CommitStats(1, 2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("syncedGroups 2");
  }
}
