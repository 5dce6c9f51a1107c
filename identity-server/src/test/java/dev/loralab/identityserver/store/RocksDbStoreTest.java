package dev.loralab.identityserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbStoreTest extends KeyValueStoreContract {
  @TempDir Path dir;

  @Override
  KeyValueStore newStore() {
    return RocksDbStore.open(dir.resolve("db"));
  }

  @Test
  void reopenKeepsEveryNamespaceAndValue() {
    store.put(A, "k", bs("a"), Durability.DURABLE);
    store.write(new Batch().put(B, "k", bs("b")).put(Namespace.of("c"), "z", bs("c")),
        Durability.DURABLE);
    store.put(A, "buffered", bs("x"), Durability.BUFFERED);
    store.close();

    store = newStore();
    assertThat(store.get(A, "k")).contains(bs("a"));
    assertThat(store.get(B, "k")).contains(bs("b"));
    assertThat(store.get(Namespace.of("c"), "z")).contains(bs("c"));
    assertThat(store.get(A, "buffered")).contains(bs("x"));
  }

  @Test
  void mergedValuesSurviveReopening() {
    store.put(A, "k", bs("base"), Durability.DURABLE);
    for (int i = 0; i < 5; i++) {
      store.write(new Batch().merge(A, "k", bs("+" + i)), Durability.DURABLE);
    }
    store.close();
    store = newStore(); // the merges come back from the write-ahead log
    assertThat(store.get(A, "k")).contains(bs("base+0+1+2+3+4"));
    store.write(new Batch().merge(A, "k", bs("+5")), Durability.DURABLE);
    assertThat(store.get(A, "k")).contains(bs("base+0+1+2+3+4+5"));
  }

  @Test
  void everyNamespaceHasBloomFiltersInTablesAndMemtablesAndLz4() throws IOException {
    store.put(A, "k", bs("a"), Durability.DURABLE); // creates namespace A's column family
    store.close();
    // RocksDB records each column family's options in the newest OPTIONS-NNNNNN file.
    Path options;
    try (Stream<Path> files = Files.list(dir.resolve("db"))) {
      options = files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-"))
          .max(Comparator.comparing(f -> f.getFileName().toString())).orElseThrow();
    }
    String text = Files.readString(options);
    assertThat(text).contains("[CFOptions \"" + A.name() + "\"]", "[CFOptions \"default\"]");
    for (String section : text.split("\\[CFOptions ")) {
      if (!section.startsWith("\"")) {
        continue;
      }
      assertThat(section).as("column family %s", section.substring(0, section.indexOf(']')))
          .contains("compression=kLZ4Compression")
          .contains("filter_policy=bloomfilter:" + RocksDbStore.BLOOM_BITS_PER_KEY)
          .contains("no_block_cache=false")
          .contains("memtable_whole_key_filtering=true")
          .contains("memtable_prefix_bloom_size_ratio=" + String.format(Locale.ROOT, "%f",
              RocksDbStore.MEMTABLE_BLOOM_SIZE_RATIO));
    }
    store = newStore();
    assertThat(store.get(A, "k")).contains(bs("a"));
  }

  @Test
  void theBlockCacheHasTheConfiguredCapacity() {
    assertThat(((RocksDbStore) store).blockCacheCapacity())
        .isEqualTo(RocksDbStore.Settings.DEFAULT_BLOCK_CACHE_BYTES);
    store.close();
    store = RocksDbStore.open(dir.resolve("db"),
        RocksDbStore.Settings.defaults().withBlockCacheBytes(96L << 20));
    assertThat(((RocksDbStore) store).blockCacheCapacity()).isEqualTo(96L << 20);
    store.close();
    RocksDbStore closed = (RocksDbStore) store;
    assertThatThrownBy(closed::blockCacheCapacity).isInstanceOf(StoreException.class)
        .hasMessageContaining("closed");
    store = newStore();
  }

  @Test
  void secondOpenOfSameDirectoryFailsClearly() {
    assertThatThrownBy(() -> RocksDbStore.open(dir.resolve("db")))
        .isInstanceOf(StoreLockedException.class)
        .hasMessageContaining("is locked");
  }
}
