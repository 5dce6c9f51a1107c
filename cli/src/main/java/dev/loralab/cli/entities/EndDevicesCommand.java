package dev.loralab.cli.entities;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.cli.CliInputException;
import dev.loralab.cli.client.ApiClient;
import dev.loralab.cli.client.ApiCommand;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loralab end-devices create|get|list|update|delete <application-id> <device-id>} and
 * {@code end-devices downlink push|replace|list}, with {@code ttn-lw-cli} flag names where they
 * exist ({@code --dev-eui}, {@code --join-eui}/{@code --app-eui}, {@code --root-keys.app-key.key},
 * {@code --session.dev-addr}, ...) and short forms ({@code --app-key}, {@code --dev-addr}, ...).
 */
@Command(name = "end-devices", aliases = {"end-device", "devices", "device", "dev"}, mixinStandardHelpOptions = true,
    description = "Manage end devices.",
    subcommands = {EndDevicesCommand.Create.class, EndDevicesCommand.Get.class, EndDevicesCommand.ListDevices.class,
        EndDevicesCommand.Update.class, EndDevicesCommand.Delete.class, EndDevicesCommand.Downlink.class})
public final class EndDevicesCommand implements Runnable {

  /** Largest FRMPayload accepted by {@code downlink push}. */
  static final int MAX_FRM_PAYLOAD = 242;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Application and device ID, as arguments or flags. */
  static final class DeviceId {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<application-id>", description = "The application ID.")
    String appPositional;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<device-id>", description = "The device ID.")
    String devPositional;

    @Option(names = "--application-id", paramLabel = "ID", description = "The application ID.")
    String appOption;

    @Option(names = "--device-id", paramLabel = "ID", description = "The device ID.")
    String devOption;

    String app() {
      return Values.id("application-id", Body.either("--application-id", appPositional, appOption));
    }

    String dev() {
      return Values.id("device-id", Body.either("--device-id", devPositional, devOption));
    }

    String path() {
      return "/api/v3/applications/" + ApiClient.encode(app()) + "/devices/" + ApiClient.encode(dev());
    }

    String asPath() {
      return "/api/v3/as/applications/" + ApiClient.encode(app()) + "/devices/" + ApiClient.encode(dev());
    }
  }

  /** The settable fields. */
  static final class Fields {
    @Option(names = "--dev-eui", paramLabel = "EUI", description = "DevEUI (16 hex digits).")
    String devEui;

    @Option(names = {"--join-eui", "--app-eui"}, paramLabel = "EUI", description = "JoinEUI/AppEUI (16 hex digits).")
    String joinEui;

    @Option(names = "--frequency-plan-id", paramLabel = "ID", description = "Frequency plan, e.g. EU_863_870.")
    String frequencyPlanId;

    @Option(names = "--lorawan-version", paramLabel = "VERSION", description = "LoRaWAN version: 1.0.2, 1.0.3, 1.0.4, 1.1.")
    String lorawanVersion;

    @Option(names = "--lorawan-phy-version", paramLabel = "VERSION",
        description = "Regional parameters version: 1.0.2-b, 1.0.3-a, 1.1-b, RP002-1.0.4, ...")
    String phyVersion;

    @Option(names = "--supports-join", arity = "0..1", paramLabel = "BOOL", description = "OTAA device.")
    Boolean supportsJoin;

    @Option(names = "--abp", description = "ABP device (no join; session from --dev-addr and session keys).")
    boolean abp;

    @Option(names = "--supports-class-b", arity = "0..1", paramLabel = "BOOL", description = "Supports class B.")
    Boolean supportsClassB;

    @Option(names = "--supports-class-c", arity = "0..1", paramLabel = "BOOL", description = "Supports class C.")
    Boolean supportsClassC;

    @Option(names = {"--app-key", "--root-keys.app-key.key"}, paramLabel = "KEY", description = "AppKey (32 hex digits).")
    String appKey;

    @Option(names = {"--nwk-key", "--root-keys.nwk-key.key"}, paramLabel = "KEY",
        description = "NwkKey (LoRaWAN 1.1, 32 hex digits).")
    String nwkKey;

    @Option(names = {"--dev-addr", "--session.dev-addr"}, paramLabel = "ADDR", description = "ABP DevAddr (8 hex digits).")
    String devAddr;

    @Option(names = {"--app-s-key", "--session.keys.app-s-key.key"}, paramLabel = "KEY", description = "ABP AppSKey.")
    String appSKey;

