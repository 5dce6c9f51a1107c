package dev.loralab.cli.stack;

import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.Gateway;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.MACSettings;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.PHYVersion;
import dev.loralab.api.v3.RootKeys;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.api.v3.UserIdentifiers;
import dev.loralab.identityserver.IdentityServer;
import java.io.PrintWriter;
import java.util.List;

/**
 * The {@code --demo} entities: application {@code demo-app}, gateway {@code demo-gw} and a few
 * OTAA and ABP devices, created through the in-process registries when missing (idempotent).
 */
public final class Demo {

  /** The demo application ID. */
  public static final String APPLICATION_ID = "demo-app";
  /** The demo gateway ID. */
  public static final String GATEWAY_ID = "demo-gw";
  /** The demo gateway EUI. */
  public static final String GATEWAY_EUI = "B827EBFFFE8DB887";
  /** The frequency plan of the demo. */
  public static final String FREQUENCY_PLAN = "EU_863_870";

  /** A demo device (test keys only: never use them on a real network). */
  public record DemoDevice(String deviceId, String devEui, String joinEui, String appKey, String devAddr,
      String nwkSKey, String appSKey) {
    /** Whether this device joins (OTAA) rather than having a session (ABP). */
    public boolean otaa() {
      return devAddr == null;
    }
  }

  /** The demo devices: two OTAA (LoRaWAN 1.0.3) and one ABP. */
  public static final List<DemoDevice> DEVICES = List.of(
      new DemoDevice("demo-otaa-1", "70B3D57ED0000001", "70B3D57ED0000000", "2B7E151628AED2A6ABF7158809CF4F3C",
          null, null, null),
      new DemoDevice("demo-otaa-2", "70B3D57ED0000002", "70B3D57ED0000000", "2B7E151628AED2A6ABF7158809CF4F3D",
          null, null, null),
      new DemoDevice("demo-abp-1", "70B3D57ED0000003", "70B3D57ED0000000", null, "260B0001",
          "3C4FCF098815F7ABA6D2AE2816157E2B", "A6D2AE2816157E2B3C4FCF098815F7AB"));

  private Demo() {
  }

  /** Registers the demo entities (idempotently) and prints how to watch them. */
  static void run(Stack stack, PrintWriter out) {
    register(stack.identityServer());
    out.println();
    out.println("Demo: application " + APPLICATION_ID + ", gateway " + GATEWAY_ID + " (EUI " + GATEWAY_EUI + ", "
        + FREQUENCY_PLAN + "), devices " + DEVICES.stream().map(DemoDevice::deviceId).toList());
    boolean simulated = DemoSimulation.start(stack, out);
    if (!simulated) {
      out.println("  Note: the simulator is not part of this build yet; point a packet forwarder or "
          + "`loralab simulate` at 127.0.0.1:" + Math.max(stack.udpPort(), stack.config().udp().port()) + ".");
    }
    out.println("  Console:      http://localhost:" + stack.httpPort() + "/console/");
    out.println("  Event stream: curl -N -X POST http://localhost:" + stack.httpPort() + "/api/v3/events"
        + " -H \"Authorization: Bearer $(cat " + stack.config().data().dir() + "/admin-api-key)\""
        + " -H \"Accept: text/event-stream\""
        + " --data '{\"identifiers\":[{\"application_ids\":{\"application_id\":\"" + APPLICATION_ID + "\"}},"
        + "{\"gateway_ids\":{\"gateway_id\":\"" + GATEWAY_ID + "\"}}]}'");
    out.flush();
  }

  /** Creates the demo application, gateway and devices that do not exist yet. */
  public static void register(IdentityServer is) {
    UserIdentifiers admin = UserIdentifiers.newBuilder().setUserId("admin").build();
    if (is.applications().get(APPLICATION_ID).isEmpty()) {
      is.applications().create(Application.newBuilder()
          .setIds(ApplicationIdentifiers.newBuilder().setApplicationId(APPLICATION_ID))
          .setName("Demo application").build(), admin);
    }
    if (is.gateways().get(GATEWAY_ID).isEmpty()) {
      is.gateways().create(Gateway.newBuilder()
          .setIds(GatewayIdentifiers.newBuilder().setGatewayId(GATEWAY_ID).setEui(GATEWAY_EUI))
          .setName("Demo gateway")
          .setFrequencyPlanId(FREQUENCY_PLAN).addFrequencyPlanIds(FREQUENCY_PLAN)
          .setEnforceDutyCycle(true).build(), admin);
    }
    ApplicationIdentifiers app = ApplicationIdentifiers.newBuilder().setApplicationId(APPLICATION_ID).build();
    for (DemoDevice d : DEVICES) {
      EndDeviceIdentifiers.Builder ids = EndDeviceIdentifiers.newBuilder().setApplicationIds(app)
          .setDeviceId(d.deviceId()).setDevEui(d.devEui()).setJoinEui(d.joinEui());
      if (is.endDevices().get(ids.build()).isPresent()) {
        continue;
      }
      EndDevice.Builder b = EndDevice.newBuilder()
          .setName(d.deviceId())
          .setLorawanVersion(MACVersion.MAC_V1_0_3)
          .setLorawanPhyVersion(PHYVersion.RP001_V1_0_3_REV_A)
          .setFrequencyPlanId(FREQUENCY_PLAN)
          .setSimulated(true);
      if (d.otaa()) {
        b.setSupportsJoin(true)
            .setRootKeys(RootKeys.newBuilder().setAppKey(KeyEnvelope.newBuilder().setKey(d.appKey())));
      } else {
        ids.setDevAddr(d.devAddr());
        b.setSupportsJoin(false)
            .setMacSettings(MACSettings.newBuilder().setResetsFCnt(true))
            .setSession(Session.newBuilder().setDevAddr(d.devAddr()).setKeys(SessionKeys.newBuilder()
                .setFNwkSIntKey(KeyEnvelope.newBuilder().setKey(d.nwkSKey()))
                .setSNwkSIntKey(KeyEnvelope.newBuilder().setKey(d.nwkSKey()))
                .setNwkSEncKey(KeyEnvelope.newBuilder().setKey(d.nwkSKey()))
                .setAppSKey(KeyEnvelope.newBuilder().setKey(d.appSKey()))));
      }
      is.endDevices().create(b.setIds(ids).build());
    }
  }
}
