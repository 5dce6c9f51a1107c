package dev.loralab.simulator.gateway;

/**
 * A LoRa modulation as the {@code datr} field writes it, e.g. {@code "SF7BW125"}.
 *
 * @param spreadingFactor 5..12
 * @param bandwidthHz 125000, 250000 or 500000
 */
public record LoRaDataRate(int spreadingFactor, int bandwidthHz) {

  /** Validates the ranges. */
  public LoRaDataRate {
    if (spreadingFactor < 5 || spreadingFactor > 12) {
      throw new SemtechUdpException("datr.SF", "5..12", Integer.toString(spreadingFactor));
    }
    if (bandwidthHz != 125_000 && bandwidthHz != 250_000 && bandwidthHz != 500_000) {
      throw new SemtechUdpException("datr.BW", "125, 250 or 500 kHz", bandwidthHz + " Hz");
    }
  }

  /** Parses {@code SFxBWy} (y in kHz). */
  public static LoRaDataRate parse(String field, String datr) {
    if (datr == null || !datr.startsWith("SF")) {
      throw new SemtechUdpException(field, "SF<n>BW<kHz>", datr == null ? "nothing" : "\"" + datr + "\"");
    }
    int bw = datr.indexOf("BW");
    try {
      if (bw < 3) {
        throw new NumberFormatException();
      }
      int sf = Integer.parseInt(datr.substring(2, bw));
      int khz = Integer.parseInt(datr.substring(bw + 2));
      if (khz < 0 || khz > 1000) {
        throw new NumberFormatException();
      }
      return new LoRaDataRate(sf, khz * 1000);
    } catch (NumberFormatException e) {
      throw new SemtechUdpException(field, "SF<n>BW<kHz>", "\"" + datr + "\"");
    }
  }

  /** The {@code datr} string. */
  public String datr() {
    return "SF" + spreadingFactor + "BW" + bandwidthHz / 1000;
  }
}
