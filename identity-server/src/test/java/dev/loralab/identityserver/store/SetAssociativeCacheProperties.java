package dev.loralab.identityserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Many keys per set (a tiny capacity, 1 to 4 ways) against a reference map standing for the
 * store, with loads that race: a read misses, remembers its set, and its load function performs
 * other operations (a write or delete of the same key or another key, a failed write, another
 * read that loads and installs) before answering the value it had read from the store before them.
 * After every step: whatever the cache answers for any key is the store's value (a racing load's
 * stale value is never answered afterwards), no key is cached twice, and the bound holds.
 */
class SetAssociativeCacheProperties {
  private static final int KEYS = 24;

  /** A step on {@code key}; a racing read performs {@code inner} on {@code other} while loading. */
  record Op(Kind kind, int key, Kind inner, int other) {}

  enum Kind {
    /** The store write, then {@link DirectMappedCache#put}. */
    PUT,
    /** {@link DirectMappedCache#writeThrough} of a write that succeeds. */
    WRITE_THROUGH,
    /** {@link DirectMappedCache#writeThrough} of a write that is applied, then throws. */
    WRITE_APPLIED_THEN_FAILED,
    /** {@link DirectMappedCache#writeThrough} of a write that throws before being applied. */
    WRITE_FAILED,
    /** The store delete, then {@link DirectMappedCache#invalidate}. */
    DELETE,
    /** A read loading from the store. */
    GET,
    /** A read that reads the store, lets {@code inner} on {@code other} complete, then answers. */
    RACING_GET,
    /** The same, {@code inner} on its own key. */
    RACING_GET_SAME_KEY
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Integer> key = Arbitraries.integers().between(0, KEYS - 1);
    return Combinators.combine(Arbitraries.of(Kind.class), key, Arbitraries.of(Kind.class), key)
        .as(Op::new).list().ofMaxSize(300);
  }

  private int version;

  @Property(tries = 400)
  void aReadNeverAnswersAStaleValueWithManyKeysPerSet(@ForAll("ops") List<Op> ops,
      @ForAll @IntRange(min = 0, max = 9) int capacity,
      @ForAll @IntRange(min = 1, max = 4) int ways) {
    DirectMappedCache<String, String> cache =
        new DirectMappedCache<>("capacity", capacity, true, ways);
    Map<String, String> store = new HashMap<>();
    version = 0;
    for (Op op : ops) {
      String key = "app/dev-" + op.key();
      String other = op.kind() == Kind.RACING_GET_SAME_KEY ? key : "app/dev-" + op.other();
      apply(cache, store, op.kind(), key, op.inner(), other);
      for (int k = 0; k < KEYS; k++) {
        String any = "app/dev-" + k;
        assertThat(cache.copies(any)).as("copies of %s", any).isLessThanOrEqualTo(1);
        String cached = cache.get(any, x -> null);
        if (cached != null) {
          assertThat(cached).as("cached value of %s after %s", any, op).isEqualTo(store.get(any));
        }
      }
      assertThat(cache.size()).isLessThanOrEqualTo(capacity);
    }
    // And with loads from the store, every key reads the store's value.
    for (int k = 0; k < KEYS; k++) {
      String any = "app/dev-" + k;
      assertThat(cache.get(any, store::get)).isEqualTo(store.get(any));
    }
  }

  private void apply(DirectMappedCache<String, String> cache, Map<String, String> store, Kind kind,
      String key, Kind inner, String other) {
    String value = key + "#" + version++;
    switch (kind) {
      case PUT -> {
        store.put(key, value);
        cache.put(key, value);
      }
      case WRITE_THROUGH -> cache.writeThrough(key, value, () -> store.put(key, value));
      case WRITE_APPLIED_THEN_FAILED -> {
        assertThatThrownBy(() -> cache.writeThrough(key, value, () -> {
          store.put(key, value);
          throw new StoreException("lost acknowledgement (test)");
        })).isInstanceOf(StoreException.class);
        assertThat(cache.get(key, k -> null)).isNull();
      }
      case WRITE_FAILED -> {
        assertThatThrownBy(() -> cache.writeThrough(key, value, () -> {
          throw new StoreException("disk full (test)");
        })).isInstanceOf(StoreException.class);
        assertThat(cache.get(key, k -> null)).isNull();
      }
      case DELETE -> {
        store.remove(key);
        cache.invalidate(key);
        assertThat(cache.get(key, k -> null)).isNull();
      }
      case GET -> assertThat(cache.get(key, store::get)).isEqualTo(store.get(key));
      case RACING_GET, RACING_GET_SAME_KEY -> {
        String before = store.get(key);
        boolean[] loaded = {false};
        String[] read = new String[1];
        String answered = cache.get(key, k -> {
          loaded[0] = true;
          read[0] = store.get(k); // the load reads the store first...
          // ...then another operation completes (no nested race: one level is enough)...
          apply(cache, store, inner == Kind.RACING_GET || inner == Kind.RACING_GET_SAME_KEY
              ? Kind.GET : inner, other, Kind.GET, other);
          return read[0]; // ...and the load answers what it had read.
        });
        // A hit answers the store's value; a load answers what it read, even if now stale.
        assertThat(answered).isEqualTo(loaded[0] ? read[0] : before);
      }
      default -> throw new AssertionError(kind);
    }
  }
}
