package dev.loralab.gatewayserver.udp;

import java.util.Map;

/**
 * A fixed table of the texts a field usually holds (e.g. {@code "SF7BW125"}, {@code "4/5"}), each
 * with a value decoded from it once, looked up by a datagram's bytes without making a string.
 * Immutable once built; a miss returns null and the caller reads the text the ordinary way.
 */
final class KnownTexts<V> {

  private final String[] texts;
  private final Object[] values;
  private final int mask;

  /** A table of {@code entries} (text to its value). */
  KnownTexts(Map<String, V> entries) {
    int size = Integer.highestOneBit(Math.max(4, entries.size() * 4) - 1) << 1;
    texts = new String[size];
    values = new Object[size];
    mask = size - 1;
    for (Map.Entry<String, V> e : entries.entrySet()) {
      int i = e.getKey().hashCode() & mask;
      while (texts[i] != null) {
        i = (i + 1) & mask;
      }
      texts[i] = e.getKey();
      values[i] = e.getValue();
    }
  }

  /**
   * The value of the entry whose text equals the ASCII bytes {@code b[off, off + len)}, or null
   * (a byte above 0x7F never matches).
   */
  @SuppressWarnings("unchecked")
  V value(byte[] b, int off, int len) {
    int h = 0;
    for (int k = 0; k < len; k++) {
      h = 31 * h + b[off + k]; // a negative byte gives a hash no ASCII entry has; no match below
    }
    int i = h & mask;
    String t;
    while ((t = texts[i]) != null) {
      if (t.length() == len && matches(t, b, off)) {
        return (V) values[i];
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  private static boolean matches(String t, byte[] b, int off) {
    for (int k = 0; k < t.length(); k++) {
      if (t.charAt(k) != b[off + k]) {
        return false;
      }
    }
    return true;
  }
}
