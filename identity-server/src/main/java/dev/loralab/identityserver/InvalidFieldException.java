package dev.loralab.identityserver;

/** A field of a request or entity is invalid. The message names the field, expectation and value. */
public final class InvalidFieldException extends RegistryException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * @param field the field path, e.g. {@code end_device.ids.dev_eui}
   * @param expected what a valid value looks like
   * @param found what was found (never a secret)
   */
  public InvalidFieldException(String field, String expected, String found) {
    super("invalid " + field + ": expected " + expected + ", found " + found);
    this.field = field;
  }

  /** The field path. */
  public String field() {
    return field;
  }
}
