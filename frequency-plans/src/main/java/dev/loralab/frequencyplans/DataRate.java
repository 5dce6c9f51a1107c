package dev.loralab.frequencyplans;

/**
 * The modulation of one data-rate index: LoRa (spreading factor, bandwidth, coding rate), FSK (bit
 * rate) or LR-FHSS (operating channel width, coding rate). Fields that do not apply to the
 * modulation are zero or empty.
 *
 * @param modulation the modulation
 * @param spreadingFactor LoRa spreading factor 5..12 (0 otherwise)
 * @param bandwidthHz LoRa bandwidth in Hz (0 otherwise)
 * @param codingRate LoRa or LR-FHSS coding rate such as {@code 4/5} or {@code 1/3} (empty for FSK)
 * @param fskBitRate FSK bit rate in bit/s (0 otherwise)
 * @param operatingChannelWidthHz LR-FHSS operating channel width in Hz (0 otherwise)
 */
public record DataRate(
    Modulation modulation,
    int spreadingFactor,
    int bandwidthHz,
    String codingRate,
    int fskBitRate,
    int operatingChannelWidthHz) {

  /** Modulation families of RP002 data rates. */
  public enum Modulation {
    LORA,
    FSK,
    LR_FHSS
  }

  /** Validates the combination of fields for the modulation. */
  public DataRate {
    if (modulation == null) {
      throw new FrequencyPlanException("data rate: modulation expected, found null");
    }
    if (codingRate == null) {
      throw new FrequencyPlanException("data rate: coding rate expected, found null");
    }
    switch (modulation) {
      case LORA -> {
        if (spreadingFactor < 5 || spreadingFactor > 12) {
          throw new FrequencyPlanException("LoRa data rate: spreading factor 5..12 expected, found " + spreadingFactor);
        }
        if (bandwidthHz != 125_000 && bandwidthHz != 250_000 && bandwidthHz != 500_000) {
          throw new FrequencyPlanException("LoRa data rate: bandwidth 125000, 250000 or 500000 Hz expected, found " + bandwidthHz);
        }
        TimeOnAir.codingRateIndex(codingRate);
        if (fskBitRate != 0 || operatingChannelWidthHz != 0) {
          throw new FrequencyPlanException("LoRa data rate: FSK and LR-FHSS fields must be 0");
        }
      }
      case FSK -> {
        if (fskBitRate <= 0) {
          throw new FrequencyPlanException("FSK data rate: positive bit rate expected, found " + fskBitRate);
        }
        if (spreadingFactor != 0 || bandwidthHz != 0 || !codingRate.isEmpty() || operatingChannelWidthHz != 0) {
          throw new FrequencyPlanException("FSK data rate: LoRa and LR-FHSS fields must be empty");
        }
      }
      case LR_FHSS -> {
        if (operatingChannelWidthHz <= 0) {
          throw new FrequencyPlanException("LR-FHSS data rate: positive operating channel width expected, found " + operatingChannelWidthHz);
        }
        if (!codingRate.equals("1/3") && !codingRate.equals("2/3")) {
          throw new FrequencyPlanException("LR-FHSS data rate: coding rate 1/3 or 2/3 expected, found " + codingRate);
        }
        if (spreadingFactor != 0 || bandwidthHz != 0 || fskBitRate != 0) {
          throw new FrequencyPlanException("LR-FHSS data rate: LoRa and FSK fields must be 0");
        }
      }
    }
  }

  /** A LoRa data rate with coding rate 4/5, as every LoRaWAN data rate uses. */
  public static DataRate lora(int spreadingFactor, int bandwidthHz) {
    return new DataRate(Modulation.LORA, spreadingFactor, bandwidthHz, "4/5", 0, 0);
  }

  /** An FSK data rate. */
  public static DataRate fsk(int bitRate) {
    return new DataRate(Modulation.FSK, 0, 0, "", bitRate, 0);
  }

  /** An LR-FHSS data rate. */
  public static DataRate lrFhss(int operatingChannelWidthHz, String codingRate) {
    return new DataRate(Modulation.LR_FHSS, 0, 0, codingRate, 0, operatingChannelWidthHz);
  }

  /**
   * Nominal bit rate in bit/s: for LoRa SF·(BW/2^SF)·(4/(4+CR)) rounded to the nearest integer (the
   * physical-layer rate without the low-data-rate-optimisation penalty), for FSK the bit rate, for
   * LR-FHSS 0 (it depends on the hopping grid, not modelled here).
   */
  public long bitRate() {
    return switch (modulation) {
      case LORA -> Math.round(
          spreadingFactor * ((double) bandwidthHz / (1 << spreadingFactor)) * 4.0
              / (4 + TimeOnAir.codingRateIndex(codingRate)));
      case FSK -> fskBitRate;
      case LR_FHSS -> 0;
    };
  }

  /** The Semtech UDP {@code datr} form for LoRa, e.g. {@code SF7BW125}; for FSK the bit rate. */
  public String name() {
    return switch (modulation) {
      case LORA -> "SF" + spreadingFactor + "BW" + (bandwidthHz / 1000);
      case FSK -> "FSK" + fskBitRate;
      case LR_FHSS -> "LRFHSS" + (operatingChannelWidthHz / 1000) + "CR" + codingRate;
    };
  }
}
