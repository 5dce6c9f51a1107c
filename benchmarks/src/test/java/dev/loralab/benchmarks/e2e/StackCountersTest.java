package dev.loralab.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StackCountersTest {

  private static final String BEFORE = """
      # HELP ns_uplink_processed_total uplinks processed
      # TYPE ns_uplink_processed_total counter
      ns_uplink_processed_total 100.0
      loralab_gs_udp_datagrams_total{type="push_data"} 100.0
      loralab_gs_udp_datagrams_total{type="pull_data"} 7.0
      ns_uplink_dropped_total{reason="overloaded"} 0.0
      jvm_threads_live_threads 40.0
      """;

  private static final String AFTER = """
      ns_uplink_processed_total 1100.0
      loralab_gs_udp_datagrams_total{type="push_data"} 1150.0
      loralab_gs_udp_datagrams_total{type="pull_data"} 9.0
      ns_uplink_dropped_total{reason="overloaded"} 50.0
      ns_uplink_dropped_total{reason="mic_mismatch"} 0.0
      ns_uplinks_in_flight 12.0
      loralab_store_commit_synced_groups_total 3.5E2
      jvm_threads_live_threads 41.0
      not a sample
      loralab_as_up_forwarded_total NaNish
      """;

  @Test
  void reportsTheGrowthOfTheKeptCountersAndTheGaugesValue() {
    assertThat(StackCounters.parse(AFTER).since(StackCounters.parse(BEFORE)))
        .containsExactly(
            org.assertj.core.api.Assertions.entry("loralab_gs_udp_datagrams_total{type=\"push_data\"}", 1050L),
            org.assertj.core.api.Assertions.entry("loralab_store_commit_synced_groups_total", 350L),
            org.assertj.core.api.Assertions.entry("ns_uplink_dropped_total{reason=\"overloaded\"}", 50L),
            org.assertj.core.api.Assertions.entry("ns_uplink_processed_total", 1000L),
            org.assertj.core.api.Assertions.entry("ns_uplinks_in_flight", 12L));
  }

  @Test
  void emptyOrForeignTextHasNothingToReport() {
    assertThat(StackCounters.parse("").since(StackCounters.parse("garbage\n# only comments"))).isEmpty();
  }
}
