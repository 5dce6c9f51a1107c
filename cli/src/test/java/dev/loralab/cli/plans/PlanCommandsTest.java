package dev.loralab.cli.plans;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loralab.cli.LoraLab;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code loralab frequency-plans list|show} and {@code loralab bands list|show}. */
class PlanCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Result(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + out, e);
      }
    }
  }

  private static Result run(String... args) {
    CommandLine cmd = LoraLab.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void listsFrequencyPlans() {
    Result r = run("frequency-plans", "list");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.json().findValuesAsText("id")).contains("EU_863_870", "EU_863_870_TTN", "US_902_928_FSB_2", "AS_923_4");
    assertThat(r.json().get(1).get("base_id").asText()).isEqualTo("EU_863_870");
  }

  @Test
  void showsAResolvedPlan() {
    Result r = run("frequency-plans", "show", "EU_863_870_TTN");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode p = r.json();
    assertThat(p.get("band_id").asText()).isEqualTo("EU_863_870");
    assertThat(p.get("rx2_channel").get("frequency").asLong()).isEqualTo(869_525_000L);
    assertThat(p.get("rx2_channel").get("data_rate").asInt()).isEqualTo(3);
    assertThat(p.get("uplink_channels")).hasSize(8);
    assertThat(p.get("sub_bands").get(4).get("duty_cycle").asDouble()).isEqualTo(0.1);
  }

  @Test
  void unknownPlanIsInvalidInput() {
    Result r = run("frequency-plans", "show", "NOPE");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("loralab: unknown frequency plan 'NOPE'; known: EU_863_870");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void userDirectoryPlansAndTheirErrors(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("frequency-plans.yml"), "- id: BAD\n  band-id: EU_863_870\n  file: BAD.yml\n");
    Files.writeString(dir.resolve("BAD.yml"), "uplink-channels:\n- frequency: 875000000\n");
    Result list = run("frequency-plans", "--plans-dir", dir.toString(), "list");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.json().findValuesAsText("id")).contains("BAD", "EU_863_870");
    Result r = run("frequency-plans", "--plans-dir", dir.toString(), "show", "BAD");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEqualTo(
        "loralab: plan BAD (file BAD.yml): uplink-channels[0].frequency 875000000 is outside every sub-band" + System.lineSeparator());
  }

  @Test
  void showsABand() {
    Result r = run("bands", "show", "US_902_928");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode b = r.json();
    assertThat(b.get("id").asText()).isEqualTo("US_902_928");
    assertThat(b.get("data_rates").get("8").get("spreading_factor").asInt()).isEqualTo(12);
    assertThat(b.get("data_rates").get("8").get("bandwidth").asInt()).isEqualTo(500_000);
    assertThat(b.get("uplink_channels")).hasSize(72);
    assertThat(b.get("rx1_data_rate_table").get(0).get(0).asInt()).isEqualTo(10);
    assertThat(b.get("receive_delay_1_ms").asLong()).isEqualTo(1000);
    assertThat(b.get("cf_list_type").asText()).isEqualTo("CHANNEL_MASKS");
  }

  @Test
  void listsBandsAndRejectsUnknownOnes() {
    Result list = run("bands", "list");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.json().findValuesAsText("id")).contains("EU_863_870", "AS_923_3", "KR_920_923");
    Result r = run("bands", "show", "XX_000");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("loralab: unknown band 'XX_000'; known: EU_863_870");
  }
}
