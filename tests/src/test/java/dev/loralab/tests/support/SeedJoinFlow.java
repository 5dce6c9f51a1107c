package dev.loralab.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The join-flow example of the seed document ({@code shared/seed/000_07defcec703b911a.txt}), the
 * contract for event JSON: its JSON array, with the {@code //} comments removed, read into one
 * {@link Expected} per event.
 */
public final class SeedJoinFlow {

  /** The seed file name under {@code shared/seed}. */
  public static final String SEED = "000_07defcec703b911a.txt";

  /**
   * What the seed shows for one event.
   *
   * @param name the event name
   * @param identifierShape the field paths of the first identifier, e.g.
   *     {@code device_ids.application_ids.application_id}
   * @param dataType {@code data.@type}, empty when the event has no data
   * @param correlationPrefixes the prefixes of its correlation IDs ({@link Events#prefix})
   */
  public record Expected(String name, Set<String> identifierShape, Optional<String> dataType,
      Set<String> correlationPrefixes, JsonNode data) {

    /**
     * The top-level fields of the seed's {@code data}, except booleans, which protobuf JSON omits
     * when false (e.g. {@code rx1} of a downlink sent in RX2).
     */
    public Set<String> dataFields() {
      Set<String> out = new TreeSet<>();
      for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!data.get(f).isBoolean()) {
          out.add(f);
        }
      }
      return out;
    }
  }

  private SeedJoinFlow() {}

  /** The seed's events, in the seed's order. */
  public static List<Expected> events() {
    JsonNode array = array();
    List<Expected> out = new ArrayList<>();
    for (JsonNode e : array) {
      Set<String> prefixes = new LinkedHashSet<>();
      e.path("correlation_ids").forEach(c -> prefixes.add(Events.prefix(c.asText())));
      JsonNode type = e.path("data").path("@type");
      out.add(new Expected(e.path("name").asText(), shape(e.path("identifiers").path(0)),
          type.isTextual() ? Optional.of(type.asText()) : Optional.empty(), prefixes, e.path("data")));
    }
    return out;
  }

  /** The seed's JSON array, parsed. */
  public static JsonNode array() {
    String text = read();
    int start = text.indexOf("\n[");
    int end = text.indexOf("\n]", start);
    if (start < 0 || end < 0) {
      throw new AssertionError("no JSON array in the seed");
    }
    try {
      return HttpApi.JSON.readTree(stripComments(text.substring(start + 1, end + 2)));
    } catch (IOException e) {
      throw new AssertionError("the seed's join flow is not JSON", e);
    }
  }

  /**
   * The dotted paths of the string leaves of a JSON object, outside arrays (e.g.
   * {@code request.rx1_frequency}, {@code payload.join_request_payload.dev_eui}): fields protobuf
   * JSON always prints when set, whatever the frequency plan's numbers are.
   */
  public static Set<String> stringLeaves(JsonNode node) {
    Set<String> paths = new TreeSet<>();
    collectStrings("", node, paths);
    return paths;
  }

  private static void collectStrings(String prefix, JsonNode node, Set<String> paths) {
    if (node.isTextual()) {
      paths.add(prefix);
    } else if (node.isObject()) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        collectStrings(prefix.isEmpty() ? f : prefix + "." + f, node.get(f), paths);
      }
    }
  }

  /** The field paths (leaves) of a JSON object, dotted. */
  public static Set<String> shape(JsonNode node) {
    Set<String> paths = new TreeSet<>();
    collect("", node, paths);
    return paths;
  }

  private static void collect(String prefix, JsonNode node, Set<String> paths) {
    if (!node.isObject()) {
      paths.add(prefix);
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      collect(prefix.isEmpty() ? f : prefix + "." + f, node.get(f), paths);
    }
  }

  /** Removes {@code //} comments outside of JSON strings (base64 values contain "//"). */
  static String stripComments(String s) {
    StringBuilder b = new StringBuilder(s.length());
    boolean inString = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        b.append(c);
        if (c == '\\' && i + 1 < s.length()) {
          b.append(s.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
        b.append(c);
      } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
        b.append('\n');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static String read() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path seed = p.resolve("shared").resolve("seed").resolve(SEED);
      if (Files.isRegularFile(seed)) {
        try {
          return Files.readString(seed, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new AssertionError("seed " + SEED + " not found in shared/seed above " + dir);
  }
}
