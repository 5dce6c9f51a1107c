package dev.loralab.cli.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One line per event for humans: time, name, identifiers and a short summary of the data. */
final class EventTable {

  private static final List<String> SUMMARY_FIELDS = List.of("f_cnt", "f_port", "dev_addr", "frequency",
      "data_rate_index", "rssi", "snr", "message", "code", "gateway_id", "device_id", "paths");

  private EventTable() {
  }

  static String row(JsonNode e) {
    String time = e.path("time").asText("");
    String name = e.path("name").asText("");
    List<String> ids = new ArrayList<>();
    for (JsonNode id : e.path("identifiers")) {
      ids.add(identifier(id));
    }
    return String.format("%-30s %-32s %-28s %s", time, name, String.join(",", ids), summary(e.path("data")));
  }

  static String identifier(JsonNode id) {
    if (id.has("device_ids")) {
      JsonNode d = id.get("device_ids");
      return d.path("application_ids").path("application_id").asText("") + "/" + d.path("device_id").asText("");
    }
    if (id.has("application_ids")) {
      return "app:" + id.get("application_ids").path("application_id").asText("");
    }
    if (id.has("gateway_ids")) {
      return "gtw:" + id.get("gateway_ids").path("gateway_id").asText("");
    }
    if (id.has("user_ids")) {
      return "user:" + id.get("user_ids").path("user_id").asText("");
    }
    return id.toString();
  }

  static String summary(JsonNode data) {
    if (data.isMissingNode() || data.isNull()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    String type = data.path("@type").asText("");
    if (!type.isEmpty()) {
      sb.append(type.substring(type.lastIndexOf('.') + 1));
    }
    List<String> found = new ArrayList<>();
    collect(data, found, 0);
    for (String f : found) {
      if (sb.length() > 100) {
        sb.append(" ...");
        break;
      }
      sb.append(sb.length() == 0 ? "" : " ").append(f);
    }
    return sb.toString();
  }

  private static void collect(JsonNode n, List<String> out, int depth) {
    if (depth > 4 || out.size() >= 6) {
      return;
    }
    for (var it = n.properties().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (SUMMARY_FIELDS.contains(e.getKey()) && e.getValue().isValueNode()) {
        out.add(e.getKey() + "=" + e.getValue().asText());
      } else if (e.getValue().isObject()) {
        collect(e.getValue(), out, depth + 1);
      }
      if (out.size() >= 6) {
        return;
      }
    }
  }
}
