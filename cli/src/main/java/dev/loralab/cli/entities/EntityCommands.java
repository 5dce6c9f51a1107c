package dev.loralab.cli.entities;

import dev.loralab.cli.client.ApiClient;
import dev.loralab.cli.client.ApiCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * What the entity commands share: API paths, command groups that print their usage, and the
 * create/get/list/update/delete calls of entities owned by a user (applications, gateways).
 *
 * <p>A concrete command carries picocli's annotations (names and descriptions are per entity) and
 * its mixins: the entity's ID (an {@link EntityId}) and, to create or update, its fields (an
 * {@link EntityFields}). The base classes here find those mixins through the command spec and make
 * the call, so the concrete command declares no behaviour of its own.
 */
final class EntityCommands {

  private EntityCommands() {
  }

  /** An ID mixin: the validated ID and the entity's API path. */
  interface EntityId {
    /** The validated ID. */
    String get();

    /** {@code /api/v3/<collection>/<id>}. */
    String path();
  }

  /** A fields mixin: the request body built from the flags given. */
  interface EntityFields {
    /** The body of an update: only the flags given, each a field mask path. */
    Body body();

    /** The body of a create: {@link #body()} with the entity's creation defaults. */
    default Body createBody() {
      return body();
    }
  }

  /** {@code /api/v3/<collection>/<id>}, the ID URL-encoded. */
  static String path(String collection, String id) {
    return "/api/v3/" + collection + "/" + ApiClient.encode(id);
  }

  /** {@code /api/v3/users/<user-id>}, the user ID validated as flag {@code --user-id}. */
  static String userPath(String userId) {
    return path("users", Values.id("--user-id", userId));
  }

  /** The mixin of {@code spec} that is a {@code type}. */
  static <T> T mixin(CommandSpec spec, Class<T> type) {
    for (CommandSpec m : spec.mixins().values()) {
      if (type.isInstance(m.userObject())) {
        return type.cast(m.userObject());
      }
    }
    throw new IllegalStateException(spec.qualifiedName() + ": no " + type.getSimpleName() + " mixin");
  }

  /** A command with subcommands only: without one, prints its usage. */
  abstract static class Group implements Runnable {
    @CommandLine.Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }

  /** Creates the entity under its owner ({@code --user-id}, default admin). */
  abstract static class Create extends ApiCommand {
    @Option(names = "--user-id", defaultValue = "admin", paramLabel = "ID",
        description = "Owner (default: ${DEFAULT-VALUE}).")
    String userId;

    private final String collection;
    private final String idField;

    /**
     * @param collection the entities' path segment, e.g. {@code applications}
     * @param idField the body field of the ID, e.g. {@code ids.application_id}
     */
    Create(String collection, String idField) {
      this.collection = collection;
      this.idField = idField;
    }

    @Override
    protected int run(ApiClient client) {
      Body b = mixin(spec, EntityFields.class).createBody()
          .setId(idField, mixin(spec, EntityId.class).get());
      print(client.post(userPath(userId) + "/" + collection, b.forCreate()), null);
      return 0;
    }
  }

  /** Gets the entity. */
  abstract static class Get extends ApiCommand {
    @Override
    protected int run(ApiClient client) {
      print(client.get(mixin(spec, EntityId.class).path()), null);
      return 0;
    }
  }

  /** Lists all entities, or those of the user given. */
  abstract static class ListAll extends ApiCommand {
    private final String collection;

    /** @param collection the entities' path segment and list field, e.g. {@code applications} */
    ListAll(String collection) {
      this.collection = collection;
    }

    /** The {@code --user-id} flag, null if not given. */
    abstract String userId();

    @Override
    protected int run(ApiClient client) {
      String user = userId();
      String path = user == null ? "/api/v3/" + collection : userPath(user) + "/" + collection;
      print(client.get(path), collection);
      return 0;
    }
  }

  /** Updates the fields given. */
  abstract static class Update extends ApiCommand {
    @Override
    protected int run(ApiClient client) {
      String path = mixin(spec, EntityId.class).path();
      print(client.put(path, mixin(spec, EntityFields.class).body().forUpdate()), null);
      return 0;
    }
  }

  /** Deletes the entity. */
  abstract static class Delete extends ApiCommand {
    @Override
    protected int run(ApiClient client) {
      print(client.delete(mixin(spec, EntityId.class).path()), null);
      return 0;
    }
  }
}
