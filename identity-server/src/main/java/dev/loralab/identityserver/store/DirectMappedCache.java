package dev.loralab.identityserver.store;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A bounded, write-through cache of parsed values in front of a store, set-associative: a key's
 * hash picks one set of a few ways ({@link #DEFAULT_WAYS} unless configured), the key may be cached
 * in any way of its set, and a key installed in a full set evicts one of the set's keys. Reads
 * never lock. (The name is historical: with one way per set the cache is direct-mapped, as it first
 * was.)
 *
 * <p>Why sets. Direct-mapped, {@code n} keys in {@code m} slots collide with probability about
 * {@code 1 - e^(-n/m)} (26 % for 10,000 devices in 32,768 slots), and colliding keys visited
 * round-robin evict each other on every visit. With {@code w} ways a key misses only where more
 * than {@code w} keys share a set; at the same capacity that is rare: 10,000 devices read
 * round-robin in 32,768 ways hit 98 % of the time with 4 ways (99.9 % with 8), against 74 %
 * direct-mapped. The bound still holds: the sets have {@code capacity} ways in all, one key each. A
 * read scans the ways of one set, comparing a one-byte tag of each key's hash and the key itself
 * only where the tag matches.
 *
 * <p>Victim. An empty way is filled first. In a full set the victim is a pseudo-random way, derived
 * from the hash of the new key and the tags of the keys in the set (so it is deterministic for a
 * given sequence of operations, and needs no shared state such as a counter or a random generator
 * written on every miss). Random replacement is chosen because a fleet visits its devices
 * round-robin: when {@code w + 1} keys cycle through a {@code w}-way set, least-recently-used,
 * first-in-first-out and a rotating victim all evict exactly the key needed next and miss on every
 * visit, whereas a random victim keeps most of them (five keys cycling through a 4-way set hit
 * about 60 % of the time).
 *
 * <p>Coherence. The cache's owner must be the only writer of the values it caches. Its writes of a
 * key are serialized (per key, by the owner) and each one, once the store has applied it, calls
 * {@link #put} (or {@link #writeThrough}) or {@link #invalidate}. A set's content is an immutable
 * bucket object, replaced whole by compare-and-set; writes of different keys of a set may run
 * concurrently and retry their compare-and-set, each building its bucket from the current one, so
 * none is lost (lock-free: a retry means another write or load of the set succeeded).
 * <ul>
 *   <li>Every write ({@code put} or {@code invalidate}, of any key of the set, even one not cached)
 *       installs a new bucket object. Buckets are never reused, so there is no ABA.
 *   <li>A reader that misses remembers the bucket it saw (in which the key is absent), loads
 *       from the store, and installs its result only by compare-and-set against that bucket. If
 *       any write touched the set in between, the install fails, so a value loaded before a
 *       write completed never replaces the write's value or resurrects a deleted key.
 *   <li>A key is never cached in two ways: a write replaces the way that holds the key (or fills
 *       one where it is absent) in a copy of the current bucket; a load installs only into a
 *       copy of the very bucket where it found the key absent.
 * </ul>
 * A read answers from one bucket, read once (volatile): hence a read never returns a value older
 * than the last write of the key that completed before the read began.
 *
 * <p>Keys without values. {@link #putKeyOnly} keeps a key in its way but not its value: a read of
 * the key loads as on a miss (and installs what it loads in that way), and is counted apart
 * ({@link #keyOnlyMisses}). An owner that does not want to hold a value it will rarely read again
 * (a large parsed object that would only survive into the old generation) still learns how often
 * it would have been read from the cache: {@link #hits} plus {@link #keyOnlyMisses}.
 *
 * <p>A load that returns {@code null} (nothing stored) is not cached; to cache absence, use a value
 * type that represents it, such as {@code Optional<T>} with a loader that never returns null.
 * Values are shared by every reader and must be immutable.
 *
 * <p>Memory: one reference per set plus, per used set, a bucket (a {@code long} of tags and two
 * references per way, key and value: 56 bytes for 4 ways, 88 for 5 to 8, with compressed
 * references); every write and every installing load allocates the set's new bucket. Capacity 0
 * disables the cache: every read loads, writes do nothing.
 *
 * @param <K> the key type (with content equality, such as {@code String})
 * @param <V> the cached value type (immutable)
 */
public final class DirectMappedCache<K, V> {
  /** The value of a way whose key is kept without its value ({@link #putKeyOnly}). */
  private static final Object KEY_ONLY = new Object();

  /**
   * The default number of ways per set. With 10,000 keys read round-robin in 32,768 ways, about
   * 98 % of reads hit with 4 ways against 74 % direct-mapped (99.9 % with 8 ways, at a cost of some
   * nanoseconds per read); a read compares at most four one-byte tags.
   */
  public static final int DEFAULT_WAYS = 4;

  /** The most ways per set: one 8-bit tag per way in a {@code long}. */
  public static final int MAX_WAYS = 8;

  /**
   * A set's content, immutable once published; identity matters (never reused). Way {@code w}
   * ({@code w < n}) holds {@link #key}{@code (w)} (null if the way is empty) and
   * {@link #value}{@code (w)}, and byte {@code w} of {@code tags} is 0 for an empty way, else
   * 8 bits of the key's hash (never 0), so a read compares keys only where a tag matches.
   *
   * <p>The ways are fields of the bucket itself, not an array beside it: a read follows one
   * reference fewer (the set's slot, then the bucket, then the key), which matters when the
   * buckets are out of the CPU caches, as a large fleet's are between two visits of a device.
   * A bucket of up to 4 ways (the default) is 56 bytes with compressed references (the old bucket
   * and its array were 72); wider sets use {@link WideBucket}.
   */
  private static class Bucket {
    final int n;
    final long tags;
    final Object k0;
    final Object v0;
    final Object k1;
    final Object v1;
    final Object k2;
    final Object v2;
    final Object k3;
    final Object v3;

    /**
     * {@code b}'s ways (none if null) with way {@code at} (if {@code at >= 0}) set to
     * {@code key -> value} (both null: empty), and these tags; {@code n} ways in all.
     */
    static Bucket of(Bucket b, int n, long tags, int at, Object key, Object value) {
      return n <= 4 ? new Bucket(b, n, tags, at, key, value)
          : new WideBucket(b, n, tags, at, key, value);
    }

    Bucket(Bucket b, int n, long tags, int at, Object key, Object value) {
      this.n = n;
      this.tags = tags;
      k0 = at == 0 ? key : b == null ? null : b.k0;
      v0 = at == 0 ? value : b == null ? null : b.v0;
      k1 = at == 1 ? key : b == null ? null : b.k1;
      v1 = at == 1 ? value : b == null ? null : b.v1;
      k2 = at == 2 ? key : b == null ? null : b.k2;
      v2 = at == 2 ? value : b == null ? null : b.v2;
      k3 = at == 3 ? key : b == null ? null : b.k3;
      v3 = at == 3 ? value : b == null ? null : b.v3;
    }

    final Object key(int w) {
      return switch (w) {
        case 0 -> k0;
        case 1 -> k1;
        case 2 -> k2;
        case 3 -> k3;
        default -> ((WideBucket) this).wideKey(w);
      };
    }

    final Object value(int w) {
      return switch (w) {
        case 0 -> v0;
        case 1 -> v1;
        case 2 -> v2;
        case 3 -> v3;
        default -> ((WideBucket) this).wideValue(w);
      };
    }
  }

  /** A bucket of 5 to {@link #MAX_WAYS} ways. */
  private static final class WideBucket extends Bucket {
    final Object k4;
    final Object v4;
    final Object k5;
    final Object v5;
    final Object k6;
    final Object v6;
    final Object k7;
    final Object v7;

    WideBucket(Bucket b, int n, long tags, int at, Object key, Object value) {
      super(b, n, tags, at, key, value);
      WideBucket w = (WideBucket) b;
      k4 = at == 4 ? key : w == null ? null : w.k4;
      v4 = at == 4 ? value : w == null ? null : w.v4;
      k5 = at == 5 ? key : w == null ? null : w.k5;
      v5 = at == 5 ? value : w == null ? null : w.v5;
      k6 = at == 6 ? key : w == null ? null : w.k6;
      v6 = at == 6 ? value : w == null ? null : w.v6;
      k7 = at == 7 ? key : w == null ? null : w.k7;
      v7 = at == 7 ? value : w == null ? null : w.v7;
    }

    Object wideKey(int w) {
      return switch (w) {
        case 4 -> k4;
        case 5 -> k5;
        case 6 -> k6;
        default -> k7;
      };
    }

    Object wideValue(int w) {
      return switch (w) {
        case 4 -> v4;
        case 5 -> v5;
        case 6 -> v6;
        default -> v7;
      };
    }
  }

  private final int capacity;
  private final int ways;
  private final int sets;
  /** Per set, null (never written) or its current content. */
  private final AtomicReferenceArray<Bucket> buckets;
  /** Null unless reads are counted. */
  private final ReadCounts reads;

  /**
   * A cache of {@link #DEFAULT_WAYS} ways per set that does not count its reads.
   *
   * @param name     the configuration name of the capacity, for the error message
   * @param capacity the number of ways in all (keys cached at most); 0 disables the cache
   * @throws IllegalArgumentException if {@code capacity} is negative
   */
  public DirectMappedCache(String name, int capacity) {
    this(name, capacity, false);
  }

  /**
   * A cache of {@link #DEFAULT_WAYS} ways per set.
   *
   * @param name       the configuration name of the capacity, for the error message
   * @param capacity   the number of ways in all (keys cached at most); 0 disables the cache
   * @param countReads whether to count hits and misses ({@link #hits()}, {@link #misses()})
   * @throws IllegalArgumentException if {@code capacity} is negative
   */
  public DirectMappedCache(String name, int capacity, boolean countReads) {
    this(name, capacity, countReads, DEFAULT_WAYS);
  }

  /**
   * @param name       the configuration name of the capacity, for the error message
   * @param capacity   the number of ways in all (keys cached at most); 0 disables the cache
   * @param countReads whether to count hits and misses ({@link #hits()}, {@link #misses()})
   * @param ways       the ways per set, 1 (direct-mapped) to {@link #MAX_WAYS}; a capacity smaller
   *                   than that makes one set of {@code capacity} ways, and where {@code ways} does
   *                   not divide the capacity the last set has fewer ways
   * @throws IllegalArgumentException if {@code capacity} is negative or {@code ways} out of range
   */
  public DirectMappedCache(String name, int capacity, boolean countReads, int ways) {
    if (capacity < 0) {
      throw new IllegalArgumentException(name + ": expected >= 0, found " + capacity);
    }
    if (ways < 1 || ways > MAX_WAYS) {
      throw new IllegalArgumentException(
          name + " ways: expected 1 to " + MAX_WAYS + ", found " + ways);
    }
    this.capacity = capacity;
    this.ways = Math.max(1, Math.min(ways, capacity));
    this.sets = capacity == 0 ? 1 : (capacity + this.ways - 1) / this.ways;
    this.buckets = new AtomicReferenceArray<>(sets);
    this.reads = countReads ? new ReadCounts() : null;
  }

  private static int hash(Object key) {
    // A full 32-bit finalizer (MurmurHash3's fmix32): String hashes of sequential IDs differ only
    // in their low bits; the set is taken from the high bits, the tag from the low byte.
    int h = key.hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  /** The set of a mixed hash: multiply-shift, uniform over the sets for a uniform hash. */
  private int set(int h) {
    return (int) (((h & 0xffffffffL) * sets) >>> 32);
  }

  /** The tag of a mixed hash: its low byte, never 0 (the tag of an empty way). */
  private static long tag(int h) {
    int t = h & 0xff;
    return t == 0 ? 1 : t;
  }

  /** The number of ways of {@code set}: {@link #ways}, or fewer for a last, partial set. */
  private int width(int set) {
    return Math.min(ways, capacity - set * ways);
  }

  /** The way of {@code key} (tag {@code t}) in {@code b}, or -1. */
  private static int wayOf(Bucket b, long t, Object key) {
    if (b != null) {
      long tags = b.tags;
      for (int w = 0, n = b.n; w < n; w++, tags >>>= 8) {
        if ((tags & 0xff) == t && key.equals(b.key(w))) {
          return w;
        }
      }
    }
    return -1;
  }

  /**
   * The value of {@code key}: from the cache, or loaded by {@code load} (null if nothing is stored)
   * and then cached, unless it is null or a write to the key's set raced with the load.
   */
  public V get(K key, Function<? super K, ? extends V> load) {
    return get(key, load, null);
  }

  /**
   * Like {@link #get(Object, Function)}, but on a miss the loaded value is cached only if
   * {@code installable} (null: always) accepts the key. It is asked after the key's set was read
   * and before loading. An owner whose store may show a write to readers before the write
   * completes (and is cached) keeps only the key ({@link #putKeyOnly}) when it submits the write
   * and answers false while the write is in flight: otherwise a reader that read the new value
   * from the store could later be answered the old one from the cache.
   */
  @SuppressWarnings("unchecked")
  public V get(K key, Function<? super K, ? extends V> load,
      Predicate<? super K> installable) {
    if (capacity == 0) {
      return load.apply(key);
    }
    int h = hash(key);
    int s = set(h);
    long t = tag(h);
    Bucket seen = buckets.get(s);
    int w = wayOf(seen, t, key);
    if (w >= 0) {
      Object v = seen.value(w);
      if (v != KEY_ONLY) {
        if (reads != null) {
          reads.hit();
        }
        return (V) v;
      }
      if (reads != null) {
        reads.keyOnlyMiss();
      }
    } else if (reads != null) {
      reads.miss();
    }
    boolean install = installable == null || installable.test(key);
    V loaded = load.apply(key);
    if (loaded != null && install) {
      // seen holds key in way w (value-less) or nowhere (w < 0): the new content holds one copy.
      buckets.compareAndSet(s, seen, with(seen, s, h, t, key, loaded, w));
    }
    return loaded;
  }

  /**
   * Caches {@code value} as the stored value of {@code key}; call after the store applied the
   * write, serialized with the other writes of the key.
   */
  public void put(K key, V value) {
    install(key, Objects.requireNonNull(value, "value"));
  }

  /**
   * Like {@link #put}, but keeps only the key: the stored value is not held, and the next read of
   * the key loads it (counted in {@link #keyOnlyMisses}). Call as {@link #put}.
   */
  public void putKeyOnly(K key) {
    install(key, KEY_ONLY);
  }

  private void install(K key, Object value) {
    if (capacity == 0) {
      return;
    }
    int h = hash(key);
    int s = set(h);
    long t = tag(h);
    Bucket b;
    do {
      b = buckets.get(s);
    } while (!buckets.compareAndSet(s, b, with(b, s, h, t, key, value, wayOf(b, t, key))));
  }

  /**
   * Runs {@code write}, the store write of {@code key}'s new value, then caches {@code value}; if
   * the write throws, forgets {@code key} (the write may or may not have happened) and rethrows.
   * Call serialized with the other writes of the key.
   */
  public void writeThrough(K key, V value, Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      invalidate(key);
      throw e;
    }
    put(key, value);
  }

  /**
   * Forgets {@code key}; call after a delete or a write that failed (its effect is unknown). Also
   * makes every load of the key's set in progress fail to install.
   */
  public void invalidate(K key) {
    if (capacity == 0) {
      return;
    }
    int h = hash(key);
    int s = set(h);
    long t = tag(h);
    Bucket b;
    Bucket without;
    do {
      b = buckets.get(s);
      // Always a new bucket, even if key is absent: it fails the loads of the set in progress.
      if (b == null) {
        without = Bucket.of(null, width(s), 0, -1, null, null);
      } else {
        int w = wayOf(b, t, key);
        without = w < 0 ? Bucket.of(b, b.n, b.tags, -1, null, null)
            : Bucket.of(b, b.n, b.tags & ~(0xffL << (w << 3)), w, null, null);
      }
    } while (!buckets.compareAndSet(s, b, without));
  }

  /**
   * A new bucket for set {@code s}: {@code b}'s content with {@code key -> value} in way {@code at}
   * (the key's way) or, if {@code at < 0} (the key is absent), in an empty way or else in a victim
   * way.
   */
  private Bucket with(Bucket b, int s, int h, long t, Object key, Object value, int at) {
    int n = b == null ? width(s) : b.n;
    long tags = b == null ? 0 : b.tags;
    int w = at >= 0 ? at : vacancy(tags, n, h);
    tags = (tags & ~(0xffL << (w << 3))) | (t << (w << 3));
    return Bucket.of(b, n, tags, w, key, value);
  }

  /** The first empty way of {@code n} with these tags, or else a pseudo-random victim way. */
  private static int vacancy(long tags, int n, int h) {
    for (int w = 0; w < n; w++) {
      if (((tags >>> (w << 3)) & 0xff) == 0) {
        return w;
      }
    }
    // Pseudo-random from the new key's hash and the tags of the keys in the set.
    long x = (tags ^ (h & 0xffffffffL)) * 0x9e3779b97f4a7c15L;
    x ^= x >>> 29;
    x *= 0xbf58476d1ce4e5b9L;
    x ^= x >>> 32;
    return (int) ((x >>> 1) % n);
  }

  /** The configured capacity: the number of ways in all. */
  public int capacity() {
    return capacity;
  }

  /** The number of ways per set (1 when direct-mapped; at most the capacity). */
  public int ways() {
    return ways;
  }

  /**
   * The number of cached values, keys kept without their value excluded (scans every set; for
   * tests and metrics).
   */
  public int size() {
    return count(v -> true);
  }

  /**
   * The number of cached keys whose value matches {@code which} (scans every set; for tests and
   * metrics).
   */
  @SuppressWarnings("unchecked")
  public int count(Predicate<? super V> which) {
    if (capacity == 0) {
      return 0;
    }
    int n = 0;
    for (int s = 0; s < sets; s++) {
      Bucket b = buckets.get(s);
      if (b != null) {
        for (int w = 0; w < b.n; w++) {
          Object v = b.value(w);
          if (b.key(w) != null && v != KEY_ONLY && which.test((V) v)) {
            n++;
          }
        }
      }
    }
    return n;
  }

  /**
   * The number of ways of {@code key}'s set that hold {@code key}, by key comparison regardless of
   * tags (0 or 1; for tests). Also checks that every way's tag agrees with its key.
   */
  int copies(K key) {
    if (capacity == 0) {
      return 0;
    }
    Bucket b = buckets.get(set(hash(key)));
    int n = 0;
    if (b != null) {
      for (int w = 0; w < b.n; w++) {
        Object k = b.key(w);
        long tag = (b.tags >>> (w << 3)) & 0xff;
        if (k == null ? tag != 0 : tag != tag(hash(k))) {
          throw new AssertionError("way " + w + ": tag " + tag + " for key " + k);
        }
        if (k != null && key.equals(k)) {
          n++;
        }
      }
    }
    return n;
  }

  /** Whether {@code a} and {@code b} fall in the same set (for tests). */
  boolean sameSet(K a, K b) {
    return set(hash(a)) == set(hash(b));
  }

  /** Reads answered from the cache; 0 if reads are not counted. */
  public long hits() {
    return reads == null ? 0 : reads.hits();
  }

  /**
   * Reads that missed and loaded (capacity 0 excluded), key-only reads included; 0 if reads are
   * not counted.
   */
  public long misses() {
    return reads == null ? 0 : reads.misses();
  }

  /**
   * Reads that found their key kept without its value ({@link #putKeyOnly}) and loaded: the
   * misses that would have been hits had the value been kept. 0 if reads are not counted.
   */
  public long keyOnlyMisses() {
    return reads == null ? 0 : reads.keyOnlyMisses();
  }
}
