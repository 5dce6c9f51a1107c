package dev.loralab.lorawan;

/**
 * Frame counters: the frame carries the low 16 bits, the cryptography uses all 32 (LoRaWAN 1.1
 * §4.3.1.5). This class rebuilds the 32-bit value on the receiving side and checks the
 * MAX_FCNT_GAP rule of LoRaWAN 1.0.x.
 */
public final class FCnt {

  /** Largest 32-bit frame counter. */
  public static final long MAX = 0xFFFF_FFFFL;

  /**
   * MAX_FCNT_GAP of LoRaWAN 1.0.0–1.0.3 regional defaults (1.0.1 §7.1.8); dropped in 1.1. A
   * default only: callers pass the limit they are configured with.
   */
  public static final int DEFAULT_MAX_FCNT_GAP = 16384;

  private FCnt() {}

  /**
   * The 32-bit counter of a received frame, given the last accepted 32-bit counter. Equivalent
   * to {@link #reconstructFromNextExpected} with {@code lastFCnt32 + 1}; a frame repeating the
   * last counter (a retransmission) maps to {@code lastFCnt32}.
   *
   * @param lastFCnt32 the last accepted counter, 0..2^32-1
   * @param fCnt16 the FCnt field of the frame, 0..65535
   * @throws LoRaWanException if an argument is out of range
   */
  public static long reconstruct(long lastFCnt32, int fCnt16) {
    requireFCnt32("last FCnt", lastFCnt32);
    return reconstructFromNextExpected((lastFCnt32 + 1) & MAX, fCnt16);
  }

  /**
   * The 32-bit counter of a received frame, given the next expected 32-bit counter (0 right
   * after a join): if {@code fCnt16} is the 16 bits just before the expected value, the frame
   * is a retransmission of the previous one; otherwise the counter moved forward by
   * {@code (fCnt16 - expected) mod 2^16} (32-bit wrap). The caller then checks the MIC with
   * this value and rejects counters below the last accepted one.
   *
   * @param nextExpectedFCnt32 the next expected counter, 0..2^32-1
   * @param fCnt16 the FCnt field of the frame, 0..65535
   * @throws LoRaWanException if an argument is out of range
   */
  public static long reconstructFromNextExpected(long nextExpectedFCnt32, int fCnt16) {
    requireFCnt32("next expected FCnt", nextExpectedFCnt32);
    if (fCnt16 < 0 || fCnt16 > 0xFFFF) {
      throw new LoRaWanException("FCnt", "a 16-bit value", Integer.toString(fCnt16));
    }
    int expected16 = (int) (nextExpectedFCnt32 & 0xFFFF);
    if (fCnt16 == ((expected16 - 1) & 0xFFFF) && nextExpectedFCnt32 > 0) {
      return nextExpectedFCnt32 - 1;
    }
    int gap = (fCnt16 - expected16) & 0xFFFF;
    return (nextExpectedFCnt32 + gap) & MAX;
  }

  /**
   * True if {@code fCnt32} lies more than {@code maxGap} counts after {@code lastFCnt32}: a
   * LoRaWAN 1.0.0–1.0.3 receiver drops such frames (1.0.2 §4.3.1.5). Counters at or below
   * {@code lastFCnt32} (replays, retransmissions) are not a gap and return false.
   *
   * @param maxGap the configured MAX_FCNT_GAP, e.g. {@link #DEFAULT_MAX_FCNT_GAP}
   */
  public static boolean exceedsMaxGap(long lastFCnt32, long fCnt32, int maxGap) {
    requireFCnt32("last FCnt", lastFCnt32);
    requireFCnt32("FCnt", fCnt32);
    if (maxGap < 0) {
      throw new LoRaWanException("MAX_FCNT_GAP", "a non-negative limit", Integer.toString(maxGap));
    }
    return fCnt32 - lastFCnt32 > maxGap;
  }

  private static void requireFCnt32(String field, long value) {
    if (value < 0 || value > MAX) {
      throw new LoRaWanException(field, "a 32-bit unsigned counter", Long.toString(value));
    }
  }
}
