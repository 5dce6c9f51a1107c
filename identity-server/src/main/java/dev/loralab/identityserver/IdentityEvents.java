package dev.loralab.identityserver;

import com.google.protobuf.FieldMask;
import dev.loralab.api.v3.APIKey;
import dev.loralab.api.v3.Right;
import dev.loralab.events.CorrelationContext;
import dev.loralab.events.EventBus;
import dev.loralab.events.EventCatalogue;
import dev.loralab.events.EventDefinition;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity server's events: {@code <entity>.create|update|delete} for users, applications,
 * gateways and end devices, and {@code <entity>.api-key.create|update|delete} for API keys (as
 * The Things Stack names them, e.g. {@code user.api-key.create}).
 * Update events carry the updated field paths; API key events the key without its secret.
 */
public final class IdentityEvents {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityEvents.class);

  /** Every definition. */
  public static final List<EventDefinition> ALL = List.of(
      EventDefinition.define("user.create", "create user").withVisibility(Right.RIGHT_USER_INFO),
      EventDefinition.define("user.delete", "delete user").withVisibility(Right.RIGHT_USER_INFO),
      EventDefinition.define("application.create", "create application")
          .withVisibility(Right.RIGHT_APPLICATION_INFO),
      EventDefinition.define("application.update", "update application")
          .withDataType(FieldMask.class).withVisibility(Right.RIGHT_APPLICATION_INFO),
      EventDefinition.define("application.delete", "delete application")
          .withVisibility(Right.RIGHT_APPLICATION_INFO),
      EventDefinition.define("gateway.create", "create gateway")
          .withVisibility(Right.RIGHT_GATEWAY_INFO),
      EventDefinition.define("gateway.update", "update gateway")
          .withDataType(FieldMask.class).withVisibility(Right.RIGHT_GATEWAY_INFO),
      EventDefinition.define("gateway.delete", "delete gateway")
          .withVisibility(Right.RIGHT_GATEWAY_INFO),
      EventDefinition.define("end_device.create", "create end device")
          .withVisibility(Right.RIGHT_APPLICATION_DEVICES_READ).propagatingToParent(),
      EventDefinition.define("end_device.update", "update end device")
          .withDataType(FieldMask.class).withVisibility(Right.RIGHT_APPLICATION_DEVICES_READ)
          .propagatingToParent(),
      EventDefinition.define("end_device.delete", "delete end device")
          .withVisibility(Right.RIGHT_APPLICATION_DEVICES_READ).propagatingToParent(),
      apiKey("user", Right.RIGHT_USER_SETTINGS_API_KEYS, "create"),
      apiKey("user", Right.RIGHT_USER_SETTINGS_API_KEYS, "update"),
      apiKey("user", Right.RIGHT_USER_SETTINGS_API_KEYS, "delete"),
      apiKey("application", Right.RIGHT_APPLICATION_SETTINGS_API_KEYS, "create"),
      apiKey("application", Right.RIGHT_APPLICATION_SETTINGS_API_KEYS, "update"),
      apiKey("application", Right.RIGHT_APPLICATION_SETTINGS_API_KEYS, "delete"),
      apiKey("gateway", Right.RIGHT_GATEWAY_SETTINGS_API_KEYS, "create"),
      apiKey("gateway", Right.RIGHT_GATEWAY_SETTINGS_API_KEYS, "update"),
      apiKey("gateway", Right.RIGHT_GATEWAY_SETTINGS_API_KEYS, "delete"));

  private static final Map<String, EventDefinition> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(EventDefinition::name, Function.identity()));

  private IdentityEvents() {}

  private static EventDefinition apiKey(String entity, Right visibility, String op) {
    return EventDefinition.define(entity + ".api-key." + op, op + " " + entity + " API key")
        .withDataType(APIKey.class).withVisibility(visibility);
  }

  /** Registers every definition in {@code catalogue}. */
  public static void register(EventCatalogue catalogue) {
    catalogue.register(ALL);
  }

  /**
   * A sink publishing to {@code bus} with the current call's correlation IDs. Unknown names are
   * dropped (logged at DEBUG).
   */
  public static EntityEventSink sink(EventBus bus) {
    Objects.requireNonNull(bus, "bus");
    return (name, ids, data) -> {
      EventDefinition def = BY_NAME.get(name);
      if (def == null) {
        LOG.debug("no event definition {}", name);
        return;
      }
      bus.publish(def.with(CorrelationContext.current(), data, ids));
    };
  }
}
