package dev.loralab.events;

import com.google.protobuf.Internal;
import com.google.protobuf.Message;
import dev.loralab.api.ApiException;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.ErrorDetails;
import dev.loralab.api.v3.Right;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The definition of a named event: what it means, the type of its data, who may see it and
 * whether a device event also appears in its application's stream.
 *
 * <p>Components keep their definitions as {@code static final} fields of an {@code XxxEvents} class
 * and register them in the one {@link EventCatalogue} at start-up:
 *
 * <pre>{@code
 * static final EventDefinition UP_RECEIVE = EventDefinition.define("gs.up.receive", "receive uplink message")
 *     .withDataType(GatewayUplinkMessage.class)
 *     .withVisibility(Right.RIGHT_GATEWAY_TRAFFIC_READ);
 * ...
 * bus.publish(UP_RECEIVE.with(ids, uplink, gatewayIds));
 * }</pre>
 *
 * @param name              dotted lower-case name, e.g. {@code ns.up.data.process}; a segment may
 *                          contain single inner dashes, as in {@code user.api-key.create}
 * @param description       short English description
 * @param dataType          full protobuf name of the data message (e.g. {@code ttn.lorawan.v3.UplinkMessage}), or null
 * @param visibility        the event is visible to callers holding any of these rights (default {@code RIGHT_ALL})
 * @param propagateToParent a device event also goes to its application's subscribers
 */
public record EventDefinition(String name, String description, String dataType, RightSet visibility,
    boolean propagateToParent) {

  /** Dot-separated segments of a-z, 0-9 and _, with single inner dashes (e.g. {@code api-key}). */
  private static final Pattern NAME = Pattern.compile(
      "[a-z0-9_]+(?:-[a-z0-9_]+)*(?:\\.[a-z0-9_]+(?:-[a-z0-9_]+)*)*");
  /** Maximum length of an event name. */
  public static final int MAX_NAME_LENGTH = 100;

  public EventDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(visibility, "visibility");
    if (name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("event name: expected dotted lower-case words (inner dashes allowed) of at most "
          + MAX_NAME_LENGTH + " characters, found '" + name + "'");
    }
  }

  /** A definition with no data type, visibility {@code RIGHT_ALL} and no propagation. */
  public static EventDefinition define(String name, String description) {
    return new EventDefinition(name, description, null, RightSet.of(Right.RIGHT_ALL), false);
  }

  /** A fully specified definition. */
  public static EventDefinition define(String name, String description, Class<? extends Message> dataType,
      RightSet visibility, boolean propagateToParent) {
    return new EventDefinition(name, description, dataType == null ? null : typeName(dataType), visibility,
        propagateToParent);
  }

  /** This definition with the given data type. */
  public EventDefinition withDataType(Class<? extends Message> type) {
    return new EventDefinition(name, description, typeName(type), visibility, propagateToParent);
  }

  /** This definition with error data ({@code ttn.lorawan.v3.ErrorDetails}), for {@code *.fail}/{@code *.drop}. */
  public EventDefinition withErrorDataType() {
    return withDataType(ErrorDetails.class);
  }

  /** This definition with the given visibility rights. */
  public EventDefinition withVisibility(Right... rights) {
    return new EventDefinition(name, description, dataType, RightSet.of(rights), propagateToParent);
  }

  /** This definition propagating device events to the application stream. */
  public EventDefinition propagatingToParent() {
    return new EventDefinition(name, description, dataType, visibility, true);
  }

  /**
   * A new event of this definition, stamped by {@link EventFactory#system()}.
   *
   * @param correlationIds the call chain's correlation IDs (merged with those of {@code data})
   * @param data           payload, or null
   * @param identifiers    the entities concerned
   */
  public Event with(CorrelationIds correlationIds, Message data, EntityIdentifiers... identifiers) {
    return EventFactory.system().create(this, correlationIds, data, identifiers);
  }

  /** A new event carrying {@code error} as {@code ErrorDetails} data (for {@code *.fail}/{@code *.drop}). */
  public Event withError(CorrelationIds correlationIds, Throwable error, EntityIdentifiers... identifiers) {
    return with(correlationIds, errorDetails(error), identifiers);
  }

  /** An event builder for this definition (explicit time, unique ID, origin, caller info). */
  public Event.Builder builder() {
    return Event.builder(this);
  }

  /** The error details of any throwable (via {@link ApiException#from}). */
  public static ErrorDetails errorDetails(Throwable error) {
    return ApiException.from(Objects.requireNonNull(error, "error")).toErrorDetails();
  }

  private static String typeName(Class<? extends Message> type) {
    return Internal.getDefaultInstance(type).getDescriptorForType().getFullName();
  }
}
