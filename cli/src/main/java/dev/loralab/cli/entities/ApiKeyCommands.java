package dev.loralab.cli.entities;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.api.v3.Right;
import dev.loralab.cli.CliInputException;
import dev.loralab.cli.client.ApiClient;
import dev.loralab.cli.client.ApiCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code api-keys create|list|get|delete} of users, applications and gateways, with
 * {@code ttn-lw-cli} flag names ({@code --user-id}, {@code --application-id}, {@code --gateway-id},
 * {@code --api-key-id}, {@code --right-...}).
 */
final class ApiKeyCommands {

  private ApiKeyCommands() {
  }

  /**
   * The owner of the keys, a mixin of every key command: a path {@code /api/v3/<kind>/<id>}. The
   * base commands below find it through the command spec.
   */
  interface Owner {
    String path();
  }

  private static String ownerPath(CommandSpec spec) {
    return EntityCommands.mixin(spec, Owner.class).path();
  }

  /** Creates a key; prints it, with the secret (shown only once). */
  abstract static class Create extends ApiCommand {
    @Option(names = "--name", description = "Name of the key.")
    String name;

    @Option(names = "--expires-at", paramLabel = "RFC3339", description = "Expiry, e.g. 2030-01-01T00:00:00Z.")
    String expiresAt;

    @Override
    protected int run(ApiClient client) {
      List<Right> rights = RightFlags.selected(spec);
      if (rights.isEmpty()) {
        throw new CliInputException("rights: expected at least one --right-... flag, found none");
      }
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      if (name != null) {
        body.put("name", name);
      }
      ArrayNode r = body.putArray("rights");
      rights.forEach(x -> r.add(x.name()));
      if (expiresAt != null) {
        body.put("expires_at", Values.timestamp("--expires-at", expiresAt));
      }
      print(client.post(ownerPath(spec) + "/api-keys", body), null);
      return 0;
    }
  }

  /** Lists the keys (without secrets). */
  abstract static class ListKeys extends ApiCommand {
    @Override
    protected int run(ApiClient client) {
      print(client.get(ownerPath(spec) + "/api-keys"), "api_keys");
      return 0;
    }
  }

  /** Gets one key (without secret). */
  abstract static class Get extends ApiCommand {
    @Option(names = "--api-key-id", required = true, paramLabel = "ID", description = "The key ID.")
    String keyId;

    @Override
    protected int run(ApiClient client) {
      print(client.get(ownerPath(spec) + "/api-keys/" + ApiClient.encode(keyId)), null);
      return 0;
    }
  }

  /** Deletes one key. */
  abstract static class Delete extends ApiCommand {
    @Option(names = "--api-key-id", required = true, paramLabel = "ID", description = "The key ID.")
    String keyId;

    @Override
    protected int run(ApiClient client) {
      JsonNode r = client.delete(ownerPath(spec) + "/api-keys/" + ApiClient.encode(keyId));
      print(r, null);
      return 0;
    }
  }

  // ---- users ----------------------------------------------------------------------------------

  static final class UserId implements Owner {
    @Option(names = "--user-id", required = true, paramLabel = "ID", description = "The user, e.g. admin.")
    String userId;

    @Override
    public String path() {
      return EntityCommands.userPath(userId);
    }
  }

  @Command(name = "api-keys", aliases = {"api-key", "keys", "key"}, mixinStandardHelpOptions = true,
      description = "Manage API keys of a user.",
      subcommands = {UserKeys.CreateCmd.class, UserKeys.ListCmd.class, UserKeys.GetCmd.class,
          UserKeys.DeleteCmd.class})
  static final class UserKeys extends EntityCommands.Group {
    @Command(name = "create", mixinStandardHelpOptions = true, abbreviateSynopsis = true, description = "Create an API key of a user.",
        modelTransformer = RightFlags.All.class)
    static final class CreateCmd extends Create {
      @picocli.CommandLine.Mixin UserId owner;
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List API keys of a user.")
    static final class ListCmd extends ListKeys {
      @picocli.CommandLine.Mixin UserId owner;
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Get an API key of a user.")
    static final class GetCmd extends Get {
      @picocli.CommandLine.Mixin UserId owner;
    }

    @Command(name = "delete", aliases = {"rm"}, mixinStandardHelpOptions = true,
        description = "Delete an API key of a user.")
    static final class DeleteCmd extends Delete {
      @picocli.CommandLine.Mixin UserId owner;
    }
  }

  // ---- applications ---------------------------------------------------------------------------

  static final class ApplicationId implements Owner {
    @Option(names = "--application-id", required = true, paramLabel = "ID", description = "The application.")
    String applicationId;

    @Override
    public String path() {
      return EntityCommands.path("applications", Values.id("--application-id", applicationId));
    }
  }

  @Command(name = "api-keys", aliases = {"api-key", "keys", "key"}, mixinStandardHelpOptions = true,
      description = "Manage API keys of an application.",
      subcommands = {ApplicationKeys.CreateCmd.class, ApplicationKeys.ListCmd.class, ApplicationKeys.GetCmd.class,
          ApplicationKeys.DeleteCmd.class})
  static final class ApplicationKeys extends EntityCommands.Group {
    @Command(name = "create", mixinStandardHelpOptions = true, abbreviateSynopsis = true, description = "Create an API key of an application.",
        modelTransformer = RightFlags.Application.class)
    static final class CreateCmd extends Create {
      @picocli.CommandLine.Mixin ApplicationId owner;
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
        description = "List API keys of an application.")
    static final class ListCmd extends ListKeys {
      @picocli.CommandLine.Mixin ApplicationId owner;
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Get an API key of an application.")
    static final class GetCmd extends Get {
      @picocli.CommandLine.Mixin ApplicationId owner;
    }

    @Command(name = "delete", aliases = {"rm"}, mixinStandardHelpOptions = true,
        description = "Delete an API key of an application.")
    static final class DeleteCmd extends Delete {
      @picocli.CommandLine.Mixin ApplicationId owner;
    }
  }

  // ---- gateways -------------------------------------------------------------------------------

  static final class GatewayId implements Owner {
    @Option(names = "--gateway-id", required = true, paramLabel = "ID", description = "The gateway.")
    String gatewayId;

    @Override
    public String path() {
      return EntityCommands.path("gateways", Values.id("--gateway-id", gatewayId));
    }
  }

  @Command(name = "api-keys", aliases = {"api-key", "keys", "key"}, mixinStandardHelpOptions = true,
      description = "Manage API keys of a gateway.",
      subcommands = {GatewayKeys.CreateCmd.class, GatewayKeys.ListCmd.class, GatewayKeys.GetCmd.class,
          GatewayKeys.DeleteCmd.class})
  static final class GatewayKeys extends EntityCommands.Group {
    @Command(name = "create", mixinStandardHelpOptions = true, abbreviateSynopsis = true, description = "Create an API key of a gateway.",
        modelTransformer = RightFlags.Gateway.class)
    static final class CreateCmd extends Create {
      @picocli.CommandLine.Mixin GatewayId owner;
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List API keys of a gateway.")
    static final class ListCmd extends ListKeys {
      @picocli.CommandLine.Mixin GatewayId owner;
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Get an API key of a gateway.")
    static final class GetCmd extends Get {
      @picocli.CommandLine.Mixin GatewayId owner;
    }

    @Command(name = "delete", aliases = {"rm"}, mixinStandardHelpOptions = true,
        description = "Delete an API key of a gateway.")
    static final class DeleteCmd extends Delete {
      @picocli.CommandLine.Mixin GatewayId owner;
    }
  }
}
