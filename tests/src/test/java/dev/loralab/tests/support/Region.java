package dev.loralab.tests.support;

/**
 * The two frequency plans of the test matrix, with the radio settings a device uses in them and
 * the downlink settings the regional parameters (RP002-1.0.4) give for its receive windows.
 */
public enum Region {
  /** EU868: uplink on 868.1 MHz; RX1 on the uplink channel and data rate; RX2 869.525 MHz SF12. */
  EU868("EU_863_870") {
    @Override
    public Radio uplink(int dataRate) {
      return Radio.eu868(0, dataRate);
    }

    @Override
    public Window rx1(Radio up) {
      return new Window(up.frequencyHz(), up.spreadingFactor(), up.bandwidthHz());
    }

    @Override
    public Window rx2() {
      return new Window(869_525_000L, 12, 125_000);
    }

    @Override
    public int maxDataRate() {
      return 5;
    }
  },
  /**
   * US915 FSB 2: uplink on channel 8 (903.9 MHz, 125 kHz, DR0..3); RX1 on 923.3 + 0.6·(ch mod 8)
   * MHz at DR10..13 (same SF, 500 kHz); RX2 923.3 MHz DR8 (SF12, 500 kHz).
   */
  US915("US_902_928_FSB_2") {
    @Override
    public Radio uplink(int dataRate) {
      return Radio.us915(8, dataRate);
    }

    @Override
    public Window rx1(Radio up) {
      return new Window(923_300_000L + 600_000L * (up.channel() % 8), up.spreadingFactor(), 500_000);
    }

    @Override
    public Window rx2() {
      return new Window(923_300_000L, 12, 500_000);
    }

    @Override
    public int maxDataRate() {
      return 3;
    }
  };

  /**
   * A receive window.
   *
   * @param frequencyHz downlink frequency
   * @param spreadingFactor downlink SF
   * @param bandwidthHz downlink bandwidth
   */
  public record Window(long frequencyHz, int spreadingFactor, int bandwidthHz) {}

  private final String frequencyPlanId;

  Region(String frequencyPlanId) {
    this.frequencyPlanId = frequencyPlanId;
  }

  /** The frequency plan ID of gateways and devices. */
  public String frequencyPlanId() {
    return frequencyPlanId;
  }

  /** The radio of an uplink at {@code dataRate} on the test channel. */
  public abstract Radio uplink(int dataRate);

  /** RX1 of an uplink at {@code up} with RX1DROffset 0. */
  public abstract Window rx1(Radio up);

  /** RX2 with the band's default RX2 settings. */
  public abstract Window rx2();

  /** The highest 125 kHz uplink data rate (SF7). */
  public abstract int maxDataRate();
}
