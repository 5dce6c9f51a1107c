package dev.loralab.gatewayserver.udp;

import java.util.Locale;

/**
 * Why an incoming datagram was dropped. Used as the {@code reason} tag of the drop counter, so
 * every value is a stable, low-cardinality name.
 */
public enum DropReason {
  /** Shorter than the fixed header of its packet type. */
  TRUNCATED,
  /** Longer than the configured maximum datagram size. */
  OVERSIZED,
  /** Protocol version byte other than 1 or 2 (or TX_ACK with version 1). */
  UNSUPPORTED_VERSION,
  /** Packet type byte outside 0..5. */
  UNKNOWN_TYPE,
  /** A downstream type (PUSH_ACK, PULL_RESP, PULL_ACK) sent to the server. */
  UNEXPECTED_TYPE,
  /** The JSON body is not a well-formed JSON object. */
  INVALID_JSON,
  /** A base64 field does not decode. */
  INVALID_BASE64,
  /** A JSON field is missing, of the wrong type, or outside its plausible range. */
  INVALID_FIELD,
  /** The gateway EUI is not registered (and unknown gateways are not auto-accepted). */
  UNKNOWN_GATEWAY,
  /** The source address exceeded its datagram budget. */
  RATE_LIMITED,
  /** A TX_ACK whose token matches no pending downlink. */
  UNMATCHED_TX_ACK,
  /** An uplink frame that was not forwarded (CRC failed, undecodable PHYPayload). */
  INVALID_UPLINK,
  /** The server failed while handling the datagram (a bug; logged at WARN). */
  HANDLER_ERROR;

  /** The metric tag value, e.g. {@code invalid_json}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
