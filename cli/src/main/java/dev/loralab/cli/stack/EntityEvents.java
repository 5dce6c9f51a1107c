package dev.loralab.cli.stack;

import dev.loralab.api.v3.APIKey;
import dev.loralab.api.v3.Right;
import dev.loralab.events.CorrelationContext;
import dev.loralab.events.CorrelationIds;
import dev.loralab.events.EventBus;
import dev.loralab.events.EventCatalogue;
import dev.loralab.events.EventDefinition;
import dev.loralab.events.EventFactory;
import dev.loralab.identityserver.EntityEventSink;
import com.google.protobuf.FieldMask;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity server's entity events ({@code application.create}, {@code end_device.update},
 * {@code user.api-key.create}, ...) as catalogue definitions, and the {@link EntityEventSink} that
 * publishes them on the bus with an RPC correlation ID of the registry method
 * ({@code rpc:/ttn.lorawan.v3.GatewayRegistry/Update:<ULID>}), as The Things Stack does.
 */
final class EntityEvents {

  private static final Logger LOG = LoggerFactory.getLogger(EntityEvents.class);

  private EntityEvents() {
  }

  /** The definitions; API key events use {@code api_key} if the catalogue rejects {@code api-key}. */
  static List<EventDefinition> definitions() {
    List<EventDefinition> defs = new ArrayList<>();
    entity(defs, "user", "user", Right.RIGHT_USER_INFO);
    entity(defs, "application", "application", Right.RIGHT_APPLICATION_INFO);
    entity(defs, "gateway", "gateway", Right.RIGHT_GATEWAY_INFO);
    for (String op : List.of("create", "update", "delete")) {
      EventDefinition d = EventDefinition.define("end_device." + op, op + " end device")
          .withVisibility(Right.RIGHT_APPLICATION_DEVICES_READ).propagatingToParent();
      defs.add(op.equals("update") ? d.withDataType(FieldMask.class) : d);
    }
    apiKeys(defs, "user", Right.RIGHT_USER_SETTINGS_API_KEYS);
    apiKeys(defs, "application", Right.RIGHT_APPLICATION_SETTINGS_API_KEYS);
    apiKeys(defs, "gateway", Right.RIGHT_GATEWAY_SETTINGS_API_KEYS);
    return defs;
  }

  private static void entity(List<EventDefinition> defs, String kind, String noun, Right visibility) {
    for (String op : List.of("create", "update", "delete")) {
      EventDefinition d = EventDefinition.define(kind + "." + op, op + " " + noun).withVisibility(visibility);
      defs.add(op.equals("update") ? d.withDataType(FieldMask.class) : d);
    }
  }

  private static void apiKeys(List<EventDefinition> defs, String kind, Right visibility) {
    for (String op : List.of("create", "update", "delete")) {
      String desc = op + " " + kind + " API key";
      EventDefinition d;
      try {
        d = EventDefinition.define(kind + ".api-key." + op, desc);
      } catch (IllegalArgumentException e) {
        d = EventDefinition.define(kind + ".api_key." + op, desc);
      }
      defs.add(d.withVisibility(visibility).withDataType(APIKey.class));
    }
  }

  /** The sink publishing identity server events on {@code bus}. Unknown names are logged and dropped. */
  static EntityEventSink sink(EventCatalogue catalogue, EventBus bus, EventFactory factory) {
    Objects.requireNonNull(catalogue, "catalogue");
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(factory, "factory");
    return (name, ids, data) -> {
      Optional<EventDefinition> def = catalogue.get(name).or(() -> catalogue.get(name.replace('-', '_')));
      if (def.isEmpty()) {
        LOG.debug("dropping undefined entity event {}", name);
        return;
      }
      CorrelationIds cids = CorrelationContext.current();
      if (!cids.hasPrefix("rpc:/")) {
        cids = cids.with(CorrelationIds.rpcPrefix(rpcMethod(name)) + factory.ulid().next());
      }
      try {
        bus.publish(factory.create(def.get(), cids, data, ids));
      } catch (RuntimeException e) {
        LOG.warn("cannot publish {}", name, e);
      }
    };
  }

  /** {@code gateway.update} is {@code ttn.lorawan.v3.GatewayRegistry/Update}; API keys are {@code XxxAccess}. */
  static String rpcMethod(String eventName) {
    String[] parts = eventName.split("\\.");
    String kind = switch (parts[0]) {
      case "end_device" -> "EndDevice";
      case "application" -> "Application";
      case "gateway" -> "Gateway";
      default -> "User";
    };
    String op = parts[parts.length - 1];
    String opName = op.isEmpty() ? "Call" : op.substring(0, 1).toUpperCase(Locale.ROOT) + op.substring(1);
    if (parts.length == 3) {
      return "ttn.lorawan.v3." + kind + "Access/" + opName + "APIKey";
    }
    return "ttn.lorawan.v3." + kind + "Registry/" + opName;
  }
}
