package dev.loralab.frequencyplans;

import java.util.OptionalDouble;

/**
 * A regulatory sub-band: an inclusive frequency range with a duty-cycle limit and optionally a
 * maximum EIRP.
 *
 * @param minFrequencyHz lowest frequency, inclusive
 * @param maxFrequencyHz highest frequency, inclusive
 * @param dutyCycle allowed fraction of air time, in (0, 1]
 * @param maxEirpDbm maximum EIRP in dBm, if the sub-band limits it
 */
public record SubBand(long minFrequencyHz, long maxFrequencyHz, double dutyCycle, OptionalDouble maxEirpDbm) {

  /** Validates the range and duty cycle. */
  public SubBand {
    if (minFrequencyHz <= 0 || maxFrequencyHz < minFrequencyHz) {
      throw new FrequencyPlanException(
          "sub-band: 0 < min-frequency <= max-frequency expected, found " + minFrequencyHz + ".." + maxFrequencyHz);
    }
    if (!(dutyCycle > 0 && dutyCycle <= 1)) {
      throw new FrequencyPlanException("sub-band: duty-cycle in (0, 1] expected, found " + dutyCycle);
    }
    if (maxEirpDbm == null) {
      maxEirpDbm = OptionalDouble.empty();
    }
  }

  /** A sub-band with a maximum EIRP. */
  public static SubBand of(long minFrequencyHz, long maxFrequencyHz, double dutyCycle, double maxEirpDbm) {
    return new SubBand(minFrequencyHz, maxFrequencyHz, dutyCycle, OptionalDouble.of(maxEirpDbm));
  }

  /** Whether the frequency lies in this sub-band (both ends inclusive). */
  public boolean contains(long frequencyHz) {
    return frequencyHz >= minFrequencyHz && frequencyHz <= maxFrequencyHz;
  }
}
