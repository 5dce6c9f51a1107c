package dev.loralab.frequencyplans;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Values shared by every RP002-1.0.4 band (RP002 §2.1 and the per-band "Default Settings"). */
final class RegionalConstants {
  static final Duration RECEIVE_DELAY1 = Duration.ofSeconds(1);
  static final Duration RECEIVE_DELAY2 = Duration.ofSeconds(2);
  static final Duration JOIN_ACCEPT_DELAY1 = Duration.ofSeconds(5);
  static final Duration JOIN_ACCEPT_DELAY2 = Duration.ofSeconds(6);
  static final int MAX_FCNT_GAP = 16384;
  static final int ADR_ACK_LIMIT = 64;
  static final int ADR_ACK_DELAY = 32;

  private RegionalConstants() {}

  /** TXPower offsets 0, −2, …, −2·(count − 1) dB. */
  static List<Integer> txPowerOffsets(int count) {
    List<Integer> offsets = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      offsets.add(-2 * n);
    }
    return offsets;
  }

  /** Pairs of (data rate, M no dwell, M dwell) into a map. */
  static Map<Integer, Band.MaxMacPayloadSize> payloads(int[][] rows) {
    Map<Integer, Band.MaxMacPayloadSize> m = new TreeMap<>();
    for (int[] r : rows) {
      m.put(r[0], new Band.MaxMacPayloadSize(r[1], r[2]));
    }
    return m;
  }

  /** The six LoRa 125 kHz data rates DR0..DR5 = SF12..SF7. */
  static Map<Integer, DataRate> lora125Sf12ToSf7() {
    Map<Integer, DataRate> m = new TreeMap<>();
    for (int dr = 0; dr <= 5; dr++) {
      m.put(dr, DataRate.lora(12 - dr, 125_000));
    }
    return m;
  }
}
