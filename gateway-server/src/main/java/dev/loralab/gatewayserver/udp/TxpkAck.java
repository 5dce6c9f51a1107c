package dev.loralab.gatewayserver.udp;

/**
 * The {@code txpk_ack} object of a TX_ACK (PROTOCOL.TXT §6; sx1302 PROTOCOL.md §6). Fields are
 * {@code null} when absent.
 *
 * @param error error code, e.g. {@code "TOO_LATE"}; {@code ""} and {@code "NONE"} mean success
 * @param warn warning code (sx1302 v1.5+: {@code "TX_POWER"})
 * @param value with a TX_POWER warning: the power actually used, dBm
 */
public record TxpkAck(String error, String warn, Integer value) {

  /** Validates lengths. */
  public TxpkAck {
    if (error != null && error.length() > 64) {
      throw Check.invalid("txpk_ack.error", "at most 64 characters", error.length());
    }
    if (warn != null && warn.length() > 64) {
      throw Check.invalid("txpk_ack.warn", "at most 64 characters", warn.length());
    }
    Check.range("txpk_ack.value", value, -100, 100);
  }

  /** The acknowledgment a gateway sends for an error code. */
  public static TxpkAck error(String code) {
    return new TxpkAck(code, null, null);
  }
}
