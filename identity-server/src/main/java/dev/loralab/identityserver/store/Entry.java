package dev.loralab.identityserver.store;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * A key and its value, as returned by scans.
 *
 * @param key the key
 * @param value the value (immutable, compared by content)
 */
public record Entry(String key, ByteString value) {
  /** Validates that neither component is null. */
  public Entry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
