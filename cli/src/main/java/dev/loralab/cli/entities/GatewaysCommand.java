package dev.loralab.cli.entities;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.loralab.cli.client.ApiClient;
import dev.loralab.cli.client.ApiCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loralab gateways create|get|list|update|delete} and {@code gateways api-keys ...}. */
@Command(name = "gateways", aliases = {"gateway", "gtw", "gtws"}, mixinStandardHelpOptions = true,
    description = "Manage gateways.",
    subcommands = {GatewaysCommand.Create.class, GatewaysCommand.Get.class, GatewaysCommand.ListGateways.class,
        GatewaysCommand.Update.class, GatewaysCommand.Delete.class, ApiKeyCommands.GatewayKeys.class})
public final class GatewaysCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The gateway ID, as argument or {@code --gateway-id}. */
  static final class GatewayId {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<gateway-id>", description = "The gateway ID.")
    String positional;

    @Option(names = "--gateway-id", paramLabel = "ID", description = "The gateway ID.")
    String option;

    String get() {
      return Values.id("gateway-id", Body.either("--gateway-id", positional, option));
    }

    String path() {
      return "/api/v3/gateways/" + ApiClient.encode(get());
    }
  }

  /** The settable fields. */
  static final class Fields {
    @Option(names = {"--gateway-eui", "--eui"}, paramLabel = "EUI", description = "Gateway EUI (16 hex digits).")
    String eui;

    @Option(names = "--frequency-plan-id", paramLabel = "ID", description = "Frequency plan, e.g. EU_863_870.")
    String frequencyPlanId;

    @Option(names = "--name", description = "Name.")
    String name;

    @Option(names = "--description", description = "Description.")
    String description;

    @Option(names = "--enforce-duty-cycle", arity = "0..1", paramLabel = "BOOL", description = "Enforce duty cycle.")
    Boolean enforceDutyCycle;

    @Option(names = "--schedule-downlink-late", arity = "0..1", paramLabel = "BOOL",
        description = "Schedule downlinks just in time (no gateway queue).")
    Boolean scheduleDownlinkLate;

    @Option(names = "--status-public", arity = "0..1", paramLabel = "BOOL", description = "Status is public.")
    Boolean statusPublic;

    @Option(names = "--location-public", arity = "0..1", paramLabel = "BOOL", description = "Location is public.")
    Boolean locationPublic;

    Body body() {
      Body b = new Body("gateway")
          .set("ids.eui", eui == null ? null : Values.hex("--gateway-eui", eui, 16))
          .set("name", name).set("description", description)
          .set("enforce_duty_cycle", enforceDutyCycle)
          .set("schedule_downlink_late", scheduleDownlinkLate)
          .set("status_public", statusPublic)
          .set("location_public", locationPublic);
      if (frequencyPlanId != null) {
        String plan = Values.planId("--frequency-plan-id", frequencyPlanId);
        b.set("frequency_plan_id", plan);
        b.setNode("frequency_plan_ids", JsonNodeFactory.instance.arrayNode().add(plan), "frequency_plan_ids");
      }
      return b;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a gateway.")
  static final class Create extends ApiCommand {
    @CommandLine.Mixin GatewayId id;
    @CommandLine.Mixin Fields fields;

    @Option(names = "--user-id", defaultValue = "admin", paramLabel = "ID",
        description = "Owner (default: ${DEFAULT-VALUE}).")
    String userId;

    @Override
    protected int run(ApiClient client) {
      if (fields.enforceDutyCycle == null) {
        fields.enforceDutyCycle = true;
      }
      Body b = fields.body().setId("ids.gateway_id", id.get());
      print(client.post("/api/v3/users/" + ApiClient.encode(Values.id("--user-id", userId)) + "/gateways",
          b.forCreate()), null);
      return 0;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Get a gateway.")
  static final class Get extends ApiCommand {
    @CommandLine.Mixin GatewayId id;

    @Override
    protected int run(ApiClient client) {
      print(client.get(id.path()), null);
      return 0;
    }
  }

  @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List gateways.")
  static final class ListGateways extends ApiCommand {
    @Option(names = "--user-id", paramLabel = "ID", description = "Only gateways of this user.")
    String userId;

    @Override
    protected int run(ApiClient client) {
      String path = userId == null ? "/api/v3/gateways"
          : "/api/v3/users/" + ApiClient.encode(Values.id("--user-id", userId)) + "/gateways";
      print(client.get(path), "gateways");
      return 0;
    }
  }

  @Command(name = "update", aliases = "set", mixinStandardHelpOptions = true, description = "Update a gateway.")
  static final class Update extends ApiCommand {
    @CommandLine.Mixin GatewayId id;
    @CommandLine.Mixin Fields fields;

    @Override
    protected int run(ApiClient client) {
      print(client.put(id.path(), fields.body().forUpdate()), null);
      return 0;
    }
  }

  @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true, description = "Delete a gateway.")
  static final class Delete extends ApiCommand {
    @CommandLine.Mixin GatewayId id;

    @Override
    protected int run(ApiClient client) {
      print(client.delete(id.path()), null);
      return 0;
    }
  }
}
