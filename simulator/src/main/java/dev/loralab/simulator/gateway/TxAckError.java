package dev.loralab.simulator.gateway;

/** The {@code txpk_ack.error} values of TX_ACK (Semtech PROTOCOL.TXT §5.5 and §6). */
public enum TxAckError {
  /** Accepted; the reference forwarder then sends TX_ACK without JSON. */
  NONE,
  TOO_LATE,
  TOO_EARLY,
  COLLISION_PACKET,
  COLLISION_BEACON,
  TX_FREQ,
  TX_POWER,
  GPS_UNLOCKED,
  UNKNOWN
}
