package dev.loralab.frequencyplans.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loralab.frequencyplans.Bands;
import dev.loralab.frequencyplans.FrequencyPlanDescription;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the index {@code frequency-plans.yml}: a list of plan descriptions. */
public final class PlanIndexReader {
  /** The index file name. */
  public static final String INDEX_FILE = "frequency-plans.yml";

  private PlanIndexReader() {}

  /**
   * Parses an index.
   *
   * @param bytes the file content
   * @param userDefined whether the index comes from the user directory
   */
  public static List<FrequencyPlanDescription> read(byte[] bytes, boolean userDefined) {
    JsonNode tree = YamlDocuments.parse("index", INDEX_FILE, bytes);
    PlanNode root = PlanNode.root(tree, "index", Map.of(), INDEX_FILE);
    List<FrequencyPlanDescription> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    if (!root.isMissing()) {
      for (int i = 0; i < root.size(); i++) {
        PlanNode entry = root.element(i);
        String id = entry.field("id").requireString();
        PlanNode e = PlanNode.root(tree.get(i), id, Map.of(), INDEX_FILE);
        if (!seen.add(id)) {
          throw entryError(id, i, "id", "'" + id + "' is listed twice");
        }
        String bandId = e.field("band-id").requireString();
        if (!Bands.exists(bandId)) {
          throw entryError(id, i, "band-id", "'" + bandId + "' is not a known band");
        }
        String file = e.field("file").requireString();
        if (!PlanFiles.isPlainFileName(file)) {
          throw entryError(id, i, "file", "'" + file + "' is not a plain .yml file name");
        }
        PlanNode codes = e.field("country-codes");
        List<String> countryCodes = new ArrayList<>();
        for (int c = 0; c < codes.size(); c++) {
          countryCodes.add(codes.element(c).requireString());
        }
        result.add(new FrequencyPlanDescription(
            id,
            bandId,
            e.field("base-id").optionalString().filter(s -> !s.isEmpty()),
            e.field("name").optionalString().orElse(""),
            e.field("description").optionalString().orElse(""),
            e.field("base-frequency").optionalInt(0, 100_000).orElse(0),
            file,
            e.field("gateways").optionalBoolean().orElse(true),
            countryCodes,
            userDefined));
      }
    }
    return result;
  }

  private static RuntimeException entryError(String id, int index, String field, String problem) {
    return dev.loralab.frequencyplans.FrequencyPlanException.inPlan(id, INDEX_FILE, "[" + index + "]." + field, problem);
  }
}