    @Option(names = "--nwk-s-key", paramLabel = "KEY", description = "ABP NwkSKey (LoRaWAN 1.0.x).")
    String nwkSKey;

    @Option(names = {"--f-nwk-s-int-key", "--session.keys.f-nwk-s-int-key.key"}, paramLabel = "KEY",
        description = "ABP FNwkSIntKey (LoRaWAN 1.1).")
    String fNwkSIntKey;

    @Option(names = {"--s-nwk-s-int-key", "--session.keys.s-nwk-s-int-key.key"}, paramLabel = "KEY",
        description = "ABP SNwkSIntKey (LoRaWAN 1.1).")
    String sNwkSIntKey;

    @Option(names = {"--nwk-s-enc-key", "--session.keys.nwk-s-enc-key.key"}, paramLabel = "KEY",
        description = "ABP NwkSEncKey (LoRaWAN 1.1).")
    String nwkSEncKey;

    @Option(names = {"--resets-f-cnt", "--mac-settings.resets-f-cnt"}, arity = "0..1", paramLabel = "BOOL",
        description = "The device resets its frame counters (ABP without persistent counters).")
    Boolean resetsFCnt;

    @Option(names = "--name", description = "Name.")
    String name;

    @Option(names = "--description", description = "Description.")
    String description;

    Body body() {
      if (nwkSKey != null && fNwkSIntKey != null) {
        throw new CliInputException("--nwk-s-key: expected either --nwk-s-key (1.0.x) or --f-nwk-s-int-key (1.1), found both");
      }
      Body b = new Body("end_device")
          .set("ids.dev_eui", devEui == null ? null : Values.hex("--dev-eui", devEui, 16))
          .set("ids.join_eui", joinEui == null ? null : Values.hex("--join-eui", joinEui, 16))
          .set("frequency_plan_id", frequencyPlanId == null ? null : Values.planId("--frequency-plan-id", frequencyPlanId))
          .set("lorawan_version", lorawanVersion == null ? null
              : Values.macVersion("--lorawan-version", lorawanVersion).name())
          .set("lorawan_phy_version", phyVersion == null ? null
              : Values.phyVersion("--lorawan-phy-version", phyVersion).name())
          .set("supports_join", abp ? Boolean.FALSE : supportsJoin)
          .set("supports_class_b", supportsClassB)
          .set("supports_class_c", supportsClassC)
          .set("root_keys.app_key.key", key("--app-key", appKey))
          .set("root_keys.nwk_key.key", key("--nwk-key", nwkKey))
          .set("mac_settings.resets_f_cnt", resetsFCnt)
          .set("name", name).set("description", description);
      if (devAddr != null) {
        String a = Values.hex("--dev-addr", devAddr, 8);
        b.set("session.dev_addr", a);
        b.setId("ids.dev_addr", a);
      }
      b.set("session.keys.app_s_key.key", key("--app-s-key", appSKey))
          .set("session.keys.f_nwk_s_int_key.key", key(nwkSKey != null ? "--nwk-s-key" : "--f-nwk-s-int-key",
              nwkSKey != null ? nwkSKey : fNwkSIntKey))
          .set("session.keys.s_nwk_s_int_key.key", key("--s-nwk-s-int-key", sNwkSIntKey))
          .set("session.keys.nwk_s_enc_key.key", key("--nwk-s-enc-key", nwkSEncKey));
      return b;
    }

