package dev.loralab.frequencyplans;

import static dev.loralab.frequencyplans.RegionalConstants.*;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * AS923 groups 1–4 (RP002-1.0.4 §2.8): the same band shifted by a group frequency offset, each
 * with its own default sub-band.
 */
final class As923Bands {
  private As923Bands() {}

  /** Group 1: offset 0; sub-band 923.0–923.5 MHz. */
  static Band group1() {
    return group("AS_923", 0, 923_000_000, 923_500_000);
  }

  /** Group 2: offset −1.8 MHz; sub-band 921.4–922.0 MHz. */
  static Band group2() {
    return group("AS_923_2", -1_800_000, 921_400_000, 922_000_000);
  }

  /** Group 3: offset −6.6 MHz; sub-band 916.5–917.0 MHz. */
  static Band group3() {
    return group("AS_923_3", -6_600_000, 916_500_000, 917_000_000);
  }

  /** Group 4: offset −5.9 MHz; sub-band 917.3–917.5 MHz. */
  static Band group4() {
    return group("AS_923_4", -5_900_000, 917_300_000, 917_500_000);
  }

  private static Band group(String id, long offsetHz, long subBandMin, long subBandMax) {
    Map<Integer, DataRate> drs = new TreeMap<>(lora125Sf12ToSf7());
    drs.put(6, DataRate.lora(7, 250_000));
    drs.put(7, DataRate.fsk(50_000));
    long first = 923_200_000 + offsetHz;
    long second = 923_400_000 + offsetHz;
    List<Channel> defaults = List.of(Channel.of(first, 0, 5), Channel.of(second, 0, 5));
    return new Band(
        id,
        new TreeMap<>(drs),
        // With uplink dwell time, DR0 and DR1 are not allowed (M = 0).
        new TreeMap<>(payloads(new int[][] {
          {0, 59, 0}, {1, 59, 0}, {2, 123, 19}, {3, 123, 61}, {4, 250, 133}, {5, 250, 250},
          {6, 250, 250}, {7, 250, 250}
        })),
        16, defaults, 16, defaults,
        List.of(SubBand.of(subBandMin, subBandMax, 0.01, 16)),
        16, txPowerOffsets(8),
        Band.CfListType.FREQUENCIES, Band.ChannelPlan.DYNAMIC_16,
        new Band.Rx1DataRateRule(Band.Rx1DataRateRule.Kind.AS923, 15, 7, Map.of(), 0, 2),
        Band.Rx1ChannelRule.SAME_FREQUENCY,
        new Band.Rx2Parameters(first, 2),
        new Band.Beacon(3, "4/5", List.of(second)),
        List.of(second),
        Band.DwellTime.unset(),
        true, 5,
        RECEIVE_DELAY1, RECEIVE_DELAY2, JOIN_ACCEPT_DELAY1, JOIN_ACCEPT_DELAY2,
        MAX_FCNT_GAP, ADR_ACK_LIMIT, ADR_ACK_DELAY);
  }
}
