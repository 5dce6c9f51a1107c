package dev.loralab.frequencyplans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeOnAirTest {

  private static Duration micros(long us) {
    return Duration.ofNanos(us * 1000);
  }

  @Test
  void sf7Bw125With13BytesTakes46336Microseconds() {
    // T_sym 1.024 ms; preamble 12.25 sym; payload 8 + ceil((104 - 28 + 28 + 16) / 28) * 5 = 33 sym.
    assertThat(TimeOnAir.lora(13, 7, 125_000, "4/5", true, false, 8)).isEqualTo(micros(46_336));
  }

  @Test
  void sf12Bw125With13BytesTakes1155072Microseconds() {
    // T_sym 32.768 ms (LDRO on); payload 8 + ceil((104 - 48 + 28 + 16) / 40) * 5 = 23 sym.
    assertThat(TimeOnAir.lora(13, 12, 125_000, "4/5", true, false, 8)).isEqualTo(micros(1_155_072));
  }

  @ParameterizedTest(name = "SF{0} BW{1} {2} bytes = {3} us")
  @CsvSource({
    // The Things Stack toa_test vectors: 10-byte PHYPayload, CR 4/5, CRC on.
    "7, 125000, 10, 41216",
    "8, 125000, 10, 72192",
    "9, 125000, 10, 144384",
    "10, 125000, 10, 288768",
    "11, 125000, 10, 577536",
    "12, 125000, 10, 991232",
    // 13 bytes (computed in the regional notes).
    "8, 125000, 13, 82432",
    "9, 125000, 13, 164864",
    "10, 125000, 13, 288768",
    "11, 125000, 13, 577536",
    "7, 250000, 13, 23168",
    "8, 500000, 13, 20608",
    // EU DR0 maximum (M 59 + 5) and US DR0 maximum (M 19 + 5), below the 400 ms dwell time.
    "12, 125000, 64, 2793472",
    "10, 125000, 24, 370688",
  })
  void loraVectors(int sf, int bw, int bytes, long expectedMicros) {
    assertThat(TimeOnAir.lora(bytes, sf, bw, "4/5", true, false, 8)).isEqualTo(micros(expectedMicros));
  }

  @Test
  void downlinkHasNoCrc() {
    // 8 + ceil((104 - 28 + 28) / 28) * 5 = 28 symbols: 12.544 + 28.672 ms.
    assertThat(TimeOnAir.downlink(13, DataRate.lora(7, 125_000))).isEqualTo(micros(41_216));
    assertThat(TimeOnAir.uplink(13, DataRate.lora(7, 125_000))).isEqualTo(micros(46_336));
  }

  @Test
  void lowDataRateOptimisationFollowsSymbolTime() {
    // SF12/500 kHz: T_sym 8.192 ms < 16 ms, so no LDRO; 13 bytes -> 8 + ceil(100/48)*5 = 23 sym.
    assertThat(TimeOnAir.lora(13, 12, 500_000, "4/5", true, false, 8)).isEqualTo(micros(288_768));
    // 30 bytes: without LDRO 8 + ceil(236/48)*5 = 33 sym; with LDRO forced 8 + ceil(236/40)*5 = 38 sym.
    assertThat(TimeOnAir.lora(30, 12, 500_000, "4/5", true, false, 8)).isEqualTo(micros(370_688));
    assertThat(TimeOnAir.lora(30, 12, 500_000, "4/5", true, false, 8, true)).isEqualTo(micros(411_648));
  }

  @Test
  void codingRateAndImplicitHeaderChangeSymbols() {
    // 4/8: 8 + 5 * 8 = 48 symbols at SF7 -> 12.544 + 49.152 ms.
    assertThat(TimeOnAir.lora(13, 7, 125_000, "4/8", true, false, 8)).isEqualTo(micros(61_696));
    // Implicit header: ceil((104 - 28 + 28 + 16 - 20) / 28) = 4 -> 28 symbols.
    assertThat(TimeOnAir.lora(13, 7, 125_000, "4/5", true, true, 8)).isEqualTo(micros(41_216));
  }

  @Test
  void fsk() {
    // (5 preamble + 3 sync + 1 length + 13 + 2 CRC) * 8 = 192 bits at 50 kbit/s = 3.84 ms.
    assertThat(TimeOnAir.fsk(13, 50_000, true)).isEqualTo(micros(3_840));
    assertThat(TimeOnAir.uplink(13, DataRate.fsk(50_000))).isEqualTo(micros(3_840));
    assertThat(TimeOnAir.downlink(13, DataRate.fsk(50_000))).isEqualTo(micros(3_520));
  }

  @Test
  void badArgumentsAreTypedErrors() {
    assertThatThrownBy(() -> TimeOnAir.lora(256, 7, 125_000, "4/5", true, false, 8))
        .isInstanceOf(FrequencyPlanException.class).hasMessageContaining("PHYPayload 0..255 bytes expected, found 256");
    assertThatThrownBy(() -> TimeOnAir.lora(13, 13, 125_000, "4/5", true, false, 8))
        .isInstanceOf(FrequencyPlanException.class).hasMessageContaining("spreading factor");
    assertThatThrownBy(() -> TimeOnAir.lora(13, 7, 125_000, "4/9", true, false, 8))
        .isInstanceOf(FrequencyPlanException.class).hasMessageContaining("found 4/9");
    assertThatThrownBy(() -> TimeOnAir.uplink(13, DataRate.lrFhss(137_000, "1/3")))
        .isInstanceOf(FrequencyPlanException.class).hasMessageContaining("LR-FHSS");
  }
}