    private static String key(String flag, String v) {
      return v == null ? null : Values.hex(flag, v, 32);
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an end device (OTAA by default, --abp for ABP).")
  static final class Create extends ApiCommand {
    @CommandLine.Mixin DeviceId id;
    @CommandLine.Mixin Fields fields;

    @Override
    protected int run(ApiClient client) {
      if (fields.abp) {
        if (fields.devAddr == null) {
          throw new CliInputException("--dev-addr: expected a DevAddr for an ABP device, found none");
        }
      } else if (fields.supportsJoin == null) {
        fields.supportsJoin = true;
      }
      Body b = fields.body().setId("ids.application_ids.application_id", id.app()).setId("ids.device_id", id.dev());
      print(client.post("/api/v3/applications/" + ApiClient.encode(id.app()) + "/devices", b.forCreate()), null);
      return 0;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Get an end device.")
  static final class Get extends ApiCommand {
    @CommandLine.Mixin DeviceId id;

    @Option(names = "--field-mask", paramLabel = "PATHS",
        description = "Only these fields (comma-separated), e.g. root_keys,session.")
    String fieldMask;

    @Override
    protected int run(ApiClient client) {
      String q = fieldMask == null ? "" : "?field_mask=" + ApiClient.encode(fieldMask);
      print(client.get(id.path() + q), null);
      return 0;
    }
  }

  @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List the end devices of an application.")
  static final class ListDevices extends ApiCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<application-id>", description = "The application ID.")
    String appPositional;

    @Option(names = "--application-id", paramLabel = "ID", description = "The application ID.")
    String appOption;

    @Override
    protected int run(ApiClient client) {
      String app = Values.id("application-id", Body.either("--application-id", appPositional, appOption));
      print(client.get("/api/v3/applications/" + ApiClient.encode(app) + "/devices"), "end_devices");
      return 0;
    }
  }

  @Command(name = "update", aliases = "set", mixinStandardHelpOptions = true, description = "Update an end device.")
  static final class Update extends ApiCommand {
    @CommandLine.Mixin DeviceId id;
    @CommandLine.Mixin Fields fields;

    @Override
    protected int run(ApiClient client) {
      print(client.put(id.path(), fields.body().forUpdate()), null);
      return 0;
    }
  }

  @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true, description = "Delete an end device.")
  static final class Delete extends ApiCommand {
    @CommandLine.Mixin DeviceId id;

    @Override
    protected int run(ApiClient client) {
      print(client.delete(id.path()), null);
      return 0;
    }
  }

  /** {@code end-devices downlink push|replace|list}: the application server's downlink queue. */
  @Command(name = "downlink", aliases = "down", mixinStandardHelpOptions = true,
      description = "Manage the downlink queue of an end device (application server).",
      subcommands = {Push.class, Replace.class, ListDownlinks.class})
  static final class Downlink implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }

  /** One downlink's flags. */
  static final class DownlinkFields {
    @Option(names = "--f-port", required = true, paramLabel = "1..223", description = "FPort.")
    int fPort;

    @Option(names = "--frm-payload", defaultValue = "", paramLabel = "HEX", description = "Plaintext FRMPayload (hex).")
    String frmPayload;

    @Option(names = "--confirmed", description = "Confirmed downlink.")
    boolean confirmed;

    @Option(names = "--priority", defaultValue = "NORMAL", paramLabel = "PRIORITY",
        description = "LOWEST, LOW, BELOW_NORMAL, NORMAL (default), ABOVE_NORMAL, HIGH, HIGHEST.")
    String priority;

    ObjectNode body() {
      if (fPort < 1 || fPort > 223) {
        throw new CliInputException("--f-port: expected 1..223, found " + fPort);
      }
      String p = priority.trim().toUpperCase(Locale.ROOT);
      if (!p.matches("LOWEST|LOW|BELOW_NORMAL|NORMAL|ABOVE_NORMAL|HIGH|HIGHEST")) {
        throw new CliInputException("--priority: expected LOWEST, LOW, BELOW_NORMAL, NORMAL, ABOVE_NORMAL, HIGH "
            + "or HIGHEST, found '" + priority + "'");
      }
      String hex = Values.payloadHex("--frm-payload", frmPayload, MAX_FRM_PAYLOAD);
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      ArrayNode downlinks = root.putArray("downlinks");
      ObjectNode d = downlinks.addObject();
      d.put("f_port", fPort);
      d.put("frm_payload", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex)));
      if (confirmed) {
        d.put("confirmed", true);
      }
      d.put("priority", p);
      return root;
    }
  }

  @Command(name = "push", mixinStandardHelpOptions = true, description = "Append a downlink to the queue.")
  static final class Push extends ApiCommand {
    @CommandLine.Mixin DeviceId id;
    @CommandLine.Mixin DownlinkFields fields;

    @Override
    protected int run(ApiClient client) {
      print(client.post(id.asPath() + "/down/push", fields.body()), null);
      return 0;
    }
  }

  @Command(name = "replace", mixinStandardHelpOptions = true, description = "Replace the queue with one downlink.")
  static final class Replace extends ApiCommand {
    @CommandLine.Mixin DeviceId id;
    @CommandLine.Mixin DownlinkFields fields;

    @Override
    protected int run(ApiClient client) {
      print(client.post(id.asPath() + "/down/replace", fields.body()), null);
      return 0;
    }
  }

  @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List the downlink queue.")
  static final class ListDownlinks extends ApiCommand {
    @CommandLine.Mixin DeviceId id;

    @Override
    protected int run(ApiClient client) {
      print(client.get(id.asPath() + "/down"), "downlinks");
      return 0;
    }
  }
}
