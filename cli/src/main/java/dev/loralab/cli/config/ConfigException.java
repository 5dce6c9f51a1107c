package dev.loralab.cli.config;

import java.util.Objects;

/**
 * An unknown configuration key or a bad value, naming the key and where it came from (a file, an
 * environment variable or a flag). The CLI prints the message on one line and exits with status 2.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String source;

  /**
   * @param key    the setting, e.g. {@code http.port}
   * @param source where the value came from, e.g. {@code environment variable LORALAB_HTTP_PORT}
   * @param reason what is wrong, e.g. {@code expected an integer 0..65535, found 'x'}
   */
  public ConfigException(String key, String source, String reason) {
    super(printable(Objects.requireNonNull(key, "key")) + " (from "
        + printable(Objects.requireNonNull(source, "source")) + "): "
        + printable(Objects.requireNonNull(reason, "reason")), null, false, false);
    this.key = key;
    this.source = source;
  }

  /** {@code s} on one line: control characters and line separators become {@code \\uXXXX}. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** The setting key. */
  public String key() {
    return key;
  }

  /** Where the value came from. */
  public String source() {
    return source;
  }
}
