package dev.loralab.cli.entities;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.cli.CliInputException;
import dev.loralab.cli.client.ApiClient;
import dev.loralab.cli.client.ApiCommand;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code loralab applications webhooks set|get|list|delete} (application server, {@code /api/v3/as/webhooks}). */
@Command(name = "webhooks", aliases = {"webhook"}, mixinStandardHelpOptions = true,
    description = "Manage the webhooks of an application.",
    subcommands = {WebhooksCommand.Set.class, WebhooksCommand.Get.class, WebhooksCommand.ListHooks.class,
        WebhooksCommand.Delete.class})
public final class WebhooksCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Application and webhook IDs. */
  static final class HookId {
    @Option(names = "--application-id", required = true, paramLabel = "ID", description = "The application.")
    String applicationId;

    @Option(names = "--webhook-id", required = true, paramLabel = "ID", description = "The webhook.")
    String webhookId;

    String path() {
      return "/api/v3/as/webhooks/" + ApiClient.encode(Values.id("--application-id", applicationId)) + "/"
          + ApiClient.encode(Values.id("--webhook-id", webhookId));
    }
  }

  @Command(name = "set", aliases = {"create", "update"}, mixinStandardHelpOptions = true,
      description = "Create or update a webhook.")
  static final class Set extends ApiCommand {
    @CommandLine.Mixin HookId id;

    @Option(names = "--base-url", paramLabel = "URL", description = "Base URL; message paths are appended.")
    String baseUrl;

    @Option(names = "--webhook-format", paramLabel = "json", description = "Payload format (json).")
    String webhookFormat;

    @Option(names = "--header", paramLabel = "NAME=VALUE", description = "HTTP header to send (repeatable).")
    Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = "--downlink-api-key", paramLabel = "KEY", description = "API key the receiver may use for downlinks.")
    String downlinkApiKey;

    @Option(names = "--uplink-message.path", paramLabel = "PATH", description = "Path for uplink messages.")
    String uplink;

    @Option(names = "--join-accept.path", paramLabel = "PATH", description = "Path for join-accepts.")
    String joinAccept;

    @Option(names = "--downlink-ack.path", paramLabel = "PATH", description = "Path for downlink acks.")
    String downlinkAck;

    @Option(names = "--downlink-nack.path", paramLabel = "PATH", description = "Path for downlink nacks.")
    String downlinkNack;

    @Option(names = "--downlink-sent.path", paramLabel = "PATH", description = "Path for sent downlinks.")
    String downlinkSent;

    @Option(names = "--downlink-failed.path", paramLabel = "PATH", description = "Path for failed downlinks.")
    String downlinkFailed;

    @Option(names = "--downlink-queued.path", paramLabel = "PATH", description = "Path for queued downlinks.")
    String downlinkQueued;

    @Override
    protected int run(ApiClient client) {
      if (baseUrl != null && !baseUrl.matches("https?://\\S+")) {
        throw new CliInputException("--base-url: expected an http(s) URL, found '" + baseUrl + "'");
      }
      Body b = new Body("webhook")
          .setId("ids.application_ids.application_id", Values.id("--application-id", id.applicationId))
          .setId("ids.webhook_id", Values.id("--webhook-id", id.webhookId))
          .set("base_url", baseUrl).set("format", webhookFormat).set("downlink_api_key", downlinkApiKey)
          .set("uplink_message.path", uplink).set("join_accept.path", joinAccept)
          .set("downlink_ack.path", downlinkAck).set("downlink_nack.path", downlinkNack)
          .set("downlink_sent.path", downlinkSent).set("downlink_failed.path", downlinkFailed)
          .set("downlink_queued.path", downlinkQueued);
      if (!headers.isEmpty()) {
        ObjectNode h = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        headers.forEach(h::put);
        b.setNode("headers", h, "headers");
      }
      print(client.put(id.path(), b.forUpdate()), null);
      return 0;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Get a webhook.")
  static final class Get extends ApiCommand {
    @CommandLine.Mixin HookId id;

    @Override
    protected int run(ApiClient client) {
      print(client.get(id.path()), null);
      return 0;
    }
  }

  @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List the webhooks of an application.")
  static final class ListHooks extends ApiCommand {
    @Option(names = "--application-id", required = true, paramLabel = "ID", description = "The application.")
    String applicationId;

    @Override
    protected int run(ApiClient client) {
      print(client.get("/api/v3/as/webhooks/" + ApiClient.encode(Values.id("--application-id", applicationId))),
          "webhooks");
      return 0;
    }
  }

  @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true, description = "Delete a webhook.")
  static final class Delete extends ApiCommand {
    @CommandLine.Mixin HookId id;

    @Override
    protected int run(ApiClient client) {
      print(client.delete(id.path()), null);
      return 0;
    }
  }
}
