package dev.loralab.joinserver;

/**
 * A malformed value handed to the Join Server's value types or store: names the field, what was
 * expected and what was found, e.g. {@code "used_dev_nonces: expected at most 1024 values, found
 * 2000"}. The Join Server turns it into an {@code ApiException} at its API boundary.
 */
public final class JoinServerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * @param field the offending field
   * @param expected what a valid value looks like
   * @param found what was there
   */
  public JoinServerException(String field, String expected, String found) {
    super(field + ": expected " + expected + ", found " + found);
    this.field = field;
  }

  /** The offending field. */
  public String field() {
    return field;
  }
}
