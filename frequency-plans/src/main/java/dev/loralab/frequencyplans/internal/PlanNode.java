package dev.loralab.frequencyplans.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loralab.frequencyplans.FrequencyPlanException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Typed, path-tracking access to one node of a plan or index YAML tree. Every failure becomes a
 * {@link FrequencyPlanException} naming the plan, the file the field came from and the field path.
 */
public final class PlanNode {
  private final JsonNode node;
  private final String planId;
  private final String path;
  private final Map<String, String> topLevelOrigin;
  private final String defaultFile;

  private PlanNode(JsonNode node, String planId, String path, Map<String, String> topLevelOrigin, String defaultFile) {
    this.node = node;
    this.planId = planId;
    this.path = path;
    this.topLevelOrigin = topLevelOrigin;
    this.defaultFile = defaultFile;
  }

  /**
   * The root of a (merged) document.
   *
   * @param topLevelOrigin top-level key to the file that supplied it (for overlays)
   * @param defaultFile file named for keys absent from {@code topLevelOrigin}
   */
  public static PlanNode root(JsonNode node, String planId, Map<String, String> topLevelOrigin, String defaultFile) {
    return new PlanNode(node, planId, "", Map.copyOf(topLevelOrigin), defaultFile);
  }

  /** The field path of this node, e.g. {@code uplink-channels[3]}. */
  public String path() {
    return path;
  }

  /** The file this node came from. */
  public String file() {
    String top = path;
    int cut = indexOfAny(top);
    if (cut >= 0) {
      top = top.substring(0, cut);
    }
    return topLevelOrigin.getOrDefault(top, defaultFile);
  }

  private static int indexOfAny(String s) {
    int a = s.indexOf('.');
    int b = s.indexOf('[');
    if (a < 0) {
      return b;
    }
    if (b < 0) {
      return a;
    }
    return Math.min(a, b);
  }

  /** An error at this node. */
  public FrequencyPlanException error(String problem) {
    return FrequencyPlanException.inPlan(planId, file(), path.isEmpty() ? null : path, problem);
  }

  /** Whether this node is absent or null. */
  public boolean isMissing() {
    return node == null || node.isNull() || node.isMissingNode();
  }

  /** A child of a mapping; may be missing. */
  public PlanNode field(String name) {
    if (!isMissing() && !node.isObject()) {
      throw error("a mapping expected, found " + kind(node));
    }
    JsonNode child = isMissing() ? null : node.get(name);
    return new PlanNode(child, planId, path.isEmpty() ? name : path + "." + name, topLevelOrigin, defaultFile);
  }

  /** Number of elements of a sequence (0 if missing). */
  public int size() {
    if (isMissing()) {
      return 0;
    }
    if (!node.isArray()) {
      throw error("a list expected, found " + kind(node));
    }
    return node.size();
  }

  /** Element {@code i} of a sequence. */
  public PlanNode element(int i) {
    size();
    return new PlanNode(node.get(i), planId, path + "[" + i + "]", topLevelOrigin, defaultFile);
  }

  /** A required integer that fits a long. */
  public long requireLong() {
    if (isMissing()) {
      throw error("is missing; an integer expected");
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw error("an integer expected, found " + describe(node));
    }
    return node.longValue();
  }

  /** A required integer in {@code [min, max]}. */
  public int requireInt(int min, int max) {
    long v = requireLong();
    if (v < min || v > max) {
      throw error(v + " is out of range; " + min + ".." + max + " expected");
    }
    return (int) v;
  }

  /** An optional integer in {@code [min, max]}. */
  public Optional<Integer> optionalInt(int min, int max) {
    return isMissing() ? Optional.empty() : Optional.of(requireInt(min, max));
  }

  /** A required number. */
  public double requireDouble() {
    if (isMissing()) {
      throw error("is missing; a number expected");
    }
    if (!node.isNumber()) {
      throw error("a number expected, found " + describe(node));
    }
    return node.doubleValue();
  }

  /** An optional number. */
  public Optional<Double> optionalDouble() {
    return isMissing() ? Optional.empty() : Optional.of(requireDouble());
  }

  /** An optional boolean. */
  public Optional<Boolean> optionalBoolean() {
    if (isMissing()) {
      return Optional.empty();
    }
    if (!node.isBoolean()) {
      throw error("true or false expected, found " + describe(node));
    }
    return Optional.of(node.booleanValue());
  }

  /** An optional string (scalars are converted to text). */
  public Optional<String> optionalString() {
    if (isMissing()) {
      return Optional.empty();
    }
    if (!node.isValueNode()) {
      throw error("a string expected, found " + kind(node));
    }
    return Optional.of(node.asText());
  }

  /** A required non-empty string. */
  public String requireString() {
    String s = optionalString().orElseThrow(() -> error("is missing; a string expected"));
    if (s.isEmpty()) {
      throw error("is empty; a non-empty string expected");
    }
    return s;
  }

  /** An optional duration: a Go duration string ("400ms") or an integer number of nanoseconds. */
  public Optional<Duration> optionalDuration() {
    if (isMissing()) {
      return Optional.empty();
    }
    if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
      return Optional.of(Duration.ofNanos(node.longValue()));
    }
    Duration d = node.isTextual() ? GoDuration.parse(node.textValue()) : null;
    if (d == null) {
      throw error("a duration such as 400ms expected, found " + describe(node));
    }
    return Optional.of(d);
  }

  private static String describe(JsonNode n) {
    String text = n.isTextual() ? "'" + n.textValue() + "'" : n.toString();
    if (text.length() > 40) {
      text = text.substring(0, 40) + "...";
    }
    return kind(n) + " " + text;
  }

  private static String kind(JsonNode n) {
    if (n.isObject()) {
      return "a mapping";
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isTextual()) {
      return "string";
    }
    if (n.isBoolean()) {
      return "boolean";
    }
    if (n.isNumber()) {
      return "number";
    }
    return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
