package dev.loralab.identityserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Any sequence of writes (some keeping only the key), deletes, failed writes and reads (some reads racing with a write: the
 * write completes while the read loads) against a reference map standing for the store: a read
 * never answers a value other than the last one written for its key, or nothing; a forgotten key
 * (deleted, or its write failed) is never answered from the cache; and a read that loads always
 * answers what the store holds after the writes that completed before it began.
 */
class DirectMappedCacheProperties {
  private static final int KEYS = 6;

  /** A step; {@code key} and {@code other} index the keys, {@code version} is made unique. */
  record Op(Kind kind, int key, int other) {}

  enum Kind {
    /** The store write, then {@link DirectMappedCache#put}. */
    PUT,
    /** {@link DirectMappedCache#writeThrough} of a write that succeeds. */
    WRITE_THROUGH,
    /** {@link DirectMappedCache#writeThrough} of a write that is applied, then throws. */
    WRITE_APPLIED_THEN_FAILED,
    /** {@link DirectMappedCache#writeThrough} of a write that throws before being applied. */
    WRITE_FAILED,
    /** The store write, then {@link DirectMappedCache#putKeyOnly}. */
    PUT_KEY_ONLY,
    /** The store delete, then {@link DirectMappedCache#invalidate}. */
    DELETE,
    /** A read loading from the store. */
    GET,
    /** A read whose loader answers nothing: only what the cache holds. */
    PEEK,
    /** A read that loads the key's old value while a write of {@code other} completes. */
    GET_RACING_PUT,
    /** A read that loads the key's old value while a delete of {@code other} completes. */
    GET_RACING_DELETE,
    /** A read that loads the key's old value while a key-only write of {@code other} completes. */
    GET_RACING_PUT_KEY_ONLY
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, KEYS - 1),
        Arbitraries.integers().between(0, KEYS - 1)).as(Op::new).list().ofMaxSize(200);
  }

  @Property(tries = 300)
  void aReadAnswersTheLastWrittenValueOrNothing(@ForAll("ops") List<Op> ops,
      @ForAll @IntRange(min = 0, max = KEYS + 1) int capacity) {
    DirectMappedCache<String, String> cache = new DirectMappedCache<>("capacity", capacity, true);
    Map<String, String> store = new HashMap<>();
    int version = 0;
    for (Op op : ops) {
      String key = "app/dev-" + op.key();
      String other = "app/dev-" + op.other();
      String value = key + "#" + version++;
      switch (op.kind()) {
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
        case PUT_KEY_ONLY -> {
          store.put(key, value);
          cache.putKeyOnly(key);
          assertThat(cache.get(key, k -> null)).isNull();
        }
        case DELETE -> {
          store.remove(key);
          cache.invalidate(key);
          assertThat(cache.get(key, k -> null)).isNull();
        }
        case GET -> assertThat(cache.get(key, store::get)).isEqualTo(store.get(key));
        case PEEK -> {
          String cached = cache.get(key, k -> null);
          if (cached != null) {
            assertThat(cached).isEqualTo(store.get(key));
          }
        }
        case GET_RACING_PUT -> {
          String old = store.get(key);
          assertThat(cache.get(key, k -> {
            store.put(other, value);
            cache.put(other, value);
            return old;
          })).isEqualTo(old);
        }
        case GET_RACING_DELETE -> {
          String old = store.get(key);
          assertThat(cache.get(key, k -> {
            store.remove(other);
            cache.invalidate(other);
            return old;
          })).isEqualTo(old);
        }
        case GET_RACING_PUT_KEY_ONLY -> {
          String old = store.get(key);
          assertThat(cache.get(key, k -> {
            store.put(other, value);
            cache.putKeyOnly(other);
            return old;
          })).isEqualTo(old);
        }
        default -> throw new AssertionError(op);
      }
      // After every step, whatever the cache answers for any key is the store's value.
      for (int k = 0; k < KEYS; k++) {
        String any = "app/dev-" + k;
        String cached = cache.get(any, x -> null);
        if (cached != null) {
          assertThat(cached).as("cached value of %s", any).isEqualTo(store.get(any));
        }
      }
      assertThat(cache.size()).isLessThanOrEqualTo(capacity);
    }
  }

  /** The same with absence cached ({@code Optional} values, as the AS store caches them). */
  @Property(tries = 200)
  void cachedAbsenceIsForgottenByEveryWrite(@ForAll("ops") List<Op> ops,
      @ForAll @IntRange(min = 0, max = KEYS + 1) int capacity) {
    DirectMappedCache<String, Optional<String>> cache = new DirectMappedCache<>("size", capacity);
    Map<String, String> store = new HashMap<>();
    int version = 0;
    for (Op op : ops) {
      String key = "app/dev-" + op.key();
      String value = key + "#" + version++;
      switch (op.kind()) {
        case PUT, WRITE_THROUGH ->
            cache.writeThrough(key, Optional.of(value), () -> store.put(key, value));
        case WRITE_APPLIED_THEN_FAILED, WRITE_FAILED -> {
          boolean applied = op.kind() == Kind.WRITE_APPLIED_THEN_FAILED;
          assertThatThrownBy(() -> cache.writeThrough(key, Optional.of(value), () -> {
            if (applied) {
              store.put(key, value);
            }
            throw new StoreException("disk full (test)");
          })).isInstanceOf(StoreException.class);
        }
        case PUT_KEY_ONLY, GET_RACING_PUT_KEY_ONLY -> {
          store.put(key, value);
          cache.putKeyOnly(key);
        }
        case DELETE, GET_RACING_DELETE -> {
          store.remove(key);
          cache.invalidate(key);
        }
        case GET, PEEK, GET_RACING_PUT -> { }
        default -> throw new AssertionError(op);
      }
      for (int k = 0; k < KEYS; k++) {
        String any = "app/dev-" + k;
        assertThat(cache.get(any, x -> Optional.ofNullable(store.get(x))))
            .as("value of %s", any).isEqualTo(Optional.ofNullable(store.get(any)));
      }
      assertThat(cache.count(v -> true)).isLessThanOrEqualTo(capacity);
    }
  }
}
