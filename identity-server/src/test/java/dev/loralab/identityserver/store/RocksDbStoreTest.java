package dev.loralab.identityserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
  void secondOpenOfSameDirectoryFailsClearly() {
    assertThatThrownBy(() -> RocksDbStore.open(dir.resolve("db")))
        .isInstanceOf(StoreLockedException.class)
        .hasMessageContaining("is locked");
  }
}
