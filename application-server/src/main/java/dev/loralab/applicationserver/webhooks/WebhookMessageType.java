package dev.loralab.applicationserver.webhooks;

import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationWebhook;
import java.util.Optional;

/** The kinds of {@link ApplicationUp} a webhook can subscribe to, and the matching field. */
enum WebhookMessageType {
  UPLINK_MESSAGE("uplink_message"),
  JOIN_ACCEPT("join_accept"),
  DOWNLINK_ACK("downlink_ack"),
  DOWNLINK_NACK("downlink_nack"),
  DOWNLINK_SENT("downlink_sent"),
  DOWNLINK_FAILED("downlink_failed"),
  DOWNLINK_QUEUED("downlink_queued"),
  DOWNLINK_QUEUE_INVALIDATED("downlink_queue_invalidated"),
  LOCATION_SOLVED("location_solved"),
  SERVICE_DATA("service_data");

  private final String fieldName;

  WebhookMessageType(String fieldName) {
    this.fieldName = fieldName;
  }

  String fieldName() {
    return fieldName;
  }

  /** The type of an up message, if webhooks can deliver it. */
  static Optional<WebhookMessageType> of(ApplicationUp up) {
    return switch (up.getUpCase()) {
      case UPLINK_MESSAGE -> Optional.of(UPLINK_MESSAGE);
      case JOIN_ACCEPT -> Optional.of(JOIN_ACCEPT);
      case DOWNLINK_ACK -> Optional.of(DOWNLINK_ACK);
      case DOWNLINK_NACK -> Optional.of(DOWNLINK_NACK);
      case DOWNLINK_SENT -> Optional.of(DOWNLINK_SENT);
      case DOWNLINK_FAILED -> Optional.of(DOWNLINK_FAILED);
      case DOWNLINK_QUEUED -> Optional.of(DOWNLINK_QUEUED);
      case DOWNLINK_QUEUE_INVALIDATED -> Optional.of(DOWNLINK_QUEUE_INVALIDATED);
      case LOCATION_SOLVED -> Optional.of(LOCATION_SOLVED);
      case SERVICE_DATA -> Optional.of(SERVICE_DATA);
      case UP_NOT_SET -> Optional.empty();
    };
  }

  /** The webhook's setting for this type; empty when the webhook does not subscribe to it. */
  Optional<ApplicationWebhook.Message> message(ApplicationWebhook w) {
    return switch (this) {
      case UPLINK_MESSAGE -> w.hasUplinkMessage() ? Optional.of(w.getUplinkMessage()) : Optional.empty();
      case JOIN_ACCEPT -> w.hasJoinAccept() ? Optional.of(w.getJoinAccept()) : Optional.empty();
      case DOWNLINK_ACK -> w.hasDownlinkAck() ? Optional.of(w.getDownlinkAck()) : Optional.empty();
      case DOWNLINK_NACK -> w.hasDownlinkNack() ? Optional.of(w.getDownlinkNack()) : Optional.empty();
      case DOWNLINK_SENT -> w.hasDownlinkSent() ? Optional.of(w.getDownlinkSent()) : Optional.empty();
      case DOWNLINK_FAILED ->
          w.hasDownlinkFailed() ? Optional.of(w.getDownlinkFailed()) : Optional.empty();
      case DOWNLINK_QUEUED ->
          w.hasDownlinkQueued() ? Optional.of(w.getDownlinkQueued()) : Optional.empty();
      case DOWNLINK_QUEUE_INVALIDATED -> w.hasDownlinkQueueInvalidated()
          ? Optional.of(w.getDownlinkQueueInvalidated()) : Optional.empty();
      case LOCATION_SOLVED ->
          w.hasLocationSolved() ? Optional.of(w.getLocationSolved()) : Optional.empty();
      case SERVICE_DATA -> w.hasServiceData() ? Optional.of(w.getServiceData()) : Optional.empty();
    };
  }
}
