package dev.loralab.tests.support;

/**
 * The radio settings of one LoRa transmission, as the device and gateway see them.
 *
 * @param frequencyHz centre frequency
 * @param spreadingFactor 7..12
 * @param bandwidthHz 125000, 250000 or 500000
 * @param dataRate the band's data rate index of this SF/BW (1.1 uplink MIC, TxDr)
 * @param channel the band's channel index of this frequency (1.1 uplink MIC, TxCh)
 */
public record Radio(long frequencyHz, int spreadingFactor, int bandwidthHz, int dataRate, int channel) {

  /** EU868 channel 0 (868.1 MHz) at a data rate 0..5 (SF12..SF7, 125 kHz). */
  public static Radio eu868(int channel, int dataRate) {
    long[] freqs = {868_100_000L, 868_300_000L, 868_500_000L};
    return new Radio(freqs[channel], 12 - dataRate, 125_000, dataRate, channel);
  }

  /** US915 125 kHz channel {@code channel} (0..63: 902.3 + 0.2·ch MHz) at DR0..3 (SF10..SF7). */
  public static Radio us915(int channel, int dataRate) {
    return new Radio(902_300_000L + 200_000L * channel, 10 - dataRate, 125_000, dataRate, channel);
  }
}
