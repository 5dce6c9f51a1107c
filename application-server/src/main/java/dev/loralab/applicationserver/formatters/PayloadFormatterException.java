package dev.loralab.applicationserver.formatters;

import java.util.Objects;

/**
 * A payload formatter could not decode or encode a payload: malformed bytes, a value out of range,
 * or a JavaScript formatter that failed, returned errors, or exceeded its limits. The message names
 * the field, what was expected and what was found.
 */
public final class PayloadFormatterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String expected;
  private final String found;

  /**
   * @param field the offending field, e.g. {@code "channel 3 temperature"} or {@code "decodeUplink"}
   * @param expected what was expected
   * @param found what was found
   */
  public PayloadFormatterException(String field, String expected, String found) {
    super(Objects.requireNonNull(field, "field") + ": expected " + expected + ", found " + found);
    this.field = field;
    this.expected = expected;
    this.found = found;
  }

  /** A failure described by a message only (e.g. a script error), with its field. */
  public PayloadFormatterException(String field, String message, Throwable cause) {
    super(Objects.requireNonNull(field, "field") + ": " + message, cause);
    this.field = field;
    this.expected = null;
    this.found = null;
  }

  /** The offending field or formatter function. */
  public String field() {
    return field;
  }

  /** What was expected, or null when the failure is described by the message only. */
  public String expected() {
    return expected;
  }

  /** What was found, or null when the failure is described by the message only. */
  public String found() {
    return found;
  }
}
