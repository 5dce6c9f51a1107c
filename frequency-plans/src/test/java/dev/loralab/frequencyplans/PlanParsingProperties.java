package dev.loralab.frequencyplans;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.frequencyplans.internal.PlanAssembler;
import dev.loralab.frequencyplans.internal.PlanIndexReader;
import dev.loralab.frequencyplans.internal.YamlDocuments;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Corrupted plan and index files only ever fail with {@link FrequencyPlanException}. */
class PlanParsingProperties {
  private static final FrequencyPlanDescription EU = new FrequencyPlanDescription(
      "EU_863_870", "EU_863_870", Optional.empty(), "", "", 868, "EU_863_870.yml", true, List.of(), false);

  private static String resource(String name) {
    try (InputStream in = PlanParsingProperties.class.getResourceAsStream("/frequency-plans/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Property(tries = 500)
  void corruptedPlanFilesFailOnlyWithPlanExceptions(
      @ForAll @IntRange(min = 0, max = 100_000) int position, @ForAll("replacements") String replacement) {
    String text = resource("EU_863_870.yml");
    int at = position % text.length();
    String corrupted = text.substring(0, at) + replacement + text.substring(Math.min(text.length(), at + 1));
    try {
      FrequencyPlan p = PlanAssembler.assemble(EU, List.of(new PlanAssembler.Document(
          "EU_863_870.yml", YamlDocuments.parse("EU_863_870", "EU_863_870.yml", corrupted.getBytes(StandardCharsets.UTF_8)))));
      assertThat(p.id()).isEqualTo("EU_863_870");
    } catch (FrequencyPlanException e) {
      assertThat(e.getMessage()).startsWith("plan EU_863_870 (file EU_863_870.yml): ");
    }
  }

  @Property(tries = 300)
  void corruptedIndexFilesFailOnlyWithPlanExceptions(
      @ForAll @IntRange(min = 0, max = 100_000) int position, @ForAll("replacements") String replacement) {
    String text = resource("frequency-plans.yml");
    int at = position % text.length();
    String corrupted = text.substring(0, at) + replacement + text.substring(Math.min(text.length(), at + 1));
    try {
      assertThat(PlanIndexReader.read(corrupted.getBytes(StandardCharsets.UTF_8), true)).isNotNull();
    } catch (FrequencyPlanException e) {
      assertThat(e.getMessage()).contains("(file frequency-plans.yml)");
    }
  }

  @Property(tries = 300)
  void arbitraryBytesFailOnlyWithPlanExceptions(@ForAll byte[] bytes) {
    try {
      PlanAssembler.assemble(EU, List.of(new PlanAssembler.Document(
          "EU_863_870.yml", YamlDocuments.parse("EU_863_870", "EU_863_870.yml", bytes))));
    } catch (FrequencyPlanException e) {
      assertThat(e.planId()).isEqualTo("EU_863_870");
    }
  }

  @Provide
  Arbitrary<String> replacements() {
    return Arbitraries.of("", ":", "-", "[", "{", "\n", " ", "x", "9", "-1", "99999999999999999999", "\"", "'", "&a", "*a", "!!binary ", "null", "1.5", "true");
  }
}
