package dev.loralab.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders API responses: indented JSON (default) or a plain-text table for humans. */
public enum OutputFormat {
  /** The API's JSON, indented. */
  JSON,
  /** Columns for lists, {@code field  value} lines for single objects. */
  TABLE;

  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Prints {@code node}; for tables, {@code listField} names the array of a list response (or null). */
  public void print(PrintWriter out, JsonNode node, String listField) {
    if (this == JSON) {
      try {
        out.println(PRETTY.writeValueAsString(node));
      } catch (JsonProcessingException e) {
        out.println(node.toString());
      }
    } else {
      JsonNode items = listField == null ? null : node.get(listField);
      if (items != null && items.isArray()) {
        printTable(out, items);
      } else if (listField != null && items == null) {
        out.println("(none)");
      } else {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", node, flat);
        int w = flat.keySet().stream().mapToInt(String::length).max().orElse(0);
        flat.forEach((k, v) -> out.println(pad(k, w) + "  " + v));
      }
    }
    out.flush();
  }

  /** Parses {@code json|table} (any case). */
  public static OutputFormat parse(String s) {
    return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "json" -> JSON;
      case "table" -> TABLE;
      default -> throw new dev.loralab.cli.CliInputException("--format: expected json or table, found '" + s + "'");
    };
  }

  private static void printTable(PrintWriter out, JsonNode items) {
    List<Map<String, String>> rows = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    for (JsonNode item : items) {
      Map<String, String> flat = new LinkedHashMap<>();
      flatten("", item, flat);
      Map<String, String> row = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : flat.entrySet()) {
        String k = e.getKey();
        if (k.startsWith("ids.") || k.equals("id") || k.equals("name") || k.equals("created_at")
            || k.equals("frequency_plan_id") || k.equals("lorawan_version") || k.startsWith("rights")) {
          String col = k.startsWith("ids.") ? k.substring(4) : k;
          col = col.replaceAll("\\[\\d+]$", "");
          row.merge(col, e.getValue(), (a, b) -> a + "," + b);
          if (!columns.contains(col)) {
            columns.add(col);
          }
        }
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      out.println("(none)");
      return;
    }
    int[] widths = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      widths[i] = columns.get(i).length();
      for (Map<String, String> r : rows) {
        widths[i] = Math.max(widths[i], r.getOrDefault(columns.get(i), "").length());
      }
    }
    StringBuilder h = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      h.append(pad(columns.get(i).toUpperCase(java.util.Locale.ROOT), widths[i])).append("  ");
    }
    out.println(h.toString().stripTrailing());
    for (Map<String, String> r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns.size(); i++) {
        line.append(pad(r.getOrDefault(columns.get(i), ""), widths[i])).append("  ");
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** Flattens objects to dotted keys and arrays to {@code [i]} keys. */
  static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node.isArray()) {
      int i = 0;
      for (JsonNode n : node) {
        flatten(prefix + "[" + i++ + "]", n, out);
      }
    } else {
      out.put(prefix, node.asText());
    }
  }

  private static String pad(String s, int w) {
    return s.length() >= w ? s : s + " ".repeat(w - s.length());
  }
}
