package dev.loralab.frequencyplans.internal;

import dev.loralab.frequencyplans.FrequencyPlanException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/** Where plan files come from: the built-in classpath folder or a user directory. */
public abstract class PlanFiles {
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*\\.ya?ml");

  PlanFiles() {}

  /** Built-in plans under the classpath folder {@code /frequency-plans/}. */
  public static PlanFiles classpath() {
    return new Classpath();
  }

  /** Plans in a directory of the file system. */
  public static PlanFiles directory(Path dir) {
    return new Directory(dir);
  }

  /** Whether a file name is a plain YAML file name (no directories, no traversal). */
  public static boolean isPlainFileName(String name) {
    return name != null && FILE_NAME.matcher(name).matches();
  }

  /**
   * The file's bytes, or empty if it does not exist here.
   *
   * @param planId plan (or index) named in errors
   * @param name plain file name
   * @param maxBytes size limit
   */
  public abstract Optional<byte[]> read(String planId, String name, int maxBytes);

  /** A short description for messages. */
  public abstract String describe();

  static FrequencyPlanException tooLarge(String planId, String name, long size, int maxBytes) {
    return FrequencyPlanException.inPlan(
        planId, name, null, "is " + size + " bytes; at most " + maxBytes + " bytes expected");
  }

  private static final class Classpath extends PlanFiles {
    @Override
    public Optional<byte[]> read(String planId, String name, int maxBytes) {
      try (InputStream in = PlanFiles.class.getResourceAsStream("/frequency-plans/" + name)) {
        if (in == null) {
          return Optional.empty();
        }
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
          throw tooLarge(planId, name, bytes.length, maxBytes);
        }
        return Optional.of(bytes);
      } catch (IOException e) {
        throw FrequencyPlanException.inPlan(planId, name, null, "cannot be read: " + e.getMessage(), e);
      }
    }

    @Override
    public String describe() {
      return "built-in plans";
    }
  }

  private static final class Directory extends PlanFiles {
    private final Path dir;

    Directory(Path dir) {
      this.dir = dir;
    }

    @Override
    public Optional<byte[]> read(String planId, String name, int maxBytes) {
      Path p = dir.resolve(name);
      try {
        if (!Files.isRegularFile(p)) {
          return Optional.empty();
        }
        long size = Files.size(p);
        if (size > maxBytes) {
          throw tooLarge(planId, name, size, maxBytes);
        }
        return Optional.of(Files.readAllBytes(p));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw FrequencyPlanException.inPlan(planId, name, null, "cannot be read: " + e.getMessage(), e);
      }
    }

    @Override
    public String describe() {
      return "directory " + dir;
    }
  }
}
