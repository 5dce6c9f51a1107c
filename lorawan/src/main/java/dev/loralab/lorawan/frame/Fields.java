package dev.loralab.lorawan.frame;

import dev.loralab.lorawan.LoRaWanException;

/** Field checks shared by the frame records. */
final class Fields {

  private Fields() {}

  static void notNull(Object o, String field) {
    if (o == null) {
      throw new LoRaWanException(field, "a value", "null");
    }
  }

  static void range(int v, int min, int max, String field) {
    if (v < min || v > max) {
      throw new LoRaWanException(field, min + ".." + max, Integer.toString(v));
    }
  }
}
