package dev.loralab.frequencyplans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BandRulesTest {
  private final Band eu = Bands.byId("EU_863_870");
  private final Band us = Bands.byId("US_902_928");
  private final Band au = Bands.byId("AU_915_928");
  private final Band as = Bands.byId("AS_923");

  @Test
  void unknownBandNamesKnownOnes() {
    assertThatThrownBy(() -> Bands.byId("XX_1"))
        .isInstanceOf(FrequencyPlanException.class)
        .hasMessageContaining("unknown band 'XX_1'")
        .hasMessageContaining("EU_863_870");
  }

  @Test
  void eu868Rx1IsSameFrequencyWithDrMinusOffset() {
    assertThat(eu.rx1Frequency(867_500_000, 5)).isEqualTo(867_500_000);
    assertThat(eu.rx1DataRate(5, 0, false)).isEqualTo(5);
    assertThat(eu.rx1DataRate(5, 2, false)).isEqualTo(3);
    assertThat(eu.rx1DataRate(1, 3, false)).isZero();
    assertThatThrownBy(() -> eu.rx1DataRate(5, 6, false))
        .isInstanceOf(FrequencyPlanException.class).hasMessageContaining("RX1DROffset 0..5 expected, found 6");
  }

  @Test
  void us915Rx1IsUplinkChannelMod8On500KhzChannels() {
    // Channel 8 (903.9 MHz) -> downlink channel 0 (923.3 MHz); 15 -> 7; 65 (904.6 MHz) -> 1.
    assertThat(us.uplinkChannelIndex(903_900_000)).contains(8);
    assertThat(us.rx1Frequency(903_900_000, 8)).isEqualTo(923_300_000);
    assertThat(us.rx1Frequency(905_300_000, 15)).isEqualTo(927_500_000);
    assertThat(us.rx1Frequency(904_600_000, 65)).isEqualTo(923_900_000);
    assertThat(us.rx1DataRate(0, 0, false)).isEqualTo(10);
    assertThat(us.rx1DataRate(3, 3, false)).isEqualTo(10);
    assertThat(us.rx1DataRate(4, 0, false)).isEqualTo(13);
    assertThat(us.rx1DataRate(0, 3, false)).isEqualTo(8);
  }

  @Test
  void au915Rx1IsUplinkChannelMod8() {
    assertThat(au.rx1Frequency(916_800_000, 8)).isEqualTo(923_300_000);
    assertThat(au.rx1Frequency(917_500_000, 65)).isEqualTo(923_900_000);
    assertThat(au.rx1DataRate(2, 0, false)).isEqualTo(10);
    assertThat(au.rx1DataRate(6, 0, false)).isEqualTo(13);
    assertThat(au.rx1DataRate(5, 5, false)).isEqualTo(8);
  }

  @Test
  void as923Rx1HonoursDownlinkDwellTimeAndNegativeOffsets() {
    assertThat(as.rx1Frequency(923_400_000, 1)).isEqualTo(923_400_000);
    assertThat(as.rx1DataRate(0, 0, false)).isZero();
    assertThat(as.rx1DataRate(0, 0, true)).isEqualTo(2);
    assertThat(as.rx1DataRate(3, 6, false)).isEqualTo(4);
    assertThat(as.rx1DataRate(5, 7, false)).isEqualTo(7);
    assertThat(as.maxMacPayloadSize(0, true)).isZero();
    assertThat(as.maxMacPayloadSize(2, true)).isEqualTo(19);
  }

  @Test
  void txPowerIsMaxEirpMinusTwiceIndex() {
    assertThat(eu.txPowerDbm(0, 16)).isEqualTo(16);
    assertThat(eu.txPowerDbm(7, 16)).isEqualTo(2);
    assertThat(us.txPowerDbm(14, 30)).isEqualTo(2);
    assertThatThrownBy(() -> eu.txPowerDbm(8, 16))
        .isInstanceOf(FrequencyPlanException.class).hasMessageContaining("TXPower index 0..7 expected, found 8");
  }

  @Test
  void fixedBandChMaskCntlBlocksOf16AndChannels64To71() {
    SortedSet<Integer> all = range(0, 72);
    // Limit to FSB 2: cntl 7 with channel 65 only, then cntl 0 with channels 8..15.
    SortedSet<Integer> s = us.applyLinkAdrChannelMask(all, all, 7, 0x0002);
    assertThat(s).containsExactly(65);
    s = us.applyLinkAdrChannelMask(s, all, 0, 0xFF00);
    assertThat(s).containsExactly(8, 9, 10, 11, 12, 13, 14, 15, 65);
    // cntl 3 sets channels 48..63.
    assertThat(us.applyLinkAdrChannelMask(new TreeSet<>(), all, 3, 0x8001)).containsExactly(48, 63);
    // cntl 4 sets 64..71 from bits 0..7 and leaves the 125 kHz channels.
    assertThat(us.applyLinkAdrChannelMask(range(0, 2), all, 4, 0x0081)).containsExactly(0, 1, 64, 71);
    // cntl 5: bank bits (RP002-1.0.4): bit 1 -> channels 8..15 and 65.
    assertThat(au.applyLinkAdrChannelMask(all, all, 5, 0x0002)).containsExactly(8, 9, 10, 11, 12, 13, 14, 15, 65);
    // cntl 6: all 125 kHz on, 64..71 from the mask.
    assertThat(us.applyLinkAdrChannelMask(new TreeSet<>(), all, 6, 0x0000)).isEqualTo(range(0, 64));
    assertThatThrownBy(() -> us.applyLinkAdrChannelMask(all, all, 8, 0))
        .isInstanceOf(FrequencyPlanException.class).hasMessageContaining("ChMaskCntl 0..7 expected, found 8");
  }

  @Test
  void dynamicBandChMaskCntl() {
    SortedSet<Integer> defined = range(0, 8);
    assertThat(eu.applyLinkAdrChannelMask(defined, defined, 0, 0x0007)).containsExactly(0, 1, 2);
    assertThat(eu.applyLinkAdrChannelMask(range(0, 3), defined, 6, 0)).isEqualTo(defined);
    assertThatThrownBy(() -> eu.applyLinkAdrChannelMask(defined, defined, 4, 0))
        .isInstanceOf(FrequencyPlanException.class).hasMessageContaining("ChMaskCntl 0 or 6 expected, found 4");
  }

  @Test
  void dataRateTableAndBitRates() {
    assertThat(eu.dataRate(5)).isEqualTo(DataRate.lora(7, 125_000));
    assertThat(eu.dataRate(5).bitRate()).isEqualTo(5469);
    assertThat(eu.dataRate(4).bitRate()).isEqualTo(3125);
    assertThat(eu.dataRate(7).bitRate()).isEqualTo(50_000);
    assertThat(us.dataRate(4).name()).isEqualTo("SF8BW500");
    assertThat(eu.dataRateIndex(DataRate.lora(9, 125_000))).contains(3);
    assertThatThrownBy(() -> us.dataRate(7))
        .isInstanceOf(FrequencyPlanException.class).hasMessageContaining("data rate 7 is not defined");
    assertThat(eu.findSubBand(869_525_000).orElseThrow().dutyCycle()).isEqualTo(0.1);
    assertThat(eu.cfListType()).isEqualTo(Band.CfListType.FREQUENCIES);
    assertThat(us.cfListType()).isEqualTo(Band.CfListType.CHANNEL_MASKS);
  }

  private static SortedSet<Integer> range(int from, int to) {
    SortedSet<Integer> s = new TreeSet<>();
    IntStream.range(from, to).forEach(s::add);
    return s;
  }
}
