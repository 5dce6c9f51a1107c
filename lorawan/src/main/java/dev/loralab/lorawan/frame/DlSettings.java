package dev.loralab.lorawan.frame;

/**
 * The DLSettings byte of a join-accept: {@code 7 OptNeg | 6..4 RX1DROffset | 3..0 RX2DataRate}
 * (LoRaWAN 1.1 §6.2.3). In 1.0.x bit 7 is RFU.
 *
 * @param optNeg true if the network server is 1.1 (1.1 key derivation and join-accept MIC)
 * @param rx1DrOffset 0..7
 * @param rx2DataRate 0..15
 */
public record DlSettings(boolean optNeg, int rx1DrOffset, int rx2DataRate) {

  /** Validates the ranges. */
  public DlSettings {
    Fields.range(rx1DrOffset, 0, 7, "DLSettings.RX1DROffset");
    Fields.range(rx2DataRate, 0, 15, "DLSettings.RX2DataRate");
  }

  /** Decodes the byte. */
  public static DlSettings decode(int b) {
    return new DlSettings((b & 0x80) != 0, (b >>> 4) & 0x07, b & 0x0F);
  }

  /** The byte. */
  public int encode() {
    return (optNeg ? 0x80 : 0) | (rx1DrOffset << 4) | rx2DataRate;
  }
}
