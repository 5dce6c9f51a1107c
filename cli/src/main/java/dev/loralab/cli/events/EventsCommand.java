package dev.loralab.cli.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.cli.CliInputException;
import dev.loralab.cli.client.ApiClient;
import dev.loralab.cli.client.ApiClientException;
import dev.loralab.cli.client.ApiCommand;
import dev.loralab.cli.client.OutputFormat;
import dev.loralab.cli.client.ServerSentEvent;
import dev.loralab.cli.client.SseParser;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loralab events subscribe|list|related}. */
@Command(name = "events", mixinStandardHelpOptions = true, description = "Follow and inspect events.",
    subcommands = {EventsCommand.Subscribe.class, EventsCommand.ListDefinitions.class, EventsCommand.Related.class})
public final class EventsCommand implements Runnable {

  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code events subscribe}: streams {@code POST /api/v3/events} (Server-Sent Events) and prints
   * one JSON event per line, reconnecting with {@code Last-Event-ID} when the stream drops.
   */
  @Command(name = "subscribe", aliases = {"sub", "stream"}, mixinStandardHelpOptions = true,
      description = {"Follow events of applications, end devices, gateways and users.",
          "Prints one JSON event per line (the stream's result objects), or a table with --format table."})
  static final class Subscribe extends ApiCommand {
    @Option(names = "--application-id", paramLabel = "ID", description = "An application (repeatable).")
    List<String> applicationIds = new ArrayList<>();

    @Option(names = "--device-id", paramLabel = "ID",
        description = "An end device of the (single) --application-id (repeatable).")
    List<String> deviceIds = new ArrayList<>();

    @Option(names = "--gateway-id", paramLabel = "ID", description = "A gateway (repeatable).")
    List<String> gatewayIds = new ArrayList<>();

    @Option(names = "--user-id", paramLabel = "ID", description = "A user (repeatable).")
    List<String> userIds = new ArrayList<>();

    @Option(names = "--tail", paramLabel = "N", description = "Replay the last N stored events first.")
    Integer tail;

    @Option(names = "--after", paramLabel = "RFC3339", description = "Replay stored events after this time first.")
    String after;

    @Option(names = "--names", paramLabel = "NAME", split = ",",
        description = "Only these event names; exact, glob (gs.up.*) or /regex/ (comma-separated, repeatable).")
    List<String> names = new ArrayList<>();

    @Option(names = "--max-events", paramLabel = "N", hidden = true,
        description = "Exit after printing N events (for scripts and tests).")
    Integer maxEvents;

    @Option(names = "--reconnect-delay", paramLabel = "MS", defaultValue = "1000", hidden = true,
        description = "Initial delay before reconnecting, in milliseconds.")
    long reconnectDelayMillis;

    @Option(names = "--max-reconnects", paramLabel = "N", defaultValue = "10", hidden = true,
        description = "Consecutive failed reconnects before giving up.")
    int maxReconnects;

    private int printed;

    @Override
    protected int run(ApiClient client) throws InterruptedException {
      ObjectNode body = request();
      OutputFormat fmt = OutputFormat.parse(format);
      SseParser parser = new SseParser(ApiClient.MAX_BODY_CHARS);
      int failures = 0;
      long delay = reconnectDelayMillis;
      boolean first = true;
      while (true) {
        ApiClient.StreamEnd end;
        try {
          end = client.stream("/api/v3/events", body, parser, parser.lastEventId(), e -> handle(e, fmt));
          failures = 0;
          delay = reconnectDelayMillis;
        } catch (ApiClientException e) {
          if (Thread.currentThread().isInterrupted()) {
            return 0;
          }
          if (first || e.status() != 0 || ++failures > maxReconnects) {
            throw e;
          }
          end = ApiClient.StreamEnd.DROPPED;
        } catch (StreamError e) {
          err().println("loralab: " + e.getMessage());
          err().flush();
          return 1;
        }
        first = false;
        if (end == ApiClient.StreamEnd.STOPPED) {
          return 0;
        }
        long wait = parser.retryMillis() >= 0 ? parser.retryMillis() : delay;
        Thread.sleep(wait);
        delay = Math.min(delay * 2, 30_000);
      }
    }

    /** Prints one message; false stops the stream. */
    private boolean handle(ServerSentEvent msg, OutputFormat fmt) {
      JsonNode node;
      try {
        node = JSON.readTree(msg.data());
      } catch (IOException e) {
        throw new StreamError("event stream: expected JSON data, found '"
            + (msg.data().length() > 80 ? msg.data().substring(0, 80) + "..." : msg.data()) + "'");
      }
      if (node.has("error")) {
        JsonNode m = node.get("error").get("message");
        throw new StreamError(m == null ? node.get("error").toString() : m.asText());
      }
      JsonNode result = node.get("result");
      if (result == null) {
        return true;
      }
      if (fmt == OutputFormat.TABLE) {
        out().println(EventTable.row(result));
      } else {
        out().println(result.toString());
      }
      out().flush();
      printed++;
      return maxEvents == null || printed < maxEvents;
    }

    ObjectNode request() {
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      ArrayNode ids = body.putArray("identifiers");
      if (!deviceIds.isEmpty()) {
        if (applicationIds.size() != 1) {
          throw new CliInputException("--device-id: expected exactly one --application-id, found "
              + applicationIds.size());
        }
        for (String d : deviceIds) {
          ObjectNode dev = ids.addObject().putObject("device_ids");
          dev.put("device_id", id("--device-id", d));
          dev.putObject("application_ids").put("application_id", id("--application-id", applicationIds.get(0)));
        }
      } else {
        for (String a : applicationIds) {
          ids.addObject().putObject("application_ids").put("application_id", id("--application-id", a));
        }
      }
      for (String g : gatewayIds) {
        ids.addObject().putObject("gateway_ids").put("gateway_id", id("--gateway-id", g));
      }
      for (String u : userIds) {
        ids.addObject().putObject("user_ids").put("user_id", id("--user-id", u));
      }
      if (ids.isEmpty()) {
        throw new CliInputException("identifiers: expected at least one of --application-id, --device-id, "
            + "--gateway-id, --user-id, found none");
      }
      if (tail != null) {
        if (tail < 0) {
          throw new CliInputException("--tail: expected a non-negative count, found " + tail);
        }
        body.put("tail", tail);
      }
      if (after != null) {
        try {
          OffsetDateTime.parse(after);
        } catch (DateTimeParseException e) {
          throw new CliInputException("--after: expected an RFC 3339 time such as 2030-01-01T00:00:00Z, found '"
              + after + "'");
        }
        body.put("after", after);
      }
      if (!names.isEmpty()) {
        ArrayNode n = body.putArray("names");
        names.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(n::add);
      }
      return body;
    }

    private static String id(String flag, String v) {
      if (v == null || !v.matches("[a-z0-9](?:[-]?[a-z0-9]){1,35}")) {
        throw new CliInputException(flag + ": expected an ID of 2-36 lower-case letters, digits and dashes, found '"
            + v + "'");
      }
      return v;
    }
  }

  /** An in-band stream error or malformed data: ends the command with status 1. */
  private static final class StreamError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StreamError(String message) {
      super(message, null, false, false);
    }
  }

  /** {@code events list}: the event definitions ({@code GET /api/v3/events/definitions}). */
  @Command(name = "list", aliases = {"ls", "definitions"}, mixinStandardHelpOptions = true,
      description = "List the event definitions (name, description, data type, visibility).")
  static final class ListDefinitions extends ApiCommand {
    @Override
    protected int run(ApiClient client) {
      JsonNode defs = client.get("/api/v3/events/definitions");
      if (defs.isArray()) {
        ObjectNode wrapped = JsonNodeFactory.instance.objectNode();
        wrapped.set("definitions", defs);
        print(OutputFormat.parse(format) == OutputFormat.TABLE ? wrapped : defs, "definitions");
      } else {
        print(defs, "definitions");
      }
      return 0;
    }
  }

  /** {@code events related <correlation-id>}: the stored events sharing a correlation ID. */
  @Command(name = "related", aliases = {"find-related"}, mixinStandardHelpOptions = true,
      description = "Print the stored events sharing a correlation ID.")
  static final class Related extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<correlation-id>", description = "e.g. gs:uplink:01J...")
    String correlationId;

    @Override
    protected int run(ApiClient client) {
      if (correlationId.isBlank() || correlationId.length() > 100) {
        throw new CliInputException("correlation-id: expected 1..100 characters, found " + correlationId.length());
      }
      JsonNode r = client.get("/api/v3/events/related?correlation_id=" + ApiClient.encode(correlationId));
      if (OutputFormat.parse(format) == OutputFormat.TABLE) {
        for (JsonNode e : r.path("events")) {
          out().println(EventTable.row(e));
        }
        out().flush();
      } else {
        print(r, "events");
      }
      return 0;
    }
  }
}
