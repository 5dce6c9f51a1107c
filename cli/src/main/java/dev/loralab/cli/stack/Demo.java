package dev.loralab.cli.stack;

import dev.loralab.api.ProtoJson;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.Gateway;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.UserIdentifiers;
import dev.loralab.identityserver.IdentityServer;
import dev.loralab.simulator.Provisioning;
import dev.loralab.simulator.Scenario;
import dev.loralab.simulator.ScenarioParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code --demo} setup: application {@code demo-app}, gateway {@code demo-gw} and the devices of
 * the built-in demo scenario (the simulator's {@code demo-eu868}), created through the in-process
 * registries when missing (idempotent), then simulated against the stack's UDP port.
 */
public final class Demo {

  /** The demo application ID. */
  public static final String APPLICATION_ID = "demo-app";
  /** The demo gateway ID. */
  public static final String GATEWAY_ID = "demo-gw";
  /** The scenario resource. */
  static final String SCENARIO = "demo-eu868.yaml";

  private Demo() {
  }

  /** The demo scenario (gateway {@code demo-gw}, EUI {@code B827EBFFFE8DB887}, EU868). */
  public static Scenario scenario() {
    try (InputStream in = Demo.class.getResourceAsStream(SCENARIO)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + SCENARIO);
      }
      return new ScenarioParser().parse(SCENARIO, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The device ID of a scenario device in {@code demo-app}. */
  public static String deviceId(Provisioning.Device d) {
    return Provisioning.deviceId(d);
  }

  /** Registers the demo entities (idempotently), starts the simulation and prints how to watch it. */
  static DemoSimulation run(Stack stack, PrintWriter out) {
    Scenario scenario = scenario();
    Provisioning p = Provisioning.of(scenario);
    register(stack.identityServer(), p);
    Scenario.GatewaySpec gw = p.gateways().get(0);
    List<String> ids = p.devices().stream().map(Demo::deviceId).toList();
    out.println();
    out.println("Demo: application " + APPLICATION_ID + ", gateway " + GATEWAY_ID + " (EUI " + gw.eui() + ", "
        + gw.frequencyPlan() + "), devices " + ids);
    DemoSimulation sim = DemoSimulation.start(scenario, "127.0.0.1:" + stack.udpPort());
    out.println("  Simulating " + ids.size() + " devices (an uplink every ~30 s each) against UDP 127.0.0.1:"
        + stack.udpPort());
    out.println("  Console:      http://localhost:" + stack.httpPort() + "/console/");
    out.println("  Event stream: curl -N -X POST http://localhost:" + stack.httpPort() + "/api/v3/events"
        + " -H \"Authorization: Bearer $(cat " + stack.config().data().dir() + "/admin-api-key)\""
        + " -H \"Accept: text/event-stream\""
        + " --data '{\"identifiers\":[{\"application_ids\":{\"application_id\":\"" + APPLICATION_ID + "\"}},"
        + "{\"gateway_ids\":{\"gateway_id\":\"" + GATEWAY_ID + "\"}}]}'");
    out.println("  Or:           loralab events subscribe --application-id " + APPLICATION_ID + " --gateway-id "
        + GATEWAY_ID + " --format table");
    out.flush();
    return sim;
  }

  /** Creates the demo application, gateway and devices that do not exist yet. */
  public static void register(IdentityServer is, Provisioning p) {
    UserIdentifiers admin = UserIdentifiers.newBuilder().setUserId("admin").build();
    if (is.applications().get(APPLICATION_ID).isEmpty()) {
      is.applications().create(Application.newBuilder()
          .setIds(ApplicationIdentifiers.newBuilder().setApplicationId(APPLICATION_ID))
          .setName("Demo application").build(), admin);
    }
    Scenario.GatewaySpec gw = p.gateways().get(0);
    if (is.gateways().get(GATEWAY_ID).isEmpty()) {
      is.gateways().create(Gateway.newBuilder()
          .setIds(GatewayIdentifiers.newBuilder().setGatewayId(GATEWAY_ID).setEui(gw.eui().toString()))
          .setName("Demo gateway")
          .setFrequencyPlanId(gw.frequencyPlan()).addFrequencyPlanIds(gw.frequencyPlan())
          .setEnforceDutyCycle(true).build(), admin);
    }
    ApplicationIdentifiers app = ApplicationIdentifiers.newBuilder().setApplicationId(APPLICATION_ID).build();
    for (Provisioning.Device d : p.devices()) {
      EndDevice.Builder b = ProtoJson.parse(p.deviceRequest(d).get("end_device").toString(), EndDevice.newBuilder());
      b.getIdsBuilder().setApplicationIds(app).setDeviceId(deviceId(d));
      if (b.hasSession()) {
        b.getIdsBuilder().setDevAddr(b.getSession().getDevAddr());
        b.getMacSettingsBuilder().setResetsFCnt(true);
      }
      b.setName(d.identity().name()).setSimulated(true);
      if (is.endDevices().get(b.getIds()).isEmpty()) {
        is.endDevices().create(b.build());
      }
    }
  }
}
