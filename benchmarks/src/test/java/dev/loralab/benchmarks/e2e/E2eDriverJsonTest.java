package dev.loralab.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class E2eDriverJsonTest {

  @Test
  void keysAndStringsWithQuotesAndBackslashesAreEscaped() {
    Map<String, Object> counters = new LinkedHashMap<>();
    counters.put("ns_uplink_dropped_total{reason=\"overloaded\"}", 50L);
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("stack_counters", counters);
    step.put("example", "a \"b\" c\\d");
    step.put("rates", List.of(1.5, "12"));
    assertThat(E2eDriver.toJson(step)).isEqualTo(
        "{\"stack_counters\":{\"ns_uplink_dropped_total{reason=\\\"overloaded\\\"}\":50},"
            + "\"example\":\"a \\\"b\\\" c\\\\d\",\"rates\":[1.5,12]}");
  }
}
