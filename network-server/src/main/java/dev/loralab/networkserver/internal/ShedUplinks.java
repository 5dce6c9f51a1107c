package dev.loralab.networkserver.internal;

import dev.loralab.lorawan.DevAddr;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Data uplinks the Network Server shed itself (overloaded), counted per DevAddr until the
 * device's next processed uplink takes the count for ADR (see
 * {@link dev.loralab.networkserver.adr.MarginAdr}). The device of a shed uplink is unknown (the
 * lookup is what shedding saves), but its DevAddr is in the frame header.
 *
 * <p>Bounded and lock-free: a fixed array of counters indexed by a hash of the DevAddr. DevAddrs
 * that share a counter credit each other's drops; ADR only ever adds credited drops to the
 * uplinks it saw as received, so a collision can lower the loss it estimates, never raise it.
 */
final class ShedUplinks {

  private final AtomicIntegerArray counters;
  private final int mask;

  /** About {@code size} counters (rounded up to a power of two). */
  ShedUplinks(int size) {
    if (size < 1 || size > 1 << 30) {
      throw new IllegalArgumentException("size: expected 1..2^30, found " + size);
    }
    int n = Integer.highestOneBit(size);
    if (n < size) {
      n <<= 1;
    }
    this.counters = new AtomicIntegerArray(n);
    this.mask = n - 1;
  }

  /** Counters (a power of two). */
  int size() {
    return mask + 1;
  }

  /** One uplink of {@code devAddr} shed. */
  void shed(DevAddr devAddr) {
    int i = index(devAddr);
    // saturating: a counter nobody takes must not wrap to a negative credit
    if (counters.getAndIncrement(i) == Integer.MAX_VALUE) {
      counters.set(i, Integer.MAX_VALUE);
    }
  }

  /**
   * The uplinks of {@code devAddr} (and of DevAddrs sharing its counter) shed since the last
   * take; resets the count.
   */
  int take(DevAddr devAddr) {
    int i = index(devAddr);
    // a plain read first: the common case (nothing shed) writes nothing to the shared array
    if (counters.get(i) == 0) {
      return 0;
    }
    return Math.max(0, counters.getAndSet(i, 0));
  }

  private int index(DevAddr devAddr) {
    return devAddr.mixed() & mask;
  }
}
