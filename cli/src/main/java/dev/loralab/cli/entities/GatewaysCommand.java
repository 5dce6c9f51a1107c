package dev.loralab.cli.entities;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loralab gateways create|get|list|update|delete} and {@code gateways api-keys ...}. */
@Command(name = "gateways", aliases = {"gateway", "gtw", "gtws"}, mixinStandardHelpOptions = true,
    description = "Manage gateways.",
    subcommands = {GatewaysCommand.Create.class, GatewaysCommand.Get.class, GatewaysCommand.ListGateways.class,
        GatewaysCommand.Update.class, GatewaysCommand.Delete.class, ApiKeyCommands.GatewayKeys.class})
public final class GatewaysCommand extends EntityCommands.Group {

  /** The gateway ID, as argument or {@code --gateway-id}. */
  static final class GatewayId implements EntityCommands.EntityId {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<gateway-id>", description = "The gateway ID.")
    String positional;

    @Option(names = "--gateway-id", paramLabel = "ID", description = "The gateway ID.")
    String option;

    @Override
    public String get() {
      return Values.id("gateway-id", Body.either("--gateway-id", positional, option));
    }

    @Override
    public String path() {
      return EntityCommands.path("gateways", get());
    }
  }

  /** The settable fields. */
  static final class Fields implements EntityCommands.EntityFields {
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

    @Override
    public Body body() {
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

    /** Enforces the duty cycle unless told otherwise. */
    @Override
    public Body createBody() {
      if (enforceDutyCycle == null) {
        enforceDutyCycle = true;
      }
      return body();
    }
  }

  // The mixins below are found by the EntityCommands base classes through the command spec.

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a gateway.")
  static final class Create extends EntityCommands.Create {
    @CommandLine.Mixin GatewayId id;
    @CommandLine.Mixin Fields fields;

    Create() {
      super("gateways", "ids.gateway_id");
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Get a gateway.")
  static final class Get extends EntityCommands.Get {
    @CommandLine.Mixin GatewayId id;
  }

  @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List gateways.")
  static final class ListGateways extends EntityCommands.ListAll {
    @Option(names = "--user-id", paramLabel = "ID", description = "Only gateways of this user.")
    String userId;

    ListGateways() {
      super("gateways");
    }

    @Override
    String userId() {
      return userId;
    }
  }

  @Command(name = "update", aliases = "set", mixinStandardHelpOptions = true, description = "Update a gateway.")
  static final class Update extends EntityCommands.Update {
    @CommandLine.Mixin GatewayId id;
    @CommandLine.Mixin Fields fields;
  }

  @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true, description = "Delete a gateway.")
  static final class Delete extends EntityCommands.Delete {
    @CommandLine.Mixin GatewayId id;
  }
}
