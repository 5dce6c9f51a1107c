package dev.loralab.simulator.gateway;

/**
 * A Semtech UDP datagram that does not follow the protocol, naming the field, what was expected
 * and what was found.
 */
public final class SemtechUdpException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String field;
  private final String expected;
  private final String found;

  /**
   * @param field the offending field, e.g. {@code txpk.datr}
   * @param expected what the protocol allows
   * @param found what the datagram held
   */
  public SemtechUdpException(String field, String expected, String found) {
    super(field + ": expected " + expected + ", found " + found);
    this.field = field;
    this.expected = expected;
    this.found = found;
  }

  /** The offending field. */
  public String field() {
    return field;
  }

  /** What the protocol allows. */
  public String expected() {
    return expected;
  }

  /** What the datagram held. */
  public String found() {
    return found;
  }
}
