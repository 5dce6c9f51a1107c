package dev.loralab.frequencyplans;

import java.time.Duration;

/**
 * Time on air of a LoRa or FSK frame (Semtech SX127x datasheet §4.1.1.7 formula, as used by the
 * LoRaWAN Regional Parameters), exact to the nanosecond.
 *
 * <p>LoRa: {@code T_sym = 2^SF / BW}; preamble {@code (n_preamble + 4.25) · T_sym}; payload symbols
 * {@code 8 + max(ceil((8·PL − 4·SF + 28 + 16·CRC − 20·IH) / (4·(SF − 2·DE))) · (CR + 4), 0)}, with
 * DE (low-data-rate optimisation) on when {@code T_sym ≥ 16 ms}.
 *
 * <p>FSK: {@code (preamble 5 + sync word 3 + length 1 + PL + CRC 2) · 8 / bitRate}.
 */
public final class TimeOnAir {

  /** LoRaWAN preamble length in symbols. */
  public static final int LORAWAN_PREAMBLE_SYMBOLS = 8;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long LDRO_SYMBOL_NANOS = 16_000_000L;

  private TimeOnAir() {}

  /**
   * LoRa time on air.
   *
   * @param phyPayloadBytes PHYPayload size (MHDR to MIC), 0..255
   * @param spreadingFactor 5..12
   * @param bandwidthHz channel bandwidth in Hz
   * @param codingRate {@code 4/5} .. {@code 4/8}
   * @param crc whether the PHY CRC is present (LoRaWAN uplinks: yes, downlinks: no)
   * @param implicitHeader whether the PHY header is omitted (LoRaWAN: no)
   * @param preambleSymbols programmed preamble length (LoRaWAN: 8)
   */
  public static Duration lora(
      int phyPayloadBytes,
      int spreadingFactor,
      int bandwidthHz,
      String codingRate,
      boolean crc,
      boolean implicitHeader,
      int preambleSymbols) {
    if (spreadingFactor < 5 || spreadingFactor > 12) {
      throw new FrequencyPlanException("time on air: spreading factor 5..12 expected, found " + spreadingFactor);
    }
    if (bandwidthHz <= 0) {
      throw new FrequencyPlanException("time on air: positive bandwidth expected, found " + bandwidthHz);
    }
    boolean ldro = (1L << spreadingFactor) * NANOS_PER_SECOND / bandwidthHz >= LDRO_SYMBOL_NANOS;
    return lora(phyPayloadBytes, spreadingFactor, bandwidthHz, codingRate, crc, implicitHeader, preambleSymbols, ldro);
  }

  /** LoRa time on air with the low-data-rate optimisation given explicitly. */
  public static Duration lora(
      int phyPayloadBytes,
      int spreadingFactor,
      int bandwidthHz,
      String codingRate,
      boolean crc,
      boolean implicitHeader,
      int preambleSymbols,
      boolean lowDataRateOptimisation) {
    checkPayload(phyPayloadBytes);
    if (spreadingFactor < 5 || spreadingFactor > 12) {
      throw new FrequencyPlanException("time on air: spreading factor 5..12 expected, found " + spreadingFactor);
    }
    if (bandwidthHz <= 0) {
      throw new FrequencyPlanException("time on air: positive bandwidth expected, found " + bandwidthHz);
    }
    if (preambleSymbols < 0 || preambleSymbols > 65_535) {
      throw new FrequencyPlanException("time on air: preamble 0..65535 symbols expected, found " + preambleSymbols);
    }
    int cr = codingRateIndex(codingRate);
    int de = lowDataRateOptimisation ? 1 : 0;
    long numerator = 8L * phyPayloadBytes - 4L * spreadingFactor + 28 + (crc ? 16 : 0) - (implicitHeader ? 20 : 0);
    long denominator = 4L * (spreadingFactor - 2L * de);
    long blocks = Math.max(Math.floorDiv(numerator + denominator - 1, denominator), 0);
    long payloadSymbols = 8 + blocks * (cr + 4);
    // Count in quarter symbols so the preamble's 4.25 extra symbols stay integral.
    long quarterSymbols = 4L * preambleSymbols + 17 + 4 * payloadSymbols;
    long numeratorNanos = quarterSymbols * (1L << spreadingFactor) * NANOS_PER_SECOND;
    long divisor = 4L * bandwidthHz;
    return Duration.ofNanos((numeratorNanos + divisor / 2) / divisor);
  }

  /**
   * FSK time on air: 5 preamble bytes, 3 sync-word bytes, 1 length byte, the payload and (if
   * {@code crc}) 2 CRC bytes.
   */
  public static Duration fsk(int phyPayloadBytes, int bitRate, boolean crc) {
    checkPayload(phyPayloadBytes);
    if (bitRate <= 0) {
      throw new FrequencyPlanException("time on air: positive FSK bit rate expected, found " + bitRate);
    }
    long bits = 8L * (5 + 3 + 1 + phyPayloadBytes + (crc ? 2 : 0));
    return Duration.ofNanos((bits * NANOS_PER_SECOND + bitRate / 2) / bitRate);
  }

  /**
   * Time on air of a LoRaWAN uplink (PHY CRC on, explicit header, 8-symbol preamble) at a data
   * rate. LR-FHSS is not supported.
   */
  public static Duration uplink(int phyPayloadBytes, DataRate dataRate) {
    return of(phyPayloadBytes, dataRate, true);
  }

  /** Time on air of a LoRaWAN downlink (no PHY CRC, explicit header, 8-symbol preamble). */
  public static Duration downlink(int phyPayloadBytes, DataRate dataRate) {
    return of(phyPayloadBytes, dataRate, false);
  }

  private static Duration of(int phyPayloadBytes, DataRate dataRate, boolean crc) {
    return switch (dataRate.modulation()) {
      case LORA -> lora(
          phyPayloadBytes,
          dataRate.spreadingFactor(),
          dataRate.bandwidthHz(),
          dataRate.codingRate(),
          crc,
          false,
          LORAWAN_PREAMBLE_SYMBOLS);
      case FSK -> fsk(phyPayloadBytes, dataRate.fskBitRate(), crc);
      case LR_FHSS -> throw new FrequencyPlanException("time on air: LR-FHSS is not supported");
    };
  }

  private static void checkPayload(int phyPayloadBytes) {
    if (phyPayloadBytes < 0 || phyPayloadBytes > 255) {
      throw new FrequencyPlanException("time on air: PHYPayload 0..255 bytes expected, found " + phyPayloadBytes);
    }
  }

  /** Coding rate "4/5".."4/8" to CR 1..4. */
  static int codingRateIndex(String codingRate) {
    if (codingRate != null) {
      switch (codingRate) {
        case "4/5":
          return 1;
        case "4/6":
          return 2;
        case "4/7":
          return 3;
        case "4/8":
          return 4;
        default:
          break;
      }
    }
    throw new FrequencyPlanException("coding rate: 4/5, 4/6, 4/7 or 4/8 expected, found " + codingRate);
  }
}
