package dev.loralab.gatewayserver.udp;

import java.util.Objects;

/**
 * A malformed Semtech UDP datagram: the only exception the {@link SemtechUdpCodec} throws. The
 * message reads {@code "<field>: expected <expected>, found <found>"}.
 */
public final class SemtechUdpException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final DropReason reason;
  private final String field;
  private final String expected;
  private final String found;

  /**
   * @param reason the drop category
   * @param field the datagram part or JSON path, e.g. {@code "rxpk[0].freq"}
   * @param expected what a valid value looks like
   * @param found what was there
   */
  public SemtechUdpException(DropReason reason, String field, String expected, String found) {
    super(field + ": expected " + expected + ", found " + found, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.field = field;
    this.expected = expected;
    this.found = found;
  }

  /** The drop category. */
  public DropReason reason() {
    return reason;
  }

  /** The datagram part or JSON path that was malformed. */
  public String field() {
    return field;
  }

  /** What a valid value looks like. */
  public String expected() {
    return expected;
  }

  /** What was found instead. */
  public String found() {
    return found;
  }
}
