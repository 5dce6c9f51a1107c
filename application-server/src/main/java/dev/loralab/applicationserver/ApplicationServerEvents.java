package dev.loralab.applicationserver;

import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationUplink;
import dev.loralab.api.v3.Right;
import dev.loralab.events.EventCatalogue;
import dev.loralab.events.EventDefinition;
import java.util.List;

/**
 * The Application Server's event definitions (names as in The Things Stack). All are visible with
 * {@code RIGHT_APPLICATION_TRAFFIC_READ}; device events marked "propagates" also reach the
 * application's stream.
 */
public final class ApplicationServerEvents {

  private ApplicationServerEvents() {}

  private static EventDefinition def(String name, String description) {
    return EventDefinition.define(name, description)
        .withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ);
  }

  /**
   * Join-accept received from the Network Server; no data. Propagates: the seed's join flow shows
   * it on a subscription to the application.
   */
  public static final EventDefinition UP_JOIN_RECEIVE = def("as.up.join.receive",
      "receive join-accept message").propagatingToParent();
  /** Join-accept forwarded to the application: {@code ApplicationUp} without the AppSKey. Propagates. */
  public static final EventDefinition UP_JOIN_FORWARD = def("as.up.join.forward",
      "forward join-accept message").withDataType(ApplicationUp.class).propagatingToParent();
  /** Join-accept dropped (e.g. the AppSKey could not be obtained); error data. Propagates. */
  public static final EventDefinition UP_JOIN_DROP = def("as.up.join.drop",
      "drop join-accept message").withErrorDataType().propagatingToParent();

  /** Uplink data message received; no data. Propagates, as {@link #UP_JOIN_RECEIVE}. */
  public static final EventDefinition UP_DATA_RECEIVE = def("as.up.data.receive",
      "receive uplink data message").propagatingToParent();
  /** Uplink forwarded: {@code ApplicationUp} with decrypted and decoded payload. Propagates. */
  public static final EventDefinition UP_DATA_FORWARD = def("as.up.data.forward",
      "forward uplink data message").withDataType(ApplicationUp.class).propagatingToParent();
  /** Uplink dropped (no session, unknown session key, ...); error data. Propagates. */
  public static final EventDefinition UP_DATA_DROP = def("as.up.data.drop",
      "drop uplink data message").withErrorDataType().propagatingToParent();
  /** The uplink payload formatter failed; error data. Propagates. */
  public static final EventDefinition UP_DATA_DECODE_FAIL = def("as.up.data.decode.fail",
      "decode uplink data message failure").withErrorDataType().propagatingToParent();
  /** The uplink payload formatter returned warnings; {@code ApplicationUplink}. Propagates. */
  public static final EventDefinition UP_DATA_DECODE_WARNING = def("as.up.data.decode.warning",
      "decode uplink data message warning").withDataType(ApplicationUplink.class)
      .propagatingToParent();

  /** Downlink accepted from the API: {@code ApplicationDownlink} (plaintext). Propagates. */
  public static final EventDefinition DOWN_DATA_RECEIVE = def("as.down.data.receive",
      "receive downlink data message").withDataType(ApplicationDownlink.class)
      .propagatingToParent();
  /** Downlink handed to the Network Server: {@code ApplicationDownlink} (encrypted). */
  public static final EventDefinition DOWN_DATA_FORWARD = def("as.down.data.forward",
      "forward downlink data message").withDataType(ApplicationDownlink.class);
  /** Downlink dropped (invalid, no session, Network Server error); error data. Propagates. */
  public static final EventDefinition DOWN_DATA_DROP = def("as.down.data.drop",
      "drop downlink data message").withErrorDataType().propagatingToParent();
  /** The downlink payload formatter failed to encode; error data. Propagates. */
  public static final EventDefinition DOWN_DATA_ENCODE_FAIL = def("as.down.data.encode.fail",
      "encode downlink data message failure").withErrorDataType().propagatingToParent();
  /** The downlink payload formatter returned warnings; {@code ApplicationDownlink}. Propagates. */
  public static final EventDefinition DOWN_DATA_ENCODE_WARNING = def("as.down.data.encode.warning",
      "encode downlink data message warning").withDataType(ApplicationDownlink.class)
      .propagatingToParent();
  /** The downlink payload formatter failed to decode a downlink for the application; error data. */
  public static final EventDefinition DOWN_DATA_DECODE_FAIL = def("as.down.data.decode.fail",
      "decode downlink data message failure").withErrorDataType().propagatingToParent();

  /** The Network Server sent a downlink: {@code ApplicationUp{downlink_sent}}. Propagates. */
  public static final EventDefinition DOWN_SENT_FORWARD = def("as.down.data.sent.forward",
      "forward downlink data message sent").withDataType(ApplicationUp.class).propagatingToParent();
  /** A confirmed downlink was acknowledged: {@code ApplicationUp{downlink_ack}}. Propagates. */
  public static final EventDefinition DOWN_ACK_FORWARD = def("as.down.data.ack.forward",
      "forward downlink data message acknowledgment").withDataType(ApplicationUp.class)
      .propagatingToParent();
  /** A confirmed downlink was not acknowledged: {@code ApplicationUp{downlink_nack}}. Propagates. */
  public static final EventDefinition DOWN_NACK_FORWARD = def("as.down.data.nack.forward",
      "forward downlink data message negative acknowledgment").withDataType(ApplicationUp.class)
      .propagatingToParent();
  /** A downlink failed: {@code ApplicationUp{downlink_failed}}. Propagates. */
  public static final EventDefinition DOWN_FAILED_FORWARD = def("as.down.data.failed.forward",
      "forward downlink data message failure").withDataType(ApplicationUp.class)
      .propagatingToParent();
  /** The Network Server invalidated queued downlinks: {@code ApplicationUp}. Propagates. */
  public static final EventDefinition DOWN_QUEUE_INVALIDATED_FORWARD = def(
      "as.down.data.queue.invalidated.forward", "forward downlink queue invalidation")
      .withDataType(ApplicationUp.class).propagatingToParent();

  /** A webhook message could not be delivered after all attempts; error data, application. */
  public static final EventDefinition WEBHOOK_FAIL = def("as.webhook.fail", "fail to send webhook")
      .withErrorDataType();

  /** Every definition of this class. */
  public static List<EventDefinition> all() {
    return List.of(UP_JOIN_RECEIVE, UP_JOIN_FORWARD, UP_JOIN_DROP, UP_DATA_RECEIVE,
        UP_DATA_FORWARD, UP_DATA_DROP, UP_DATA_DECODE_FAIL, UP_DATA_DECODE_WARNING,
        DOWN_DATA_RECEIVE, DOWN_DATA_FORWARD, DOWN_DATA_DROP, DOWN_DATA_ENCODE_FAIL,
        DOWN_DATA_ENCODE_WARNING, DOWN_DATA_DECODE_FAIL, DOWN_SENT_FORWARD, DOWN_ACK_FORWARD,
        DOWN_NACK_FORWARD, DOWN_FAILED_FORWARD, DOWN_QUEUE_INVALIDATED_FORWARD, WEBHOOK_FAIL);
  }

  /** Registers every definition in {@code catalogue}. */
  public static void registerAll(EventCatalogue catalogue) {
    catalogue.register(all());
  }
}
