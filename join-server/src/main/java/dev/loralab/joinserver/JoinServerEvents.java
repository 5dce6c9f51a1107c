package dev.loralab.joinserver;

import dev.loralab.api.v3.Right;
import dev.loralab.events.EventCatalogue;
import dev.loralab.events.EventDefinition;
import java.util.List;

/**
 * The Join Server's events. Both carry the correlation ID
 * {@code rpc:/ttn.lorawan.v3.NsJs/HandleJoin:<ULID>} only, are visible with
 * {@code RIGHT_APPLICATION_TRAFFIC_READ} and propagate to the device's application. No key
 * material is ever in an event.
 */
public final class JoinServerEvents {

  /**
   * {@code js.join.accept}: the join-request was accepted. No data; the identifiers are the
   * device's with its new {@code dev_addr}.
   */
  public static final EventDefinition JOIN_ACCEPT = EventDefinition
      .define("js.join.accept", "accept join-request")
      .withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ)
      .propagatingToParent();

  /**
   * {@code js.join.reject}: the join-request was refused. Data: {@code ErrorDetails} with
   * namespace {@code loralab/joinserver}, name the {@link JoinRejectReason#tag()} (e.g.
   * {@code mic_mismatch}) and attributes {@code reason}, {@code field}, {@code expected},
   * {@code found}. Identifiers: the device's if it is known, none otherwise.
   */
  public static final EventDefinition JOIN_REJECT = EventDefinition
      .define("js.join.reject", "reject join-request")
      .withErrorDataType()
      .withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ)
      .propagatingToParent();

  private JoinServerEvents() {}

  /** All definitions of this class. */
  public static List<EventDefinition> all() {
    return List.of(JOIN_ACCEPT, JOIN_REJECT);
  }

  /** Registers {@link #all()} in the catalogue. */
  public static void registerAll(EventCatalogue catalogue) {
    catalogue.register(all());
  }
}
