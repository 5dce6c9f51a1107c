package dev.loralab.cli.plans;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loralab.cli.CliInputException;
import dev.loralab.frequencyplans.FrequencyPlanException;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** Shared printing and store loading for the plan and band commands. */
final class PlanOutput {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PlanOutput() {}

  static void print(PrintWriter out, JsonNode node) {
    try {
      out.println(JSON.writeValueAsString(node));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  /** The built-in store, plus a user directory if given; plan-file errors become input errors. */
  static FrequencyPlanStore store(Optional<Path> userDirectory) {
    try {
      return userDirectory.isPresent()
          ? FrequencyPlanStore.withUserDirectory(userDirectory.get())
          : FrequencyPlanStore.builtIn();
    } catch (FrequencyPlanException e) {
      throw new CliInputException(e.getMessage());
    }
  }
}
