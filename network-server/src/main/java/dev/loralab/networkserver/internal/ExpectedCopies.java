package dev.loralab.networkserver.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many gateway receptions the last uplink of each DevAddr had: the number of copies the
 * {@link Deduplicator} may wait for before it closes a window early. A hint, not state: a lost or
 * evicted entry only means the next uplink of that DevAddr waits the full window.
 *
 * <p>A table of {@code long} slots ({@code DevAddr << 32 | count}, 0 = empty): no boxing, no
 * per-entry objects. A DevAddr lives in one of two buckets of 8 slots chosen by two hashes, the
 * emptier one when it is added (the two-choice scheme keeps the buckets evenly filled, so that
 * at half load a full pair of buckets is very rare). The table starts small and doubles while
 * more than half full, up to a configured size; at that size a DevAddr whose two buckets are
 * full replaces an entry of its first bucket. Slots are read and written atomically, so an entry
 * is never torn; updates racing with a resize may be lost, which the hint tolerates.
 */
final class ExpectedCopies {

  /** Slots per bucket (a 64-byte cache line). */
  private static final int BUCKET = 8;
  private static final int INITIAL_SLOTS = 1024;
  /** Largest bound: 2^27 slots, 1 GiB. */
  static final int MAX_DEV_ADDRS = 1 << 26;
  /** Counts are kept in the low byte. */
  static final int MAX_COUNT = 0xFF;

  private final int maxSlots;
  private final ReentrantLock resizing = new ReentrantLock();
  private final AtomicInteger used = new AtomicInteger();
  private volatile AtomicLongArray slots;

  /**
   * @param maxDevAddrs how many DevAddrs are remembered before some are forgotten (the table
   *     holds at most the next power of two of twice this many slots, 8 bytes each)
   */
  ExpectedCopies(int maxDevAddrs) {
    if (maxDevAddrs < 1 || maxDevAddrs > MAX_DEV_ADDRS) {
      throw new IllegalArgumentException("maxDevAddrs: expected 1.." + MAX_DEV_ADDRS
          + ", found " + maxDevAddrs);
    }
    this.maxSlots = Math.max(2 * BUCKET, Integer.highestOneBit(2 * maxDevAddrs - 1) << 1);
    this.slots = new AtomicLongArray(Math.min(INITIAL_SLOTS, maxSlots));
  }

  /** The remembered count of {@code devAddr}, or 0 if none. */
  int get(int devAddr) {
    AtomicLongArray t = slots;
    long h = mix(devAddr);
    long e = entry(t, first(h, t), devAddr);
    if (e == 0) {
      e = entry(t, second(h, t), devAddr);
    }
    // the count of the entry as found: reading the slot again could see another DevAddr's entry
    // written there meanwhile (a replacement at the bound)
    return (int) (e & MAX_COUNT);
  }

  /** The entry of {@code devAddr} in the bucket at {@code b} (one read of its slot), or 0. */
  private static long entry(AtomicLongArray t, int b, int devAddr) {
    for (int i = b; i < b + BUCKET; i++) {
      long e = t.get(i);
      if (e != 0 && (int) (e >>> 32) == devAddr) {
        return e;
      }
    }
    return 0;
  }

  /** Remembers {@code count} (clamped to 1..255) for {@code devAddr}. */
  void put(int devAddr, int count) {
    long entry = ((long) devAddr << 32) | Math.max(1, Math.min(MAX_COUNT, count));
    AtomicLongArray t = slots;
    if (tryPut(t, devAddr, entry)) {
      return;
    }
    if (t.length() < maxSlots) {
      grow(t);
      t = slots;
      if (tryPut(t, devAddr, entry)) {
        return;
      }
    }
    // both buckets full at the bound: forget one DevAddr of the first bucket
    long h = mix(devAddr);
    t.set(first(h, t) + (int) (h >>> 61), entry);
  }

  /** Number of slots (for tests: the table grows up to its bound, never beyond). */
  int capacity() {
    return slots.length();
  }

  private boolean tryPut(AtomicLongArray t, int devAddr, long entry) {
    long h = mix(devAddr);
    int b1 = first(h, t);
    int b2 = second(h, t);
    int i = find(t, b1, devAddr);
    if (i < 0) {
      i = find(t, b2, devAddr);
    }
    if (i >= 0) {
      t.set(i, entry);
      return true;
    }
    // the emptier bucket first: balanced buckets rarely overflow
    boolean firstEmptier = occupied(t, b1) <= occupied(t, b2);
    if (firstEmptier ? claim(t, b1, entry) || claim(t, b2, entry)
        : claim(t, b2, entry) || claim(t, b1, entry)) {
      if (used.incrementAndGet() > t.length() / 2 && t.length() < maxSlots) {
        grow(t);
      }
      return true;
    }
    return false;
  }

  /** The slot of {@code devAddr} in the bucket at {@code b}, or -1. */
  private static int find(AtomicLongArray t, int b, int devAddr) {
    for (int i = b; i < b + BUCKET; i++) {
      long e = t.get(i);
      if (e != 0 && (int) (e >>> 32) == devAddr) {
        return i;
      }
    }
    return -1;
  }

  private static int occupied(AtomicLongArray t, int b) {
    int n = 0;
    for (int i = b; i < b + BUCKET; i++) {
      n += t.get(i) != 0 ? 1 : 0;
    }
    return n;
  }

  /** Puts {@code entry} in an empty slot of the bucket at {@code b}, if there is one. */
  private static boolean claim(AtomicLongArray t, int b, long entry) {
    for (int i = b; i < b + BUCKET; i++) {
      if (t.get(i) == 0 && t.compareAndSet(i, 0, entry)) {
        return true;
      }
    }
    return false;
  }

  /** Doubles the table if it is still {@code from}; a concurrent caller skips it. */
  private void grow(AtomicLongArray from) {
    if (!resizing.tryLock()) {
      return;
    }
    try {
      if (slots != from || from.length() >= maxSlots) {
        return;
      }
      AtomicLongArray to = new AtomicLongArray(from.length() * 2);
      int n = 0;
      for (int i = 0; i < from.length(); i++) {
        long e = from.get(i);
        if (e != 0) {
          long h = mix((int) (e >>> 32));
          int b1 = first(h, to);
          int b2 = second(h, to);
          if (occupied(to, b1) <= occupied(to, b2)
              ? claim(to, b1, e) || claim(to, b2, e) : claim(to, b2, e) || claim(to, b1, e)) {
            n++;
          }
        }
      }
      used.set(n);
      slots = to;
    } finally {
      resizing.unlock();
    }
  }

  private static int first(long h, AtomicLongArray t) {
    return ((int) h & (t.length() / BUCKET - 1)) * BUCKET;
  }

  private static int second(long h, AtomicLongArray t) {
    return ((int) (h >>> 32) & (t.length() / BUCKET - 1)) * BUCKET;
  }

  /**
   * DevAddrs share their NetID prefix and are often sequential: mix all bits into both halves
   * (the MurmurHash3 64-bit finalizer).
   */
  private static long mix(int devAddr) {
    long h = devAddr & 0xFFFF_FFFFL;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
  }
}
