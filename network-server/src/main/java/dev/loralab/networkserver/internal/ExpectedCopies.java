package dev.loralab.networkserver.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many gateway receptions the last uplink of each DevAddr had: the number of copies the
 * {@link Deduplicator} may wait for before it closes a window early. A hint, not state: a lost or
 * evicted entry only means the next uplink of that DevAddr waits the full window.
 *
 * <p>An open-addressing table of {@code long} slots ({@code DevAddr << 32 | count}, 0 = empty),
 * no boxing and no per-entry objects. It starts small and doubles while it is at most half full,
 * up to a configured capacity; at that capacity a DevAddr whose probe sequence is full replaces
 * the entry in its home slot. Slots are read and written atomically, so an entry is never torn;
 * updates racing with a resize may be lost, which the hint tolerates.
 */
final class ExpectedCopies {

  /** Slots probed from a DevAddr's home slot. */
  private static final int PROBES = 8;
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
    this.maxSlots = Math.max(PROBES, Integer.highestOneBit(2 * maxDevAddrs - 1) << 1);
    this.slots = new AtomicLongArray(Math.min(INITIAL_SLOTS, maxSlots));
  }

  /** The remembered count of {@code devAddr}, or 0 if none. */
  int get(int devAddr) {
    AtomicLongArray t = slots;
    int mask = t.length() - 1;
    int home = home(devAddr, mask);
    for (int p = 0; p < PROBES; p++) {
      long e = t.get((home + p) & mask);
      if (e == 0) {
        return 0; // entries are never removed: an empty slot ends the probe sequence
      }
      if ((int) (e >>> 32) == devAddr) {
        return (int) (e & MAX_COUNT);
      }
    }
    return 0;
  }

  /** Remembers {@code count} (clamped to 1..255) for {@code devAddr}. */
  void put(int devAddr, int count) {
    long entry = ((long) devAddr << 32) | Math.max(1, Math.min(MAX_COUNT, count));
    AtomicLongArray t = slots;
    if (!tryPut(t, devAddr, entry)) {
      if (t.length() < maxSlots) {
        grow(t);
        t = slots;
        if (tryPut(t, devAddr, entry)) {
          return;
        }
      }
      t.set(home(devAddr, t.length() - 1), entry); // full: evict the home slot's DevAddr
    }
  }

  /** Number of slots (for tests: the table grows up to its bound, never beyond). */
  int capacity() {
    return slots.length();
  }

  private boolean tryPut(AtomicLongArray t, int devAddr, long entry) {
    int mask = t.length() - 1;
    int home = home(devAddr, mask);
    for (int p = 0; p < PROBES; p++) {
      int i = (home + p) & mask;
      long e = t.get(i);
      if (e == 0) {
        if (t.compareAndSet(i, 0, entry)) {
          if (used.incrementAndGet() > t.length() / 2 && t.length() < maxSlots) {
            grow(t);
          }
          return true;
        }
        e = t.get(i); // another DevAddr (or this one) took the slot meanwhile
      }
      if ((int) (e >>> 32) == devAddr) {
        t.set(i, entry);
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
      int mask = to.length() - 1;
      int n = 0;
      for (int i = 0; i < from.length(); i++) {
        long e = from.get(i);
        if (e == 0) {
          continue;
        }
        int home = home((int) (e >>> 32), mask);
        for (int p = 0; p < PROBES; p++) {
          int j = (home + p) & mask;
          if (to.get(j) == 0) {
            to.set(j, e);
            n++;
            break;
          }
        }
      }
      used.set(n);
      slots = to;
    } finally {
      resizing.unlock();
    }
  }

  /** DevAddrs share their NetID prefix and are often sequential: mix the bits (MurmurHash3). */
  private static int home(int devAddr, int mask) {
    int h = devAddr;
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    h ^= h >>> 16;
    return h & mask;
  }
}
