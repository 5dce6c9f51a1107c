package dev.loralab.lorawan;

/** LoRaWAN L2 (MAC) specification versions. The version is provisioned, never read from a frame. */
public enum MacVersion {
  V1_0("1.0"),
  V1_0_1("1.0.1"),
  V1_0_2("1.0.2"),
  V1_0_3("1.0.3"),
  V1_0_4("1.0.4"),
  V1_1("1.1");

  private final String text;

  MacVersion(String text) {
    this.text = text;
  }

  /** True for LoRaWAN 1.1 (separate network keys, FOpts encryption, 1.1 MICs). */
  public boolean is1_1() {
    return this == V1_1;
  }

  /** True if this version is the same as or later than {@code other}. */
  public boolean atLeast(MacVersion other) {
    return compareTo(other) >= 0;
  }

  /** The dotted form, e.g. {@code "1.0.3"}. */
  public String text() {
    return text;
  }

  /**
   * Parses {@code "1.0.3"}, {@code "1.1"}, {@code "1.1.0"}, {@code "1.0.0"} or The Things Stack's
   * {@code "MAC_V1_0_3"} form.
   */
  public static MacVersion parse(String s) {
    if (s == null) {
      throw new LoRaWanException("MacVersion", "one of 1.0, 1.0.1, 1.0.2, 1.0.3, 1.0.4, 1.1", "null");
    }
    String t = s.trim();
    if (t.startsWith("MAC_V")) {
      t = t.substring(5).replace('_', '.');
    }
    if (t.equals("1.0.0")) {
      t = "1.0";
    } else if (t.equals("1.1.0")) {
      t = "1.1";
    }
    for (MacVersion v : values()) {
      if (v.text.equals(t)) {
        return v;
      }
    }
    throw new LoRaWanException("MacVersion", "one of 1.0, 1.0.1, 1.0.2, 1.0.3, 1.0.4, 1.1", "\"" + s + "\"");
  }

  @Override
  public String toString() {
    return text;
  }
}
