package dev.loralab.cli.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One configuration setting: key, value kind, how to read it back from a {@link StackConfig}. */
record Setting(String key, Kind kind, Function<StackConfig, Object> getter, String description) {

  /** How a setting's text is parsed and printed. */
  enum Kind {
    HOST, PORT, POSITIVE_INT, NON_NEGATIVE_INT, DURATION, NON_NEGATIVE_DURATION, BOOL, PATH, OPTIONAL_PATH, NET_ID, LOG_LEVEL, PLAN_ID;

    /** Parses {@code text}; throws IllegalArgumentException with "expected ..., found ..." reasons. */
    Object parse(String text) {
      String t = text.trim();
      return switch (this) {
        case HOST -> {
          if (t.isEmpty() || t.chars().anyMatch(c -> c <= ' ' || c == '/')) {
            throw bad("a host name or IP address", t);
          }
          yield t;
        }
        case PORT -> integer(t, 0, 65535, "an integer 0..65535");
        case POSITIVE_INT -> integer(t, 1, Integer.MAX_VALUE, "a positive integer");
        case NON_NEGATIVE_INT -> integer(t, 0, Integer.MAX_VALUE, "an integer >= 0");
        case DURATION -> duration(t, false);
        case NON_NEGATIVE_DURATION -> duration(t, true);
        case BOOL -> switch (t.toLowerCase(Locale.ROOT)) {
          case "true", "yes", "on", "1" -> true;
          case "false", "no", "off", "0" -> false;
          default -> throw bad("true or false", t);
        };
        case PATH -> {
          if (t.isEmpty()) {
            throw bad("a directory path", t);
          }
          yield path(t);
        }
        case OPTIONAL_PATH -> t.isEmpty() ? Optional.empty() : Optional.of(path(t));
        case NET_ID -> {
          String u = t.toUpperCase(Locale.ROOT);
          if (!u.matches("[0-9A-F]{6}")) {
            throw bad("6 hex digits", t);
          }
          yield u;
        }
        case LOG_LEVEL -> {
          String u = t.toUpperCase(Locale.ROOT);
          if (!StackConfig.Log.LEVELS.contains(u)) {
            throw bad("one of TRACE, DEBUG, INFO, WARN, ERROR, OFF", t);
          }
          yield u;
        }
        case PLAN_ID -> {
          if (!t.matches("[A-Za-z0-9_\\-]{1,64}")) {
            throw bad("a frequency plan ID such as EU_863_870", t);
          }
          yield t;
        }
      };
    }

    /** The canonical text of a parsed value (what {@code loralab config} prints). */
    Object print(Object value) {
      return switch (this) {
        case DURATION, NON_NEGATIVE_DURATION -> formatDuration((Duration) value);
        case PATH -> value.toString();
        case OPTIONAL_PATH -> ((Optional<?>) value).map(Object::toString).orElse(null);
        default -> value;
      };
    }
  }

  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  static Duration duration(String t, boolean zeroAllowed) {
    Matcher m = SIMPLE_DURATION.matcher(t);
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } else {
      try {
        d = Duration.parse(t);
      } catch (DateTimeParseException e) {
        throw bad("a duration such as 200ms, 15s, 5m, 24h or PT15S", t);
      }
    }
    if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
      throw bad(zeroAllowed ? "a duration of 0 or more" : "a positive duration", t);
    }
    return d;
  }

  static String formatDuration(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0ms";
    }
    if (ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1000L == 0) {
      return ms / 1000L + "s";
    }
    return ms + "ms";
  }

  /** {@code t} as an int in {@code min..max}, else "expected {@code expected}, found ...". */
  private static int integer(String t, int min, int max, String expected) {
    if (!t.matches("-?\\d{1,10}")) {
      throw bad(expected, t);
    }
    long v = Long.parseLong(t);
    if (v < min || v > max) {
      throw bad(expected, t);
    }
    return (int) v;
  }

  private static Path path(String t) {
    try {
      return Path.of(t);
    } catch (RuntimeException e) {
      throw bad("a file system path", t);
    }
  }

  private static IllegalArgumentException bad(String expected, String found) {
    String f = found.length() > 60 ? found.substring(0, 60) + "..." : found;
    return new IllegalArgumentException("expected " + expected + ", found '" + f + "'");
  }
}
