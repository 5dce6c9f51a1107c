package dev.loralab.frequencyplans;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class TimeOnAirProperties {

  @Property
  void monotonicInPayloadSize(
      @ForAll @IntRange(min = 0, max = 254) int bytes,
      @ForAll @IntRange(min = 1, max = 20) int more,
      @ForAll @IntRange(min = 7, max = 12) int sf,
      @ForAll("bandwidths") int bw,
      @ForAll boolean crc) {
    int larger = Math.min(bytes + more, 255);
    assertThat(TimeOnAir.lora(larger, sf, bw, "4/5", crc, false, 8))
        .isGreaterThanOrEqualTo(TimeOnAir.lora(bytes, sf, bw, "4/5", crc, false, 8));
  }

  @Property
  void strictlyIncreasingInSpreadingFactor(
      @ForAll @IntRange(min = 0, max = 255) int bytes,
      @ForAll @IntRange(min = 7, max = 11) int sf,
      @ForAll("bandwidths") int bw,
      @ForAll boolean crc) {
    assertThat(TimeOnAir.lora(bytes, sf + 1, bw, "4/5", crc, false, 8))
        .isGreaterThan(TimeOnAir.lora(bytes, sf, bw, "4/5", crc, false, 8));
  }

  @Property
  void fskMonotonicInPayloadSize(@ForAll @IntRange(min = 0, max = 254) int bytes) {
    assertThat(TimeOnAir.fsk(bytes + 1, 50_000, true)).isGreaterThan(TimeOnAir.fsk(bytes, 50_000, true));
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Integer> bandwidths() {
    return net.jqwik.api.Arbitraries.of(125_000, 250_000, 500_000);
  }
}
