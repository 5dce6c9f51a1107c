package dev.loralab.gatewayserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RoundTripStatsTest {

  @Test
  void summaryOfTheKeptSamples() {
    RoundTripStats s = new RoundTripStats(3);
    assertThat(s.summary()).isEmpty();
    s.record(Duration.ofMillis(40));
    assertThat(s.summary()).contains(new RoundTripStats.Summary(Duration.ofMillis(40),
        Duration.ofMillis(40), Duration.ofMillis(40), 1));
    s.record(Duration.ofMillis(10));
    // even count: the lower middle
    assertThat(s.summary()).contains(new RoundTripStats.Summary(Duration.ofMillis(10),
        Duration.ofMillis(40), Duration.ofMillis(10), 2));
    s.record(Duration.ofMillis(25));
    assertThat(s.summary()).contains(new RoundTripStats.Summary(Duration.ofMillis(10),
        Duration.ofMillis(40), Duration.ofMillis(25), 3));
    // the oldest (40 ms) drops out of a full window
    s.record(Duration.ofMillis(5));
    assertThat(s.summary()).contains(new RoundTripStats.Summary(Duration.ofMillis(5),
        Duration.ofMillis(25), Duration.ofMillis(10), 3));
  }
}
