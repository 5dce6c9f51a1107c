package dev.loralab.simulator;

/**
 * A scenario file that cannot be used, naming the file, the field (a path such as
 * {@code devices[1].uplink.interval}), what was expected and what was found.
 */
public final class ScenarioException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final String field;
  private final String expected;
  private final String found;

  /**
   * @param file the scenario file (or {@code <string>})
   * @param field the offending field path
   * @param expected what is allowed
   * @param found what the file holds
   */
  public ScenarioException(String file, String field, String expected, String found) {
    super(file + ": " + field + ": expected " + expected + ", found " + found);
    this.file = file;
    this.field = field;
    this.expected = expected;
    this.found = found;
  }

  /** The scenario file. */
  public String file() {
    return file;
  }

  /** The offending field path. */
  public String field() {
    return field;
  }

  /** What is allowed. */
  public String expected() {
    return expected;
  }

  /** What the file holds. */
  public String found() {
    return found;
  }
}
