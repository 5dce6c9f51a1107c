package dev.loralab.frequencyplans;

/**
 * One radio channel: centre frequency, allowed data-rate range and (for gateway plans) the radio
 * chain it uses.
 *
 * @param frequencyHz centre frequency in Hz
 * @param minDataRate lowest data-rate index allowed on the channel
 * @param maxDataRate highest data-rate index allowed on the channel
 * @param radio gateway radio chain index (0 when not given)
 */
public record Channel(long frequencyHz, int minDataRate, int maxDataRate, int radio) {

  /** Validates ranges. */
  public Channel {
    if (frequencyHz <= 0) {
      throw new FrequencyPlanException("channel: positive frequency expected, found " + frequencyHz);
    }
    if (minDataRate < 0 || maxDataRate > 15 || minDataRate > maxDataRate) {
      throw new FrequencyPlanException(
          "channel " + frequencyHz + ": data rates 0 <= min <= max <= 15 expected, found " + minDataRate + ".." + maxDataRate);
    }
    if (radio < 0) {
      throw new FrequencyPlanException("channel " + frequencyHz + ": radio >= 0 expected, found " + radio);
    }
  }

  /** A band channel without radio assignment. */
  public static Channel of(long frequencyHz, int minDataRate, int maxDataRate) {
    return new Channel(frequencyHz, minDataRate, maxDataRate, 0);
  }

  /** Whether the data-rate index is within this channel's range. */
  public boolean allows(int dataRate) {
    return dataRate >= minDataRate && dataRate <= maxDataRate;
  }
}
