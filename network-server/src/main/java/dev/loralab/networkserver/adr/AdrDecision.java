package dev.loralab.networkserver.adr;

/**
 * What ADR asks the device to use.
 *
 * @param dataRate data rate index
 * @param txPowerIndex TXPower index (0 = max EIRP, each step −2 dB)
 * @param nbTrans transmissions of each unconfirmed uplink, 1..15
 */
public record AdrDecision(int dataRate, int txPowerIndex, int nbTrans) {

  /** Validates the ranges. */
  public AdrDecision {
    if (dataRate < 0 || dataRate > 14 || txPowerIndex < 0 || txPowerIndex > 14 || nbTrans < 1
        || nbTrans > 15) {
      throw new IllegalArgumentException("ADR decision: expected DR 0..14, TXPower 0..14, NbTrans"
          + " 1..15, found " + dataRate + "/" + txPowerIndex + "/" + nbTrans);
    }
  }
}
