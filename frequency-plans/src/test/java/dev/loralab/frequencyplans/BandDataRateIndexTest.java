package dev.loralab.frequencyplans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** {@link Band#dataRateIndex(DataRate)} is a precomputed lookup with the linear search's results. */
class BandDataRateIndexTest {

  /** The specification: the first (lowest) index whose modulation equals, by a linear search. */
  private static Optional<Integer> linearSearch(Band band, DataRate dataRate) {
    for (Map.Entry<Integer, DataRate> e : band.dataRates().entrySet()) {
      if (e.getValue().equals(dataRate)) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  /** Every data rate of every band, and modulations no band defines. */
  private static List<DataRate> candidates() {
    Set<DataRate> all = new LinkedHashSet<>();
    for (Band b : Bands.all()) {
      all.addAll(b.dataRates().values());
    }
    for (int sf = 5; sf <= 12; sf++) {
      for (int bw : new int[] {125_000, 250_000, 500_000}) {
        for (String cr : new String[] {"4/5", "4/6", "4/7", "4/8"}) {
          all.add(new DataRate(DataRate.Modulation.LORA, sf, bw, cr, 0, 0));
        }
      }
    }
    for (int bitRate : new int[] {1, 50_000, 50_001, 100_000}) {
      all.add(DataRate.fsk(bitRate));
    }
    for (int width : new int[] {137_000, 336_000, 1_523_000, 1_000}) {
      all.add(DataRate.lrFhss(width, "1/3"));
      all.add(DataRate.lrFhss(width, "2/3"));
    }
    return new ArrayList<>(all);
  }

  @Test
  void agreesWithTheLinearSearchForEveryBandAndDataRate() {
    List<DataRate> candidates = candidates();
    int found = 0;
    for (Band band : Bands.all()) {
      for (DataRate dr : candidates) {
        Optional<Integer> expected = linearSearch(band, dr);
        assertThat(band.dataRateIndex(dr)).as("%s %s", band.id(), dr).isEqualTo(expected);
        // An equal but distinct instance (e.g. parsed from a datr string) finds the same index.
        DataRate copy = new DataRate(dr.modulation(), dr.spreadingFactor(), dr.bandwidthHz(),
            new String(dr.codingRate().toCharArray()), dr.fskBitRate(), dr.operatingChannelWidthHz());
        assertThat(band.dataRateIndex(copy)).as("%s %s (copy)", band.id(), dr).isEqualTo(expected);
        if (expected.isPresent()) {
          found++;
        }
      }
      assertThat(band.dataRateIndex(null)).as(band.id()).isEmpty();
    }
    // Sanity: the candidates do hit the bands, and also miss them.
    assertThat(found).isGreaterThan(50).isLessThan(candidates.size() * Bands.all().size());
  }

  @Test
  void aModulationAtSeveralIndexesGivesTheLowest() {
    // US915: DR4 and DR12 are both SF8/500 kHz (RP002-1.0.4 §2.5.3).
    Band us = Bands.byId("US_902_928");
    assertThat(us.dataRate(4)).isEqualTo(us.dataRate(12));
    assertThat(us.dataRateIndex(DataRate.lora(8, 500_000))).contains(4);

    SortedMap<Integer, DataRate> rates = new TreeMap<>(Map.of(
        3, DataRate.lora(9, 125_000), 1, DataRate.lora(9, 125_000), 2, DataRate.lora(7, 125_000)));
    Band b = withDataRates(Bands.byId("EU_863_870"), rates);
    assertThat(b.dataRateIndex(DataRate.lora(9, 125_000))).contains(1);
    assertThat(b.dataRateIndex(DataRate.lora(7, 125_000))).contains(2);
    assertThat(b.dataRateIndex(DataRate.lora(12, 125_000))).isEmpty();
  }

  @Test
  void theTableIsAnUnmodifiableMapEqualToItsEntries() {
    Band eu = Bands.byId("EU_863_870");
    Band copy = withDataRates(eu, new TreeMap<>(eu.dataRates()));
    assertThat(copy).isEqualTo(eu).hasSameHashCodeAs(eu);
    assertThat(copy.toString()).isEqualTo(eu.toString());
    SortedMap<Integer, DataRate> plain = new TreeMap<>(eu.dataRates());
    assertThat(eu.dataRates()).isEqualTo(plain).hasSameHashCodeAs(plain);
    assertThat(plain).isEqualTo(eu.dataRates());
    assertThat(eu.dataRates().toString()).isEqualTo(plain.toString());
    assertThat(eu.dataRates().firstKey()).isZero();
    assertThat(eu.dataRates().headMap(3)).containsOnlyKeys(0, 1, 2);
    assertThatThrownBy(() -> eu.dataRates().put(15, DataRate.lora(7, 125_000)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> eu.dataRates().putIfAbsent(0, DataRate.lora(7, 125_000)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> eu.dataRates().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> eu.dataRates().entrySet().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    // Changing the map the band was built from changes neither the table nor the lookup.
    SortedMap<Integer, DataRate> source = new TreeMap<>(Map.of(0, DataRate.lora(12, 125_000)));
    Band one = withDataRates(eu, source);
    source.put(0, DataRate.lora(7, 125_000));
    assertThat(one.dataRate(0)).isEqualTo(DataRate.lora(12, 125_000));
    assertThat(one.dataRateIndex(DataRate.lora(12, 125_000))).contains(0);
    assertThat(one.dataRateIndex(DataRate.lora(7, 125_000))).isEmpty();
  }

  @Property
  void anyLoRaDataRateAgreesWithTheLinearSearch(
      @ForAll @IntRange(min = 5, max = 12) int sf, @ForAll @IntRange(min = 0, max = 2) int bwIndex,
      @ForAll @IntRange(min = 0, max = 3) int crIndex) {
    DataRate dr = new DataRate(DataRate.Modulation.LORA, sf, new int[] {125_000, 250_000, 500_000}[bwIndex],
        "4/" + (5 + crIndex), 0, 0);
    for (Band band : Bands.all()) {
      assertThat(band.dataRateIndex(dr)).isEqualTo(linearSearch(band, dr));
    }
  }

  /** {@code band} with other data rates (each with the largest MACPayload sizes). */
  private static Band withDataRates(Band band, SortedMap<Integer, DataRate> rates) {
    SortedMap<Integer, Band.MaxMacPayloadSize> sizes = new TreeMap<>();
    rates.keySet().forEach(i -> sizes.put(i, new Band.MaxMacPayloadSize(250, 250)));
    if (rates.keySet().equals(band.maxMacPayloadSizes().keySet())) {
      sizes.putAll(band.maxMacPayloadSizes());
    }
    return new Band(band.id(), rates, sizes, band.maxUplinkChannels(), band.uplinkChannels(),
        band.maxDownlinkChannels(), band.downlinkChannels(), band.subBands(), band.defaultMaxEirpDbm(),
        band.txPowerOffsetsDb(), band.cfListType(), band.channelPlan(), band.rx1DataRateRule(),
        band.rx1ChannelRule(), band.rx2(), band.beacon(), band.pingSlotFrequencies(), band.bootDwellTime(),
        band.txParamSetupReqSupported(), band.maxAdrDataRate(), band.receiveDelay1(), band.receiveDelay2(),
        band.joinAcceptDelay1(), band.joinAcceptDelay2(), band.maxFCntGap(), band.adrAckLimit(),
        band.adrAckDelay());
  }
}
