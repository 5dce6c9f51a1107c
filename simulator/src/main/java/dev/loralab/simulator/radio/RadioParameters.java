package dev.loralab.simulator.radio;

/**
 * Parameters of the propagation and reception model.
 *
 * <p>Path loss is log-distance with log-normal shadowing:
 * {@code PL(d) = referenceLossDb + 10 · pathLossExponent · log10(d / referenceDistanceM) + X},
 * where {@code X ~ N(0, shadowingSigmaDb)} is drawn once per device–gateway link (so a link keeps
 * its shadowing for the whole run, in both directions) and an optional per-frame fading term
 * {@code N(0, fadingSigmaDb)} is added to each frame.
 *
 * @param pathLossExponent n, e.g. 2 in free space, 2.7–3.5 in suburban/urban areas
 * @param referenceDistanceM d0 in metres (distances below it are clamped to it)
 * @param referenceLossDb PL(d0) in dB
 * @param shadowingSigmaDb standard deviation of the per-link shadowing, dB (0 = off)
 * @param fadingSigmaDb standard deviation of the per-frame fading, dB (0 = off)
 * @param noiseFigureDb receiver noise figure added to the thermal noise floor
 * @param captureEnabled whether a frame survives an overlapping weaker frame
 * @param captureThresholdDb how much stronger a frame must be than every interferer to survive
 * @param gatewayAntennaGainDbi gateway antenna gain
 * @param deviceAntennaGainDbi device antenna gain
 */
public record RadioParameters(
    double pathLossExponent,
    double referenceDistanceM,
    double referenceLossDb,
    double shadowingSigmaDb,
    double fadingSigmaDb,
    double noiseFigureDb,
    boolean captureEnabled,
    double captureThresholdDb,
    double gatewayAntennaGainDbi,
    double deviceAntennaGainDbi) {

  /** Validates ranges. */
  public RadioParameters {
    check(pathLossExponent > 0 && pathLossExponent <= 10, "path-loss-exponent", "0 < n <= 10", pathLossExponent);
    check(referenceDistanceM > 0, "reference-distance-m", "> 0", referenceDistanceM);
    check(Double.isFinite(referenceLossDb) && referenceLossDb >= 0, "reference-loss-db", ">= 0", referenceLossDb);
    check(shadowingSigmaDb >= 0 && shadowingSigmaDb <= 30, "shadowing-sigma-db", "0..30", shadowingSigmaDb);
    check(fadingSigmaDb >= 0 && fadingSigmaDb <= 30, "fading-sigma-db", "0..30", fadingSigmaDb);
    check(noiseFigureDb >= 0 && noiseFigureDb <= 30, "noise-figure-db", "0..30", noiseFigureDb);
    check(captureThresholdDb >= 0 && captureThresholdDb <= 50, "capture-threshold-db", "0..50", captureThresholdDb);
    check(Double.isFinite(gatewayAntennaGainDbi), "gateway-antenna-gain-dbi", "a number", gatewayAntennaGainDbi);
    check(Double.isFinite(deviceAntennaGainDbi), "device-antenna-gain-dbi", "a number", deviceAntennaGainDbi);
  }

  /**
   * Defaults for 868 MHz in a suburban area: free-space loss of 31.2 dB at 1 m, exponent 2.7,
   * 4 dB shadowing, no fading, 6 dB noise figure, capture on at 6 dB, 3 dBi gateway antenna.
   */
  public static RadioParameters defaults() {
    return new RadioParameters(2.7, 1.0, 31.2, 4.0, 0.0, 6.0, true, 6.0, 3.0, 0.0);
  }

  /** A copy with another capture setting. */
  public RadioParameters withCapture(boolean enabled, double thresholdDb) {
    return new RadioParameters(pathLossExponent, referenceDistanceM, referenceLossDb, shadowingSigmaDb,
        fadingSigmaDb, noiseFigureDb, enabled, thresholdDb, gatewayAntennaGainDbi, deviceAntennaGainDbi);
  }

  /** A copy with another shadowing and fading sigma. */
  public RadioParameters withSigma(double shadowingDb, double fadingDb) {
    return new RadioParameters(pathLossExponent, referenceDistanceM, referenceLossDb, shadowingDb,
        fadingDb, noiseFigureDb, captureEnabled, captureThresholdDb, gatewayAntennaGainDbi, deviceAntennaGainDbi);
  }

  /** Mean path loss (without shadowing) at {@code distanceM}. */
  public double meanPathLossDb(double distanceM) {
    double d = Math.max(distanceM, referenceDistanceM);
    return referenceLossDb + 10 * pathLossExponent * Math.log10(d / referenceDistanceM);
  }

  /** Thermal noise floor plus noise figure for a bandwidth: {@code -174 + 10 log10(BW) + NF}. */
  public double noiseFloorDbm(int bandwidthHz) {
    return -174 + 10 * Math.log10(bandwidthHz) + noiseFigureDb;
  }

  /**
   * The lowest SNR at which a LoRa spreading factor demodulates: −7.5 dB at SF7, 2.5 dB lower per
   * SF step (SX1276 datasheet, table 13), down to −20 dB at SF12.
   */
  public static double demodulationFloorSnrDb(int spreadingFactor) {
    if (spreadingFactor < 5 || spreadingFactor > 12) {
      throw new IllegalArgumentException("spreading factor: 5..12 expected, found " + spreadingFactor);
    }
    return -7.5 - 2.5 * (spreadingFactor - 7);
  }

  private static void check(boolean ok, String field, String expected, double found) {
    if (!ok) {
      throw new IllegalArgumentException("radio." + field + ": " + expected + " expected, found " + found);
    }
  }
}
