package dev.loralab.cli.entities;

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
public final class ApplicationsCommand extends EntityCommands.Group {

  /** The application ID, as argument or {@code --application-id}. */
  static final class AppId implements EntityCommands.EntityId {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<application-id>", description = "The application ID.")
    String positional;

    @Option(names = "--application-id", paramLabel = "ID", description = "The application ID.")
    String option;

    @Override
    public String get() {
      return Values.id("application-id", Body.either("--application-id", positional, option));
    }

    @Override
    public String path() {
      return EntityCommands.path("applications", get());
    }
  }

  /** Name and description flags. */
  static final class Fields implements EntityCommands.EntityFields {
    @Option(names = "--name", description = "Name.")
    String name;

    @Option(names = "--description", description = "Description.")
    String description;

    @Override
    public Body body() {
      return new Body("application").set("name", name).set("description", description);
    }
  }

  // The mixins below are found by the EntityCommands base classes through the command spec.

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an application.")
  static final class Create extends EntityCommands.Create {
    @CommandLine.Mixin AppId id;
    @CommandLine.Mixin Fields fields;

    Create() {
      super("applications", "ids.application_id");
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Get an application.")
  static final class Get extends EntityCommands.Get {
    @CommandLine.Mixin AppId id;
  }

  @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List applications.")
  static final class ListApps extends EntityCommands.ListAll {
    @Option(names = "--user-id", paramLabel = "ID", description = "Only applications of this user.")
    String userId;

    ListApps() {
      super("applications");
    }

    @Override
    String userId() {
      return userId;
    }
  }

  @Command(name = "update", aliases = "set", mixinStandardHelpOptions = true, description = "Update an application.")
  static final class Update extends EntityCommands.Update {
    @CommandLine.Mixin AppId id;
    @CommandLine.Mixin Fields fields;
  }

  @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true,
      description = "Delete an application with its end devices and API keys.")
  static final class Delete extends EntityCommands.Delete {
    @CommandLine.Mixin AppId id;
  }
}
