package dev.loralab.frequencyplans;

import static dev.loralab.frequencyplans.RegionalConstants.*;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** EU863-870, IN865-867 and KR920-923 (RP002-1.0.4 §2.4, §2.13, §2.10). */
final class DynamicChannelBands {
  private DynamicChannelBands() {}

  static Band eu868() {
    Map<Integer, DataRate> drs = new TreeMap<>(lora125Sf12ToSf7());
    drs.put(6, DataRate.lora(7, 250_000));
    drs.put(7, DataRate.fsk(50_000));
    drs.put(8, DataRate.lrFhss(137_000, "1/3"));
    drs.put(9, DataRate.lrFhss(137_000, "2/3"));
    drs.put(10, DataRate.lrFhss(336_000, "1/3"));
    drs.put(11, DataRate.lrFhss(336_000, "2/3"));
    List<Channel> defaults = List.of(
        Channel.of(868_100_000, 0, 5), Channel.of(868_300_000, 0, 5), Channel.of(868_500_000, 0, 5));
    // ETSI EN 300 220 sub-bands as RP002 §2.4.2 refers to them.
    List<SubBand> subBands = List.of(
        SubBand.of(863_000_000, 865_000_000, 0.001, 16.15),
        SubBand.of(865_000_000, 868_000_000, 0.01, 16.15),
        SubBand.of(868_000_000, 868_600_000, 0.01, 16.15),
        SubBand.of(868_700_000, 869_200_000, 0.001, 16.15),
        SubBand.of(869_400_000, 869_650_000, 0.1, 29.15),
        SubBand.of(869_700_000, 870_000_000, 0.01, 16.15));
    return new Band(
        "EU_863_870",
        new TreeMap<>(drs),
        new TreeMap<>(payloads(new int[][] {
          {0, 59, 59}, {1, 59, 59}, {2, 59, 59}, {3, 123, 123}, {4, 250, 250}, {5, 250, 250},
          {6, 250, 250}, {7, 250, 250}, {8, 58, 58}, {9, 123, 123}, {10, 58, 58}, {11, 123, 123}
        })),
        16, defaults, 16, defaults, subBands, 16, txPowerOffsets(8),
        Band.CfListType.FREQUENCIES, Band.ChannelPlan.DYNAMIC_16,
        // LR-FHSS DR8/DR10 use the DR1 row, DR9/DR11 the DR2 row (RP002 §2.4.7).
        new Band.Rx1DataRateRule(Band.Rx1DataRateRule.Kind.SUBTRACT, 11, 5, Map.of(8, 1, 9, 2, 10, 1, 11, 2), 0, 0),
        Band.Rx1ChannelRule.SAME_FREQUENCY,
        new Band.Rx2Parameters(869_525_000, 0),
        new Band.Beacon(3, "4/5", List.of(869_525_000L)),
        List.of(869_525_000L),
        Band.DwellTime.unset(),
        false, 5,
        RECEIVE_DELAY1, RECEIVE_DELAY2, JOIN_ACCEPT_DELAY1, JOIN_ACCEPT_DELAY2,
        MAX_FCNT_GAP, ADR_ACK_LIMIT, ADR_ACK_DELAY);
  }

  static Band in865() {
    Map<Integer, DataRate> drs = new TreeMap<>(lora125Sf12ToSf7());
    drs.put(7, DataRate.fsk(50_000));
    List<Channel> defaults = List.of(
        Channel.of(865_062_500, 0, 5), Channel.of(865_402_500, 0, 5), Channel.of(865_985_000, 0, 5));
    return new Band(
        "IN_865_867",
        new TreeMap<>(drs),
        new TreeMap<>(payloads(new int[][] {
          {0, 59, 59}, {1, 59, 59}, {2, 59, 59}, {3, 123, 123}, {4, 250, 250}, {5, 250, 250}, {7, 250, 250}
        })),
        16, defaults, 16, defaults,
        List.of(SubBand.of(865_000_000, 867_000_000, 1, 16.15)),
        30, txPowerOffsets(11),
        Band.CfListType.FREQUENCIES, Band.ChannelPlan.DYNAMIC_16,
        new Band.Rx1DataRateRule(Band.Rx1DataRateRule.Kind.AS923, 15, 7, Map.of(), 0, 0),
        Band.Rx1ChannelRule.SAME_FREQUENCY,
        new Band.Rx2Parameters(866_550_000, 2),
        new Band.Beacon(4, "4/5", List.of(866_500_000L)),
        List.of(866_500_000L),
        Band.DwellTime.unset(),
        false, 5,
        RECEIVE_DELAY1, RECEIVE_DELAY2, JOIN_ACCEPT_DELAY1, JOIN_ACCEPT_DELAY2,
        MAX_FCNT_GAP, ADR_ACK_LIMIT, ADR_ACK_DELAY);
  }

  static Band kr920() {
    List<Channel> defaults = List.of(
        Channel.of(922_100_000, 0, 5), Channel.of(922_300_000, 0, 5), Channel.of(922_500_000, 0, 5));
    return new Band(
        "KR_920_923",
        new TreeMap<>(lora125Sf12ToSf7()),
        new TreeMap<>(payloads(new int[][] {
          {0, 59, 59}, {1, 59, 59}, {2, 59, 59}, {3, 123, 123}, {4, 250, 250}, {5, 250, 250}
        })),
        16, defaults, 16, defaults,
        List.of(SubBand.of(920_000_000, 923_000_000, 1, 16.15)),
        14, txPowerOffsets(8),
        Band.CfListType.FREQUENCIES, Band.ChannelPlan.DYNAMIC_16,
        new Band.Rx1DataRateRule(Band.Rx1DataRateRule.Kind.SUBTRACT, 5, 5, Map.of(), 0, 0),
        Band.Rx1ChannelRule.SAME_FREQUENCY,
        new Band.Rx2Parameters(921_900_000, 0),
        new Band.Beacon(3, "4/5", List.of(923_100_000L)),
        List.of(923_100_000L),
        new Band.DwellTime(Optional.empty(), Optional.empty()),
        false, 5,
        RECEIVE_DELAY1, RECEIVE_DELAY2, JOIN_ACCEPT_DELAY1, JOIN_ACCEPT_DELAY2,
        MAX_FCNT_GAP, ADR_ACK_LIMIT, ADR_ACK_DELAY);
  }
}
