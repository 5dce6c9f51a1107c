package dev.loralab.lorawan.internal;

import dev.loralab.lorawan.LoRaWanException;

/** Internal: the 24-bit little-endian frequency field in units of 100 Hz (LoRaWAN 1.1 §5.5, §5.7). */
public final class FrequencyField {

  /** Largest encodable frequency in Hz: 0xFFFFFF * 100. */
  public static final long MAX_HZ = 0xFFFFFFL * 100;

  private FrequencyField() {}

  /**
   * Checks that {@code hz} is encodable.
   *
   * @throws LoRaWanException if it is null, negative, above {@link #MAX_HZ} or not a multiple of 100
   */
  public static void check(Long hz, String field) {
    if (hz == null || hz < 0 || hz > MAX_HZ || hz % 100 != 0) {
      throw new LoRaWanException(field, "a multiple of 100 Hz in 0.." + MAX_HZ, hz + " Hz");
    }
  }

  /** Reads 3 LE bytes at {@code off} and returns Hz. Caller checks bounds. */
  public static long read(byte[] b, int off) {
    return ((b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16) * 100;
  }

  /** Writes {@code hz / 100} as 3 LE bytes at {@code off}. Caller checks bounds and range. */
  public static void write(long hz, byte[] b, int off) {
    long v = hz / 100;
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
  }
}
