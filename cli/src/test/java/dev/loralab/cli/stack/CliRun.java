package dev.loralab.cli.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loralab.cli.LoraLab;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code loralab} commands in-process with captured output, with defaults standing in for the
 * environment variables {@code LORALAB_API_URL}, {@code LORALAB_DATA_DIR} (and optionally
 * {@code LORALAB_API_KEY}), so commands can be written exactly as a user types them.
 */
final class CliRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Result(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + out + " / " + err, e);
      }
    }
  }

  private final Map<String, String> env;

  CliRun(String apiUrl, Path dataDir) {
    this(Map.of("--api-url", apiUrl, "--data-dir", dataDir.toString()));
  }

  CliRun(Map<String, String> defaults) {
    this.env = defaults;
  }

  CliRun withApiKey(String key) {
    java.util.HashMap<String, String> m = new java.util.HashMap<>(env);
    m.put("--api-key", key);
    return new CliRun(m);
  }

  CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cmd = LoraLab.newCommandLine();
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setDefaultValueProvider(arg -> arg instanceof CommandLine.Model.OptionSpec o ? env.get(o.longestName()) : null);
    return cmd;
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
