package dev.loralab.frequencyplans;

import static dev.loralab.frequencyplans.RegionalConstants.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** US902-928 and AU915-928: 64 + 8 fixed uplink channels, 8 downlink channels (RP002 §2.5, §2.6). */
final class FixedChannelBands {
  private FixedChannelBands() {}

  static Band us915() {
    Map<Integer, DataRate> drs = new TreeMap<>();
    drs.put(0, DataRate.lora(10, 125_000));
    drs.put(1, DataRate.lora(9, 125_000));
    drs.put(2, DataRate.lora(8, 125_000));
    drs.put(3, DataRate.lora(7, 125_000));
    drs.put(4, DataRate.lora(8, 500_000));
    drs.put(5, DataRate.lrFhss(1_523_000, "1/3"));
    drs.put(6, DataRate.lrFhss(1_523_000, "2/3"));
    downlink500(drs);
    return new Band(
        "US_902_928",
        new TreeMap<>(drs),
        new TreeMap<>(payloads(new int[][] {
          {0, 19, 19}, {1, 61, 61}, {2, 133, 133}, {3, 250, 250}, {4, 250, 250}, {5, 58, 58}, {6, 133, 133},
          {8, 61, 61}, {9, 137, 137}, {10, 250, 250}, {11, 250, 250}, {12, 250, 250}, {13, 250, 250}
        })),
        72, uplinks(902_300_000, 3, 903_000_000, 4, 6), 8, downlinks(),
        List.of(SubBand.of(902_300_000, 914_900_000, 1, 23.15), SubBand.of(923_300_000, 927_500_000, 1, 28.15)),
        30, txPowerOffsets(15),
        Band.CfListType.CHANNEL_MASKS, Band.ChannelPlan.FIXED_72,
        // LR-FHSS DR5/DR6 use the DR0/DR1 rows.
        new Band.Rx1DataRateRule(Band.Rx1DataRateRule.Kind.FIXED_500KHZ, 6, 3, Map.of(5, 0, 6, 1), 10, 0),
        Band.Rx1ChannelRule.UPLINK_CHANNEL_MOD_8,
        new Band.Rx2Parameters(923_300_000, 8),
        new Band.Beacon(8, "4/5", downlinkFrequencies()),
        downlinkFrequencies(),
        new Band.DwellTime(Optional.of(true), Optional.of(false)),
        false, 3,
        RECEIVE_DELAY1, RECEIVE_DELAY2, JOIN_ACCEPT_DELAY1, JOIN_ACCEPT_DELAY2,
        MAX_FCNT_GAP, ADR_ACK_LIMIT, ADR_ACK_DELAY);
  }

  static Band au915() {
    Map<Integer, DataRate> drs = new TreeMap<>(lora125Sf12ToSf7());
    drs.put(6, DataRate.lora(8, 500_000));
    drs.put(7, DataRate.lrFhss(1_523_000, "1/3"));
    downlink500(drs);
    return new Band(
        "AU_915_928",
        new TreeMap<>(drs),
        new TreeMap<>(payloads(new int[][] {
          {0, 59, 0}, {1, 59, 0}, {2, 59, 19}, {3, 123, 61}, {4, 250, 133}, {5, 250, 250}, {6, 250, 250},
          {7, 58, 58}, {8, 61, 61}, {9, 137, 137}, {10, 250, 250}, {11, 250, 250}, {12, 250, 250}, {13, 250, 250}
        })),
        72, uplinks(915_200_000, 5, 915_900_000, 6, 7), 8, downlinks(),
        List.of(SubBand.of(915_000_000, 928_000_000, 1, 30)),
        30, txPowerOffsets(15),
        Band.CfListType.CHANNEL_MASKS, Band.ChannelPlan.FIXED_72,
        // LR-FHSS DR7 uses the DR1 row.
        new Band.Rx1DataRateRule(Band.Rx1DataRateRule.Kind.FIXED_500KHZ, 7, 5, Map.of(7, 1), 8, 0),
        Band.Rx1ChannelRule.UPLINK_CHANNEL_MOD_8,
        new Band.Rx2Parameters(923_300_000, 8),
        new Band.Beacon(8, "4/5", downlinkFrequencies()),
        downlinkFrequencies(),
        new Band.DwellTime(Optional.of(true), Optional.of(false)),
        true, 5,
        RECEIVE_DELAY1, RECEIVE_DELAY2, JOIN_ACCEPT_DELAY1, JOIN_ACCEPT_DELAY2,
        MAX_FCNT_GAP, ADR_ACK_LIMIT, ADR_ACK_DELAY);
  }

  /** DR8..DR13 = SF12..SF7 at 500 kHz (downlink only). */
  private static void downlink500(Map<Integer, DataRate> drs) {
    for (int dr = 8; dr <= 13; dr++) {
      drs.put(dr, DataRate.lora(20 - dr, 500_000));
    }
  }

  /** Channels 0..63 every 200 kHz from {@code first125}, 64..71 every 1.6 MHz from {@code first500}. */
  private static List<Channel> uplinks(long first125, int maxDr125, long first500, int minDr500, int maxDr500) {
    List<Channel> channels = new ArrayList<>(72);
    for (int n = 0; n < 64; n++) {
      channels.add(Channel.of(first125 + 200_000L * n, 0, maxDr125));
    }
    for (int n = 0; n < 8; n++) {
      channels.add(Channel.of(first500 + 1_600_000L * n, minDr500, maxDr500));
    }
    return channels;
  }

  /** Downlink channels 0..7 = 923.3 + 0.6·n MHz, DR8..DR13. */
  private static List<Channel> downlinks() {
    List<Channel> channels = new ArrayList<>(8);
    for (long f : downlinkFrequencies()) {
      channels.add(Channel.of(f, 8, 13));
    }
    return channels;
  }

  private static List<Long> downlinkFrequencies() {
    List<Long> f = new ArrayList<>(8);
    for (int n = 0; n < 8; n++) {
      f.add(923_300_000L + 600_000L * n);
    }
    return f;
  }
}
