package dev.loralab.cli.entities;

import dev.loralab.cli.client.ApiClient;
import dev.loralab.cli.client.ApiCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loralab applications create|get|list|update|delete}, {@code api-keys ...}, {@code webhooks ...}. */
@Command(name = "applications", aliases = {"application", "apps", "app"}, mixinStandardHelpOptions = true,
    description = "Manage applications.",
    subcommands = {ApplicationsCommand.Create.class, ApplicationsCommand.Get.class, ApplicationsCommand.ListApps.class,
        ApplicationsCommand.Update.class, ApplicationsCommand.Delete.class, ApiKeyCommands.ApplicationKeys.class,
        WebhooksCommand.class})
public final class ApplicationsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The application ID, as argument or {@code --application-id}. */
  static final class AppId {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<application-id>", description = "The application ID.")
    String positional;

    @Option(names = "--application-id", paramLabel = "ID", description = "The application ID.")
    String option;

    String get() {
      return Values.id("application-id", Body.either("--application-id", positional, option));
    }

    String path() {
      return "/api/v3/applications/" + ApiClient.encode(get());
    }
  }

  /** Name and description flags. */
  static final class Fields {
    @Option(names = "--name", description = "Name.")
    String name;

    @Option(names = "--description", description = "Description.")
    String description;

    Body body() {
      return new Body("application").set("name", name).set("description", description);
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an application.")
  static final class Create extends ApiCommand {
    @CommandLine.Mixin AppId id;
    @CommandLine.Mixin Fields fields;

    @Option(names = "--user-id", defaultValue = "admin", paramLabel = "ID",
        description = "Owner (default: ${DEFAULT-VALUE}).")
    String userId;

    @Override
    protected int run(ApiClient client) {
      Body b = fields.body().setId("ids.application_id", id.get());
      print(client.post("/api/v3/users/" + ApiClient.encode(Values.id("--user-id", userId)) + "/applications",
          b.forCreate()), null);
      return 0;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Get an application.")
  static final class Get extends ApiCommand {
    @CommandLine.Mixin AppId id;

    @Override
    protected int run(ApiClient client) {
      print(client.get(id.path()), null);
      return 0;
    }
  }

  @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List applications.")
  static final class ListApps extends ApiCommand {
    @Option(names = "--user-id", paramLabel = "ID", description = "Only applications of this user.")
    String userId;

    @Override
    protected int run(ApiClient client) {
      String path = userId == null ? "/api/v3/applications"
          : "/api/v3/users/" + ApiClient.encode(Values.id("--user-id", userId)) + "/applications";
      print(client.get(path), "applications");
      return 0;
    }
  }

  @Command(name = "update", aliases = "set", mixinStandardHelpOptions = true, description = "Update an application.")
  static final class Update extends ApiCommand {
    @CommandLine.Mixin AppId id;
    @CommandLine.Mixin Fields fields;

    @Override
    protected int run(ApiClient client) {
      print(client.put(id.path(), fields.body().forUpdate()), null);
      return 0;
    }
  }

  @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true,
      description = "Delete an application with its end devices and API keys.")
  static final class Delete extends ApiCommand {
    @CommandLine.Mixin AppId id;

    @Override
    protected int run(ApiClient client) {
      print(client.delete(id.path()), null);
      return 0;
    }
  }
}
