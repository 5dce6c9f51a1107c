package dev.loralab.gatewayserver.udp;

/** The {@code modu} field of {@code rxpk} and {@code txpk}. */
public enum Modulation {
  /** {@code "LORA"}. */
  LORA("LORA"),
  /** {@code "FSK"}. */
  FSK("FSK"),
  /** {@code "LR-FHSS"} (accepted for uplinks). */
  LR_FHSS("LR-FHSS");

  private final String wire;

  Modulation(String wire) {
    this.wire = wire;
  }

  /** The JSON string. */
  public String wire() {
    return wire;
  }

  /** Parses the JSON string, or returns null. */
  static Modulation ofWire(String s) {
    for (Modulation m : values()) {
      if (m.wire.equals(s)) {
        return m;
      }
    }
    return null;
  }
}
