package dev.loralab.benchmarks.e2e;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stack's counters that say where each uplink of a step went, read from its Prometheus
 * {@code /metrics} text: datagrams received, uplinks processed, forwarded, dropped (by reason),
 * shed, and the store's group commits. A step reports the difference of two snapshots.
 */
final class StackCounters {

  /** Series whose name (with labels) starts with one of these are kept. */
  static final List<String> PREFIXES = List.of(
      "loralab_gs_udp_datagrams_total{type=\"push_data\"}",
      "loralab_gs_udp_drops_total",
      "loralab_gs_udp_read_pauses_total",
      "loralab_gs_txacks_total",
      "ns_uplink_processed_total",
      "ns_uplink_dropped_total",
      "ns_uplinks_in_flight",
      "loralab_gs_udp_pending",
      "ns_downlink_check_refused_total",
      "loralab_as_up_forwarded_total",
      "loralab_store_commit_");

  private final Map<String, Double> values;

  private StackCounters(Map<String, Double> values) {
    this.values = values;
  }

  /** The kept series of a {@code /metrics} text; comment and malformed lines are skipped. */
  static StackCounters parse(String metricsText) {
    Map<String, Double> values = new TreeMap<>();
    for (String line : metricsText.split("\n")) {
      if (line.isEmpty() || line.charAt(0) == '#') {
        continue;
      }
      int space = line.lastIndexOf(' ');
      if (space <= 0) {
        continue;
      }
      String series = line.substring(0, space);
      if (PREFIXES.stream().noneMatch(series::startsWith)) {
        continue;
      }
      try {
        values.put(series, Double.parseDouble(line.substring(space + 1)));
      } catch (NumberFormatException e) {
        // not a sample line
      }
    }
    return new StackCounters(values);
  }

  /** The value of {@code series} (name with labels, as in the text), 0 if absent. */
  double value(String series) {
    return values.getOrDefault(series, 0.0);
  }

  /**
   * Each series' growth since {@code before} (a gauge, such as the uplinks in flight, is given
   * as its value now), leaving out series that did not change and are zero.
   */
  Map<String, Long> since(StackCounters before) {
    Map<String, Long> out = new LinkedHashMap<>();
    values.forEach((series, now) -> {
      boolean gauge = !series.contains("_total");
      double v = gauge ? now : now - before.values.getOrDefault(series, 0.0);
      if (v != 0) {
        out.put(series, Math.round(v));
      }
    });
    return out;
  }
}
