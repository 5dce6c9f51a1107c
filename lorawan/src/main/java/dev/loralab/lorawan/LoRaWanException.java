package dev.loralab.lorawan;

/**
 * The single domain exception of the protocol core: every decoder and every value-type
 * constructor of this module throws only this type on malformed input.
 *
 * <p>When built from a field, an expectation and a finding the message reads
 * {@code "<field>: expected <expected>, found <found>"}, for example
 * {@code "FHDR.FOptsLen: expected at most 3 bytes available, found 15"}.
 */
public final class LoRaWanException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String field;
  private final String expected;
  private final String found;

  /**
   * A malformed-field error.
   *
   * @param field the protocol field, e.g. {@code "FHDR.FOptsLen"}
   * @param expected what a valid value looks like
   * @param found what was actually there
   */
  public LoRaWanException(String field, String expected, String found) {
    super(field + ": expected " + expected + ", found " + found);
    this.field = field;
    this.expected = expected;
    this.found = found;
  }

  /** An error that is not about one field; {@link #field()} etc. return {@code null}. */
  public LoRaWanException(String message) {
    super(message);
    this.field = null;
    this.expected = null;
    this.found = null;
  }

  /** An error wrapping a lower-level cause (e.g. a cipher failure). */
  public LoRaWanException(String message, Throwable cause) {
    super(message, cause);
    this.field = null;
    this.expected = null;
    this.found = null;
  }

  /** The field that was malformed, or {@code null}. */
  public String field() {
    return field;
  }

  /** What was expected, or {@code null}. */
  public String expected() {
    return expected;
  }

  /** What was found, or {@code null}. */
  public String found() {
    return found;
  }
}
