package dev.loralab.networkserver.internal;

import dev.loralab.lorawan.DevAddr;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The back-off of class A downlinks that carry only MAC requests the Network Server queued itself,
 * after the Gateway Server refused such a downlink (see {@link DownlinkFlow#afterUplink}): the
 * k-th consecutive refusal, at the uplink with FCntUp {@code f}, defers the attempts of the
 * uplinks {@code f+1 .. f+N}, with {@code N = min(2^(k-1), max)}: attempts at FCntUp 1, 3, 6, 11,
 * 20, 37, ... while every attempt is refused. A downlink the Gateway Server takes ends it.
 *
 * <p>In memory only, bounded and lock-free: a fixed array of slots indexed by a hash of the
 * DevAddr, each one long holding a tag of that hash (16 bits), the consecutive refusals (16 bits,
 * saturating) and the last FCntUp deferred (32 bits). The state is lost on restart and costs no
 * store write. A device's calls come from its lane, one at a time; DevAddrs of different devices
 * may share a slot, and then race or overwrite each other's state: a device then makes an
 * attempt more, or (when the tags match too) defers one more or fewer. Both are harmless:
 * what a deferred attempt would carry stays queued and goes with a later downlink.
 *
 * <p>A slot never defers for ever: only FCntUps within the {@code N} uplinks before its bound are
 * deferred, compared modulo 2^32, so an FCntUp that moved past the bound, or fell back below it by
 * more than {@code N} (a new session after a rejoin or reset), is attempted. A refusal far from
 * the slot's bound (before its window, or more than {@code max} uplinks after it) starts again at
 * {@code N = 1}.
 */
final class DownlinkBackoff {

  private static final long FCNT_MASK = 0xFFFF_FFFFL;
  private static final int MAX_REFUSALS = 0xFFFF;

  private final AtomicLongArray slots;
  private final int mask;
  private final int max;

  /**
   * @param size about this many slots (rounded up to a power of two)
   * @param max the largest number of uplinks deferred after one refusal; 0 disables the back-off
   *     (and allocates one slot only)
   */
  DownlinkBackoff(int size, int max) {
    if (size < 1 || size > 1 << 30) {
      throw new IllegalArgumentException("size: expected 1..2^30, found " + size);
    }
    if (max < 0 || max > 1 << 30) {
      throw new IllegalArgumentException("max: expected 0..2^30, found " + max);
    }
    int n = 1;
    if (max > 0) {
      n = Integer.highestOneBit(size);
      if (n < size) {
        n <<= 1;
      }
    }
    this.slots = new AtomicLongArray(n);
    this.mask = n - 1;
    this.max = max;
  }

  /** Whether a back-off is configured ({@code max > 0}). */
  boolean enabled() {
    return max > 0;
  }

  /** Slots (a power of two). */
  int size() {
    return mask + 1;
  }

  /**
   * Whether the deferrable downlink answering uplink {@code fCntUp} of {@code devAddr} is not to
   * be attempted. Reads only.
   */
  boolean defers(DevAddr devAddr, long fCntUp) {
    if (max == 0) {
      return false;
    }
    long h = mix(devAddr);
    long s = slots.get(index(h));
    if (s == 0 || tag(s) != tag(h)) {
      return false;
    }
    long behind = (bound(s) - fCntUp) & FCNT_MASK;
    return behind < window(refusals(s));
  }

  /**
   * The Gateway Server refused the deferrable downlink answering uplink {@code fCntUp} of
   * {@code devAddr}: defers the following uplinks' attempts.
   *
   * @return how many uplinks are deferred (0 when disabled)
   */
  long refused(DevAddr devAddr, long fCntUp) {
    if (max == 0) {
      return 0;
    }
    long h = mix(devAddr);
    int i = index(h);
    long s = slots.get(i);
    int k = 0;
    if (s != 0 && tag(s) == tag(h)) {
      long behind = (bound(s) - fCntUp) & FCNT_MASK;
      long ahead = (fCntUp - bound(s)) & FCNT_MASK;
      if (behind < window(refusals(s)) || ahead <= max) {
        k = refusals(s); // consecutive: within or just after the previous back-off
      }
    }
    k = Math.min(k + 1, MAX_REFUSALS);
    long n = window(k);
    slots.set(i, tag(h) << 48 | (long) k << 32 | ((fCntUp + n) & FCNT_MASK));
    return n;
  }

  /** A downlink of {@code devAddr} was taken: ends its back-off (writes only if one is set). */
  void accepted(DevAddr devAddr) {
    if (max == 0) {
      return;
    }
    long h = mix(devAddr);
    int i = index(h);
    long s = slots.get(i);
    if (s != 0 && tag(s) == tag(h)) {
      slots.set(i, 0);
    }
  }

  /** The uplinks deferred after the {@code k}-th consecutive refusal: 1, 2, 4, ... up to max. */
  private long window(int k) {
    return Math.min(max, 1L << Math.min(k - 1, 30));
  }

  private static long mix(DevAddr devAddr) {
    // DevAddrs of one NetID share their high bits and are often allocated in sequence: the
    // SplitMix64 finaliser spreads them over all 64 bits (index low, tag high)
    long z = (devAddr.value() & FCNT_MASK) + 0x9E37_79B9_7F4A_7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }

  private int index(long h) {
    return (int) h & mask;
  }

  private static long tag(long v) {
    return v >>> 48;
  }

  private static int refusals(long s) {
    return (int) (s >>> 32) & MAX_REFUSALS;
  }

  private static long bound(long s) {
    return s & FCNT_MASK;
  }
}
