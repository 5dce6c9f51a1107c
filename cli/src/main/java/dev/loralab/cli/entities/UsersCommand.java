package dev.loralab.cli.entities;

import dev.loralab.cli.client.ApiClient;
import dev.loralab.cli.client.ApiCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loralab users get|list} and {@code loralab users api-keys create|list|get|delete}. */
@Command(name = "users", aliases = {"user"}, mixinStandardHelpOptions = true, description = "Manage users and their API keys.",
    subcommands = {UsersCommand.Get.class, UsersCommand.ListUsers.class, ApiKeyCommands.UserKeys.class})
public final class UsersCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Get a user.")
  static final class Get extends ApiCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<user-id>") String positional;
    @Option(names = "--user-id", paramLabel = "ID") String option;

    @Override
    protected int run(ApiClient client) {
      String id = Values.id("user-id", Body.either("--user-id", positional, option));
      print(client.get("/api/v3/users/" + ApiClient.encode(id)), null);
      return 0;
    }
  }

  @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List users.")
  static final class ListUsers extends ApiCommand {
    @Override
    protected int run(ApiClient client) {
      print(client.get("/api/v3/users"), "users");
      return 0;
    }
  }
}
