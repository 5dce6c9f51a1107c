package dev.loralab.lorawan.mac;

import dev.loralab.lorawan.LoRaWanException;

/** Range checks for the MAC command records. */
final class FieldRange {

  private FieldRange() {}

  static void check(long v, long min, long max, String field) {
    if (v < min || v > max) {
      throw new LoRaWanException(field, min + ".." + max, Long.toString(v));
    }
  }
}
