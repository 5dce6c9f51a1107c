package dev.loralab.identityserver.store;

import java.util.regex.Pattern;

/**
 * A named keyspace of a {@link KeyValueStore} (a RocksDB column family). Each concern (end devices,
 * API keys, DevNonces, ...) gets its own namespace so that scans never cross concerns.
 *
 * @param name lower-case letters, digits, {@code _} and {@code -}; 1 to 64 characters
 */
public record Namespace(String name) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");

  /** Validates the name. */
  public Namespace {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "namespace name: expected [a-z0-9_-]{1,64}, found " + (name == null ? "null" : "'" + name + "'"));
    }
    if (name.equals("default")) {
      throw new IllegalArgumentException("namespace name: 'default' is reserved");
    }
  }

  /** Shorthand for {@code new Namespace(name)}. */
  public static Namespace of(String name) {
    return new Namespace(name);
  }
}
