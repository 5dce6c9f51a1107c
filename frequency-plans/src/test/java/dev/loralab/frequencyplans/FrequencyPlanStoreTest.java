package dev.loralab.frequencyplans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrequencyPlanStoreTest {
  private final FrequencyPlanStore store = FrequencyPlanStore.builtIn();

  @TempDir Path dir;

  @Test
  void everyBuiltInPlanResolves() {
    assertThat(store.descriptions()).extracting(FrequencyPlanDescription::id).contains(
        "EU_863_870", "EU_863_870_TTN", "US_902_928_FSB_1", "US_902_928_FSB_2", "AU_915_928_FSB_2",
        "AS_923", "AS_923_2", "AS_923_3", "AS_923_4", "IN_865_867", "KR_920_923");
    for (FrequencyPlanDescription d : store.descriptions()) {
      FrequencyPlan p = store.get(d.id());
      assertThat(p.bandId()).isEqualTo(d.bandId());
      assertThat(p.uplinkChannels()).isNotEmpty();
      for (Channel c : p.uplinkChannels()) {
        assertThat(p.findSubBand(c.frequencyHz())).as("%s %d", d.id(), c.frequencyHz()).isPresent();
      }
    }
  }

  @Test
  void baseIdOverlayReplacesOnlyTheGivenFields() {
    FrequencyPlan base = store.get("EU_863_870");
    FrequencyPlan ttn = store.get("EU_863_870_TTN");
    assertThat(base.rx2Channel()).isEqualTo(new FrequencyPlan.SingleDataRateChannel(869_525_000, 0, 0));
    assertThat(ttn.rx2Channel()).isEqualTo(new FrequencyPlan.SingleDataRateChannel(869_525_000, 3, 0));
    assertThat(ttn.uplinkChannels()).isEqualTo(base.uplinkChannels()).hasSize(8);
    assertThat(ttn.subBands()).isEqualTo(Bands.byId("EU_863_870").subBands());
    assertThat(ttn.fskChannel()).contains(new FrequencyPlan.SingleDataRateChannel(868_800_000, 7, 1));
    assertThat(ttn.subBandFor(868_100_000).dutyCycle()).isEqualTo(0.01);
    assertThat(ttn.maxEirpDbm(869_525_000)).isEqualTo(29.15);
  }

  @Test
  void usAndAuPlansUseBandDownlinksAndDwellTime() {
    FrequencyPlan us = store.get("US_902_928_FSB_2");
    assertThat(us.uplinkChannels().get(0).frequencyHz()).isEqualTo(903_900_000);
    assertThat(us.loraStandardChannel()).contains(new FrequencyPlan.SingleDataRateChannel(904_600_000, 4, 0));
    assertThat(us.downlinkChannels()).isEqualTo(Bands.byId("US_902_928").downlinkChannels());
    assertThat(us.dwellTime()).isEqualTo(new FrequencyPlan.DwellTime(true, false, Duration.ofMillis(400)));
    assertThat(us.rx2Channel().frequencyHz()).isEqualTo(923_300_000);
    // US DR0 (SF10) with the 24-byte maximum takes 370.688 ms: inside the 400 ms uplink dwell time.
    assertThat(us.respectsDwellTime(true, TimeOnAir.uplink(24, Bands.byId("US_902_928").dataRate(0)))).isTrue();
    assertThat(us.respectsDwellTime(true, Duration.ofMillis(401))).isFalse();
    assertThat(us.respectsDwellTime(false, Duration.ofSeconds(2))).isTrue();
    FrequencyPlan au = store.get("AU_915_928_FSB_2");
    assertThat(au.dwellTime()).isEqualTo(new FrequencyPlan.DwellTime(true, false, Duration.ofMillis(400)));
    assertThat(store.get("US_902_928_FSB_1").loraStandardChannel().orElseThrow().frequencyHz()).isEqualTo(903_000_000);
  }

  @Test
  void ourPlansAgreeWithTheThingsNetworkReferencePlans() {
    FrequencyPlanStore reference = FrequencyPlanStore.withUserDirectory(SharedReference.dir("frequency-plans"));
    for (String id : new String[] {"EU_863_870", "EU_863_870_TTN", "US_902_928_FSB_2", "AU_915_928_FSB_2", "AS_923"}) {
      assertThat(reference.description(id).orElseThrow().userDefined()).isTrue();
      FrequencyPlan theirs = reference.get(id);
      FrequencyPlan ours = store.get(id);
      assertThat(ours).as(id).usingRecursiveComparison().ignoringFields("name", "description").isEqualTo(theirs);
    }
  }

  @Test
  void userDirectoryAddsPlansOverlayingBuiltInOnes() throws IOException {
    write("frequency-plans.yml", """
        - id: EU_LAB
          band-id: EU_863_870
          base-id: EU_863_870
          name: Lab
          description: lab plan
          base-frequency: 868
          file: EU_LAB.yml
        - id: AS_923
          band-id: AS_923
          name: Replaced AS923
          file: AS_923_custom.yml
        """);
    write("EU_LAB.yml", """
        sub-bands:
        - min-frequency: 867000000
          max-frequency: 870000000
          duty-cycle: 0.01
          max-eirp: 14
        max-eirp: 14
        time-off-air:
          fraction: 0.1
          duration: 1s
        listen-before-talk:
          rssi-target: -80
          rssi-offset: -4
          scan-time: 128000
        rx2-channel:
          frequency: 869525000
          data-rate: 3
        dwell-time:
          uplinks: false
          downlinks: true
          duration: 400ms
        """);
    write("AS_923_custom.yml", """
        band-id: AS_923
        uplink-channels:
        - frequency: 923200000
          min-data-rate: 2
          max-data-rate: 5
        """);
    FrequencyPlanStore s = FrequencyPlanStore.withUserDirectory(dir);
    FrequencyPlan lab = s.get("EU_LAB");
    assertThat(lab.uplinkChannels()).isEqualTo(store.get("EU_863_870").uplinkChannels());
    assertThat(lab.subBands()).containsExactly(SubBand.of(867_000_000, 870_000_000, 0.01, 14));
    assertThat(lab.timeOffAir().after(Duration.ofMillis(100))).isEqualTo(Duration.ofSeconds(1));
    assertThat(lab.timeOffAir().after(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(2));
    assertThat(lab.listenBeforeTalk()).contains(new FrequencyPlan.ListenBeforeTalk(-80, -4, Duration.ofNanos(128_000)));
    assertThat(lab.rx2Channel().dataRate()).isEqualTo(3);
    assertThat(lab.dwellTime()).isEqualTo(new FrequencyPlan.DwellTime(false, true, Duration.ofMillis(400)));
    assertThat(lab.maxEirpDbm()).isEqualTo(14);
    FrequencyPlan as = s.get("AS_923");
    assertThat(as.name()).isEqualTo("Replaced AS923");
    assertThat(as.uplinkChannels()).containsExactly(new Channel(923_200_000, 2, 5, 0));
    assertThat(s.get("EU_863_870")).isEqualTo(store.get("EU_863_870"));
  }

  @Test
  void unknownPlanNamesKnownOnes() {
    assertThatThrownBy(() -> store.get("NOPE"))
        .isInstanceOf(FrequencyPlanException.class)
        .hasMessageStartingWith("unknown frequency plan 'NOPE'; known: EU_863_870, EU_863_870_TTN");
  }

  @Test
  void channelOutsideEverySubBandNamesPlanFileAndField() throws IOException {
    userPlan("BAD", "EU_863_870", """
        uplink-channels:
        - frequency: 868100000
        - frequency: 875000000
        """);
    assertThatThrownBy(() -> FrequencyPlanStore.withUserDirectory(dir).get("BAD"))
        .isInstanceOf(FrequencyPlanException.class)
        .hasMessage("plan BAD (file BAD.yml): uplink-channels[1].frequency 875000000 is outside every sub-band")
        .satisfies(e -> {
          FrequencyPlanException f = (FrequencyPlanException) e;
          assertThat(f.planId()).isEqualTo("BAD");
          assertThat(f.file()).isEqualTo("BAD.yml");
          assertThat(f.field()).isEqualTo("uplink-channels[1].frequency");
        });
  }

  @Test
  void errorsInInheritedFieldsNameTheFileTheyCameFrom() throws IOException {
    write("frequency-plans.yml", """
        - id: NARROW
          band-id: EU_863_870
          base-id: EU_863_870
          file: NARROW.yml
        """);
    write("NARROW.yml", """
        sub-bands:
        - min-frequency: 868000000
          max-frequency: 868600000
        """);
    assertThatThrownBy(() -> FrequencyPlanStore.withUserDirectory(dir).get("NARROW"))
        .isInstanceOf(FrequencyPlanException.class)
        .hasMessage("plan NARROW (file EU_863_870.yml): uplink-channels[3].frequency 867100000 is outside every sub-band");
  }

  @Test
  void malformedYamlNamesPlanFileAndLocation() throws IOException {
    userPlan("BROKEN", "EU_863_870", "uplink-channels:\n  - frequency: [868100000\n");
    assertThatThrownBy(() -> FrequencyPlanStore.withUserDirectory(dir).get("BROKEN"))
        .isInstanceOf(FrequencyPlanException.class)
        .hasMessageStartingWith("plan BROKEN (file BROKEN.yml): is malformed YAML at line");
  }

  @Test
  void wrongTypesNameTheField() throws IOException {
    userPlan("TYPED", "EU_863_870", """
        uplink-channels:
        - frequency: 868100000
          min-data-rate: fast
        """);
    assertThatThrownBy(() -> FrequencyPlanStore.withUserDirectory(dir).get("TYPED"))
        .hasMessage("plan TYPED (file TYPED.yml): uplink-channels[0].min-data-rate an integer expected, found string 'fast'");
    userPlan("DR", "US_902_928", """
        lora-standard-channel:
          frequency: 904600000
          data-rate: 7
        uplink-channels:
        - frequency: 903900000
        """);
    assertThatThrownBy(() -> FrequencyPlanStore.withUserDirectory(dir).get("DR"))
        .hasMessageStartingWith("plan DR (file DR.yml): lora-standard-channel.data-rate 7 is not a data rate of band US_902_928");
    userPlan("DWELL", "EU_863_870", """
        dwell-time:
          uplinks: true
          duration: soon
        """);
    assertThatThrownBy(() -> FrequencyPlanStore.withUserDirectory(dir).get("DWELL"))
        .hasMessage("plan DWELL (file DWELL.yml): dwell-time.duration a duration such as 400ms expected, found string 'soon'");
    userPlan("WRONGBAND", "EU_863_870", "band-id: US_902_928\n");
    assertThatThrownBy(() -> FrequencyPlanStore.withUserDirectory(dir).get("WRONGBAND"))
        .hasMessage("plan WRONGBAND (file WRONGBAND.yml): band-id 'US_902_928' does not match the index band-id 'EU_863_870'");
  }

  @Test
  void indexErrors() throws IOException {
    write("frequency-plans.yml", "- id: X\n  band-id: XX_000\n  file: X.yml\n");
    assertThatThrownBy(() -> FrequencyPlanStore.withUserDirectory(dir))
        .hasMessage("plan X (file frequency-plans.yml): [0].band-id 'XX_000' is not a known band");
    write("frequency-plans.yml", "- id: X\n  band-id: EU_863_870\n  file: ../etc/passwd\n");
    assertThatThrownBy(() -> FrequencyPlanStore.withUserDirectory(dir))
        .hasMessageContaining("[0].file '../etc/passwd' is not a plain .yml file name");
    write("frequency-plans.yml", """
        - id: A
          band-id: EU_863_870
          base-id: B
          file: A.yml
        - id: B
          band-id: EU_863_870
          base-id: A
          file: B.yml
        """);
    assertThatThrownBy(() -> FrequencyPlanStore.withUserDirectory(dir).get("A"))
        .hasMessageContaining("base-id forms a cycle");
    write("frequency-plans.yml", "- id: M\n  band-id: EU_863_870\n  file: MISSING.yml\n");
    assertThatThrownBy(() -> FrequencyPlanStore.withUserDirectory(dir).get("M"))
        .hasMessage("plan M (file MISSING.yml): does not exist in the user directory or the built-in plans");
    Files.delete(dir.resolve("frequency-plans.yml"));
    assertThatThrownBy(() -> FrequencyPlanStore.withUserDirectory(dir))
        .isInstanceOf(FrequencyPlanException.class).hasMessageContaining("has no index file frequency-plans.yml");
  }

  @Test
  void fileSizeLimitIsConfiguration() throws IOException {
    userPlan("BIG", "EU_863_870", "# " + "x".repeat(10_000) + "\n");
    assertThatThrownBy(() -> FrequencyPlanStore.load(Optional.of(dir), 8192).get("BIG"))
        .hasMessageContaining("plan BIG (file BIG.yml): is ")
        .hasMessageContaining("at most 8192 bytes expected");
  }

  private void userPlan(String id, String band, String body) throws IOException {
    write("frequency-plans.yml", "- id: " + id + "\n  band-id: " + band + "\n  file: " + id + ".yml\n");
    write(id + ".yml", body);
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(dir.resolve(name), content);
  }
}
