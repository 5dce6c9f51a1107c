package dev.loralab.frequencyplans;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds {@code shared/reference} by walking up from the working directory. */
final class SharedReference {
  private SharedReference() {}

  static Path dir(String child) {
    Path d = Path.of("").toAbsolutePath();
    while (d != null) {
      Path candidate = d.resolve("shared").resolve("reference").resolve(child);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      d = d.getParent();
    }
    throw new IllegalStateException(
        "shared/reference/" + child + " not found above " + Path.of("").toAbsolutePath());
  }
}
