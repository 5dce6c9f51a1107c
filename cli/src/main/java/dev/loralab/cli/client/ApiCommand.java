package dev.loralab.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Base of the commands that call the LoRaLab API: shared options, output, and error handling (the
 * API's error message on one stderr line and exit status 1; invalid input exits with 2 through
 * {@link dev.loralab.cli.CliInputException}).
 */
public abstract class ApiCommand implements Callable<Integer> {

  @CommandLine.Spec protected CommandLine.Model.CommandSpec spec;

  @Mixin protected ClientOptions api;

  @Option(names = "--format", paramLabel = "json|table", defaultValue = "json",
      description = "Output format: json (default, the API's shapes) or table.")
  protected String format;

  /** Runs the command against the API; returns the exit status. */
  protected abstract int run(ApiClient client) throws Exception;

  @Override
  public final Integer call() throws Exception {
    OutputFormat.parse(format);
    try {
      return run(api.client());
    } catch (ApiClientException e) {
      err().println("loralab: " + e.getMessage());
      err().flush();
      return 1;
    }
  }

  /** Standard output. */
  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Standard error. */
  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Prints a response in the chosen format; {@code listField} names the array of list responses. */
  protected void print(JsonNode node, String listField) {
    OutputFormat.parse(format).print(out(), node, listField);
  }
}
