package dev.loralab.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StackBacklogSamplerTest {

  private static String metrics(int inFlight, int pending) {
    return "# TYPE ns_uplinks_in_flight gauge\nns_uplinks_in_flight " + inFlight + ".0\n"
        + "loralab_gs_udp_pending " + pending + ".0\njvm_threads_live_threads 40.0\n";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> gauge(Map<String, Object> report, String name) {
    return (Map<String, Object>) report.get(name);
  }

  @Test
  void reportsMaxAndHighPercentilesOfEachGauge() throws Exception {
    StackBacklogSampler s = new StackBacklogSampler(() -> "", 50);
    // 2,000 samples (more than the first buffer): in flight 1..2000, pending 0 but one 9,000
    for (int i = 1; i <= 2000; i++) {
      s.sample(metrics(i, i == 700 ? 9000 : 0));
    }
    Map<String, Object> r = s.report();
    assertThat(r).containsEntry("period_ms", 50L).containsEntry("samples", 2000)
        .containsEntry("failed_reads", 0);
    assertThat(gauge(r, "ns_uplinks_in_flight")).containsEntry("max", 2000L)
        .containsEntry("p99", 1980L).containsEntry("p90", 1800L);
    assertThat(gauge(r, "loralab_gs_udp_pending")).containsEntry("max", 9000L)
        .containsEntry("p99", 0L).containsEntry("p90", 0L);
  }

  @Test
  void aGaugeMissingFromTheTextCountsAsZeroAndNoSamplesReportZeros() {
    StackBacklogSampler empty = new StackBacklogSampler(() -> "", 10);
    assertThat(gauge(empty.report(), "ns_uplinks_in_flight")).containsEntry("max", 0L)
        .containsEntry("p99", 0L);
    empty.sample("garbage\nns_uplinks_in_flight 5.0\n");
    assertThat(gauge(empty.report(), "loralab_gs_udp_pending")).containsEntry("max", 0L);
    assertThat(gauge(empty.report(), "ns_uplinks_in_flight")).containsEntry("max", 5L);
  }

  @Test
  void samplesOnItsThreadCountsFailedReadsAndStopsOnClose() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch enough = new CountDownLatch(4);
    StackBacklogSampler s = new StackBacklogSampler(() -> {
      int n = calls.incrementAndGet();
      enough.countDown();
      if (n % 2 == 0) {
        throw new java.io.IOException("connection refused");
      }
      return metrics(n, 1);
    }, 1).start();
    assertThat(enough.await(30, TimeUnit.SECONDS)).isTrue();
    s.close();
    int after = calls.get();
    Map<String, Object> r = s.report();
    assertThat((int) r.get("samples") + (int) r.get("failed_reads")).isEqualTo(after);
    assertThat((int) r.get("failed_reads")).isPositive();
    Thread.sleep(20);
    assertThat(calls.get()).as("no reads after close").isEqualTo(after);
  }

  @Test
  void rejectsANonPositivePeriod() {
    assertThatThrownBy(() -> new StackBacklogSampler(() -> "", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("periodMillis");
  }
}
