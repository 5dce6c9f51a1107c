package dev.loralab.cli;

/** Invalid user input detected by a command; reported as one line on stderr with exit status 2. */
public final class CliInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CliInputException(String message) {
    super(message, null, false, false);
  }
}
