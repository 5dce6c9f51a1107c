package dev.loralab.frequencyplans.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loralab.frequencyplans.FrequencyPlanException;
import java.io.IOException;

/** Parses YAML bytes into a tree; malformed YAML becomes a {@link FrequencyPlanException}. */
public final class YamlDocuments {
  private static final ObjectMapper YAML =
      new ObjectMapper(YAMLFactory.builder().build()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private YamlDocuments() {}

  /** The document's root node; an empty document gives a {@link MissingNode}. */
  public static JsonNode parse(String planId, String file, byte[] bytes) {
    try {
      JsonNode n = YAML.readTree(bytes);
      return n == null ? MissingNode.getInstance() : n;
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw FrequencyPlanException.inPlan(planId, file, null, "is malformed YAML" + where + ": " + firstLine(e.getOriginalMessage()), e);
    } catch (IOException | RuntimeException e) {
      throw FrequencyPlanException.inPlan(planId, file, null, "is malformed YAML: " + firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
