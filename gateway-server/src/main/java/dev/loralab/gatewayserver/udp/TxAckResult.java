package dev.loralab.gatewayserver.udp;

import java.util.Locale;
import java.util.Optional;

/** The outcome a TX_ACK reports (PROTOCOL.TXT §6). */
public enum TxAckResult {
  /** No JSON, {@code ""} or {@code "NONE"}. */
  SUCCESS(true),
  /** Transmitted, but at a different power ({@code warn: TX_POWER}, sx1302 v1.5+). */
  TX_POWER_WARNING(true),
  /** Too late to program the packet. */
  TOO_LATE(false),
  /** Timestamp too far ahead. */
  TOO_EARLY(false),
  /** Collides with a queued packet (or the queue is full). */
  COLLISION_PACKET(false),
  /** Collides with a beacon. */
  COLLISION_BEACON(false),
  /** Frequency outside the RF chain's TX range. */
  TX_FREQ(false),
  /** Power not supported ({@code error: TX_POWER}, packet forwarder up to v4). */
  TX_POWER(false),
  /** {@code tmms} requested without GPS lock. */
  GPS_UNLOCKED(false),
  /** Any other error code. */
  UNKNOWN(false);

  private final boolean success;

  TxAckResult(boolean success) {
    this.success = success;
  }

  /** True if the gateway transmitted (possibly with a warning). */
  public boolean success() {
    return success;
  }

  /** The metric tag value. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Classifies the optional {@code txpk_ack} of a TX_ACK. */
  public static TxAckResult of(Optional<TxpkAck> ack) {
    if (ack.isEmpty()) {
      return SUCCESS;
    }
    TxpkAck a = ack.get();
    String error = a.error();
    if (error == null || error.isEmpty() || error.equals("NONE")) {
      return "TX_POWER".equals(a.warn()) ? TX_POWER_WARNING : SUCCESS;
    }
    for (TxAckResult r : values()) {
      if (!r.success && r != UNKNOWN && r.name().equals(error)) {
        return r;
      }
    }
    return UNKNOWN;
  }
}
