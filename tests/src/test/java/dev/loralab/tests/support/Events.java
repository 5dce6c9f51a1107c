package dev.loralab.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Predicates and accessors over event JSON (The Things Stack's shape). */
public final class Events {

  private Events() {}

  /** Events about the end device {@code deviceId} (first identifier). */
  public static Predicate<JsonNode> device(String deviceId) {
    return e -> {
      for (JsonNode id : e.path("identifiers")) {
        if (deviceId.equals(id.path("device_ids").path("device_id").asText(null))) {
          return true;
        }
      }
      return false;
    };
  }

  /** Events about the gateway {@code gatewayId}. */
  public static Predicate<JsonNode> gateway(String gatewayId) {
    return e -> {
      for (JsonNode id : e.path("identifiers")) {
        if (gatewayId.equals(id.path("gateway_ids").path("gateway_id").asText(null))) {
          return true;
        }
      }
      return false;
    };
  }

  /** Events carrying the correlation ID {@code cid}. */
  public static Predicate<JsonNode> correlatedWith(String cid) {
    return e -> correlationIds(e).contains(cid);
  }

  /** Events named {@code name}. */
  public static Predicate<JsonNode> named(String name) {
    return EventStream.named(name);
  }

  /** The event's correlation IDs. */
  public static List<String> correlationIds(JsonNode e) {
    List<String> l = new ArrayList<>();
    e.path("correlation_ids").forEach(c -> l.add(c.asText()));
    return l;
  }

  /** The first correlation ID starting with {@code prefix + ":"}. */
  public static Optional<String> correlationId(JsonNode e, String prefix) {
    return correlationIds(e).stream().filter(c -> c.startsWith(prefix + ":")).findFirst();
  }

  /** The device or gateway ID of the first identifier, for messages. */
  public static Optional<String> deviceOrGatewayId(JsonNode e) {
    JsonNode id = e.path("identifiers").path(0);
    if (id.has("device_ids")) {
      return Optional.of(id.path("device_ids").path("device_id").asText());
    }
    if (id.has("gateway_ids")) {
      return Optional.of(id.path("gateway_ids").path("gateway_id").asText());
    }
    return Optional.empty();
  }

  /**
   * The prefix of a correlation ID: everything before the last {@code ':'}, e.g.
   * {@code gs:up:host} or {@code rpc:/ttn.lorawan.v3.GsNs/HandleUplink}.
   */
  public static String prefix(String cid) {
    int i = cid.lastIndexOf(':');
    return i < 0 ? cid : cid.substring(0, i);
  }
}
