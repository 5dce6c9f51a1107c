package dev.loralab.identityserver.store;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Hits and misses of a cache's reads (and, among the misses, those that found their key kept
 * without its value), counted in stripes by thread so that threads on different
 * cores do not write the same cache line on every read.
 *
 * <p>Why not {@link java.util.concurrent.atomic.LongAdder}: it grows to at most as many cells as
 * there are processors (two on the machine of BENCHMARKS.md), and many threads read the caches
 * (the gateway server's handlers, the network server's device workers, the application server),
 * so threads on both cores kept sharing a cell and every read moved its cache line between the
 * cores (1.8 % of the stack's CPU in profile P2). Here a thread's stripe is its ID modulo
 * {@link #STRIPES}: a server's worker threads are created together and have consecutive IDs, so
 * they have stripes of their own. Two threads that do share a stripe still count exactly (atomic
 * adds); they only share its line.
 */
final class ReadCounts {
  /** Stripes, a power of two. */
  static final int STRIPES = 64;
  /** Longs per stripe: 128 bytes, so that two stripes never share a cache line (nor its pair). */
  private static final int STRIDE = 16;
  private static final int HIT = 0;
  private static final int MISS = 1;
  private static final int KEY_ONLY = 2;

  private final AtomicLongArray counts = new AtomicLongArray(STRIPES * STRIDE);

  @SuppressWarnings("deprecation") // Thread.getId: Thread.threadId() needs Java 19
  private static int stripe() {
    return ((int) Thread.currentThread().getId() & (STRIPES - 1)) * STRIDE;
  }

  void hit() {
    counts.getAndIncrement(stripe() + HIT);
  }

  void miss() {
    counts.getAndIncrement(stripe() + MISS);
  }

  /** A miss that found its key kept without its value; counted as a miss too. */
  void keyOnlyMiss() {
    int stripe = stripe();
    counts.getAndIncrement(stripe + MISS);
    counts.getAndIncrement(stripe + KEY_ONLY);
  }

  long hits() {
    return sum(HIT);
  }

  long misses() {
    return sum(MISS);
  }

  long keyOnlyMisses() {
    return sum(KEY_ONLY);
  }

  private long sum(int field) {
    long sum = 0;
    for (int s = 0; s < STRIPES; s++) {
      sum += counts.get(s * STRIDE + field);
    }
    return sum;
  }
}
