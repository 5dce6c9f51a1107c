package dev.loralab.gatewayserver.udp;

import java.util.Map;

/**
 * A fixed table of the texts a field usually holds (e.g. {@code "SF7BW125"}, {@code "4/5"}), each
 * with a value decoded from it once, looked up by a parser's characters without making a string.
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

  /** The entry's text equal to {@code c[off, off + len)}, or null. */
  String text(char[] c, int off, int len) {
    int i = find(c, off, len);
    return i < 0 ? null : texts[i];
  }

  /** The value of the entry whose text equals {@code c[off, off + len)}, or null. */
  @SuppressWarnings("unchecked")
  V value(char[] c, int off, int len) {
    int i = find(c, off, len);
    return i < 0 ? null : (V) values[i];
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

  private int find(char[] c, int off, int len) {
    int h = 0; // String.hashCode of the characters
    for (int k = 0; k < len; k++) {
      h = 31 * h + c[off + k];
    }
    int i = h & mask;
    String t;
    while ((t = texts[i]) != null) {
      if (t.length() == len && matches(t, c, off)) {
        return i;
      }
      i = (i + 1) & mask;
    }
    return -1;
  }

  private static boolean matches(String t, char[] c, int off) {
    for (int k = 0; k < t.length(); k++) {
      if (t.charAt(k) != c[off + k]) {
        return false;
      }
    }
    return true;
  }
}
