package dev.loralab.frequencyplans;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares every table of our bands with The Things Stack's golden RP002-1.0.4 band files in
 * {@code shared/reference/lorawan-stack-bands/}, field by field.
 */
class GoldenBandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> goldenFiles() throws IOException {
    Path dir = SharedReference.dir("lorawan-stack-bands");
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith("_RP002_V1_0_4.json")).sorted().toList().stream();
    }
  }

  @Test
  void everyBandHasAGoldenFileAndEveryGoldenFileABand() throws IOException {
    Set<String> golden = new HashSet<>();
    for (Path p : goldenFiles().toList()) {
      golden.add(p.getFileName().toString().replace("_RP002_V1_0_4.json", ""));
    }
    Set<String> ours = new HashSet<>();
    Bands.all().forEach(b -> ours.add(b.id()));
    assertThat(ours).isEqualTo(golden);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void matchesGolden(Path file) throws IOException {
    JsonNode g = JSON.readTree(file.toFile());
    Band b = Bands.byId(g.get("ID").asText());
    SoftAssertions soft = new SoftAssertions();

    JsonNode beacon = g.get("Beacon");
    soft.assertThat(b.beacon().dataRate()).as("Beacon.DataRateIndex").isEqualTo(beacon.get("DataRateIndex").asInt());
    soft.assertThat(b.beacon().codingRate()).as("Beacon.CodingRate").isEqualTo(beacon.get("CodingRate").asText());
    soft.assertThat(b.beacon().frequencies()).as("Beacon.Frequencies").isEqualTo(longs(beacon.get("Frequencies")));
    soft.assertThat(b.pingSlotFrequencies()).as("PingSlotFrequencies").isEqualTo(longs(g.get("PingSlotFrequencies")));

    soft.assertThat(b.maxUplinkChannels()).as("MaxUplinkChannels").isEqualTo(g.get("MaxUplinkChannels").asInt());
    soft.assertThat(b.maxDownlinkChannels()).as("MaxDownlinkChannels").isEqualTo(g.get("MaxDownlinkChannels").asInt());
    compareChannels(soft, "UplinkChannels", g.get("UplinkChannels"), b.uplinkChannels());
    compareChannels(soft, "DownlinkChannels", g.get("DownlinkChannels"), b.downlinkChannels());

    JsonNode subs = g.get("SubBands");
    soft.assertThat(b.subBands()).as("SubBands size").hasSize(subs.size());
    for (int i = 0; i < Math.min(subs.size(), b.subBands().size()); i++) {
      SubBand s = b.subBands().get(i);
      JsonNode gs = subs.get(i);
      soft.assertThat(s.minFrequencyHz()).as("SubBands[%d].MinFrequency", i).isEqualTo(gs.get("MinFrequency").asLong());
      soft.assertThat(s.maxFrequencyHz()).as("SubBands[%d].MaxFrequency", i).isEqualTo(gs.get("MaxFrequency").asLong());
      soft.assertThat(s.dutyCycle()).as("SubBands[%d].DutyCycle", i).isEqualTo(gs.get("DutyCycle").asDouble());
      soft.assertThat(s.maxEirpDbm().getAsDouble()).as("SubBands[%d].MaxEIRP", i).isEqualTo(gs.get("MaxEIRP").asDouble());
    }

    JsonNode drs = g.get("DataRates");
    Set<Integer> goldenDrs = new HashSet<>();
    drs.fieldNames().forEachRemaining(k -> goldenDrs.add(Integer.parseInt(k)));
    soft.assertThat(b.dataRates().keySet()).as("DataRates keys").isEqualTo(goldenDrs);
    for (Iterator<Map.Entry<String, JsonNode>> it = drs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      int index = Integer.parseInt(e.getKey());
      if (!b.dataRates().containsKey(index)) {
        continue;
      }
      DataRate ours = b.dataRate(index);
      JsonNode rate = e.getValue().get("Rate");
      if (rate.has("lora")) {
        JsonNode l = rate.get("lora");
        soft.assertThat(ours).as("DataRates[%d].Rate", index)
            .isEqualTo(new DataRate(DataRate.Modulation.LORA, l.get("spreading_factor").asInt(),
                l.get("bandwidth").asInt(), l.get("coding_rate").asText(), 0, 0));
      } else if (rate.has("fsk")) {
        soft.assertThat(ours).as("DataRates[%d].Rate", index).isEqualTo(DataRate.fsk(rate.get("fsk").get("bit_rate").asInt()));
      } else {
        JsonNode l = rate.get("lrfhss");
        soft.assertThat(ours).as("DataRates[%d].Rate", index)
            .isEqualTo(DataRate.lrFhss(l.get("operating_channel_width").asInt(), l.get("coding_rate").asText()));
      }
      JsonNode m = e.getValue().get("MaxMACPayloadSize");
      soft.assertThat(b.maxMacPayloadSize(index, false)).as("DataRates[%d].MaxMACPayloadSize.false", index)
          .isEqualTo(m.get("false").asInt());
      soft.assertThat(b.maxMacPayloadSize(index, true)).as("DataRates[%d].MaxMACPayloadSize.true", index)
          .isEqualTo(m.get("true").asInt());
    }

    soft.assertThat(b.cfListType().name()).as("CFListType").isEqualTo(g.get("CFListType").asText());
    soft.assertThat(b.txPowerOffsetsDb()).as("TxOffset").isEqualTo(ints(g.get("TxOffset")));
    soft.assertThat(b.maxAdrDataRate()).as("MaxADRDataRateIndex").isEqualTo(g.get("MaxADRDataRateIndex").asInt());
    soft.assertThat(b.txParamSetupReqSupported()).as("TxParamSetupReqSupport").isEqualTo(g.get("TxParamSetupReqSupport").asBoolean());
    soft.assertThat(b.defaultMaxEirpDbm()).as("DefaultMaxEIRP").isEqualTo(g.get("DefaultMaxEIRP").asDouble());

    for (Iterator<Map.Entry<String, JsonNode>> it = g.get("Rx1Channel").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      int up = Integer.parseInt(e.getKey());
      soft.assertThat(b.rx1Channel(up)).as("Rx1Channel[%d]", up).isEqualTo(e.getValue().asInt());
    }

    Set<String> ourKeys = new HashSet<>();
    Band.Rx1DataRateRule rule = b.rx1DataRateRule();
    for (int up = 0; up <= rule.maxUplinkDataRate(); up++) {
      for (int off = 0; off <= rule.maxOffset(); off++) {
        ourKeys.add(up + "_" + off + "_false");
        ourKeys.add(up + "_" + off + "_true");
      }
    }
    Set<String> goldenKeys = new HashSet<>();
    g.get("Rx1DataRate").fieldNames().forEachRemaining(goldenKeys::add);
    soft.assertThat(ourKeys).as("Rx1DataRate keys").isEqualTo(goldenKeys);
    for (Iterator<Map.Entry<String, JsonNode>> it = g.get("Rx1DataRate").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String[] k = e.getKey().split("_");
      int up = Integer.parseInt(k[0]);
      int off = Integer.parseInt(k[1]);
      boolean dwell = Boolean.parseBoolean(k[2]);
      soft.assertThat(b.rx1DataRate(up, off, dwell)).as("Rx1DataRate[%s]", e.getKey()).isEqualTo(e.getValue().asInt());
    }

    JsonNode rx2 = g.get("DefaultRx2Parameters");
    soft.assertThat(b.rx2().dataRate()).as("DefaultRx2Parameters.DataRateIndex").isEqualTo(rx2.get("DataRateIndex").asInt());
    soft.assertThat(b.rx2().frequencyHz()).as("DefaultRx2Parameters.Frequency").isEqualTo(rx2.get("Frequency").asLong());

    JsonNode boot = g.get("BootDwellTime");
    soft.assertThat(b.bootDwellTime().uplinks().orElse(null)).as("BootDwellTime.Uplinks")
        .isEqualTo(boot.get("Uplinks").isNull() ? null : boot.get("Uplinks").asBoolean());
    soft.assertThat(b.bootDwellTime().downlinks().orElse(null)).as("BootDwellTime.Downlinks")
        .isEqualTo(boot.get("Downlinks").isNull() ? null : boot.get("Downlinks").asBoolean());

    JsonNode sp = g.get("SharedParameters");
    soft.assertThat(b.receiveDelay1()).as("ReceiveDelay1").isEqualTo(Duration.ofNanos(sp.get("ReceiveDelay1").asLong()));
    soft.assertThat(b.receiveDelay2()).as("ReceiveDelay2").isEqualTo(Duration.ofNanos(sp.get("ReceiveDelay2").asLong()));
    soft.assertThat(b.joinAcceptDelay1()).as("JoinAcceptDelay1").isEqualTo(Duration.ofNanos(sp.get("JoinAcceptDelay1").asLong()));
    soft.assertThat(b.joinAcceptDelay2()).as("JoinAcceptDelay2").isEqualTo(Duration.ofNanos(sp.get("JoinAcceptDelay2").asLong()));
    soft.assertThat(b.maxFCntGap()).as("MaxFCntGap").isEqualTo(sp.get("MaxFCntGap").asInt());
    soft.assertThat("ADR_ACK_LIMIT_" + b.adrAckLimit()).as("ADRAckLimit").isEqualTo(sp.get("ADRAckLimit").asText());
    soft.assertThat("ADR_ACK_DELAY_" + b.adrAckDelay()).as("ADRAckDelay").isEqualTo(sp.get("ADRAckDelay").asText());
    soft.assertAll();
  }

  private static void compareChannels(SoftAssertions soft, String name, JsonNode golden, java.util.List<Channel> ours) {
    soft.assertThat(ours).as(name + " size").hasSize(golden.size());
    for (int i = 0; i < Math.min(golden.size(), ours.size()); i++) {
      JsonNode c = golden.get(i);
      soft.assertThat(ours.get(i))
          .as("%s[%d]", name, i)
          .isEqualTo(Channel.of(c.get("Frequency").asLong(), c.get("MinDataRate").asInt(), c.get("MaxDataRate").asInt()));
    }
  }

  private static java.util.List<Long> longs(JsonNode array) {
    java.util.List<Long> l = new java.util.ArrayList<>();
    array.forEach(n -> l.add(n.asLong()));
    return l;
  }

  private static java.util.List<Integer> ints(JsonNode array) {
    java.util.List<Integer> l = new java.util.ArrayList<>();
    array.forEach(n -> l.add(n.asInt()));
    return l;
  }
}
