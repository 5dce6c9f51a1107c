package dev.loralab.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.crypto.SessionKeys11;
import dev.loralab.simulator.device.Activation;
import dev.loralab.simulator.device.DeviceClass;
import dev.loralab.simulator.device.DeviceIdentity;
import dev.loralab.simulator.radio.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The gateways and devices a scenario creates, with their identifiers, keys and positions, all
 * derived deterministically from the scenario and its seed: the same scenario and seed always
 * give the same devices, so they can be registered once and simulated many times.
 *
 * @param scenario the scenario
 * @param gateways the gateways
 * @param devices the devices, group by group
 */
public record Provisioning(Scenario scenario, List<Scenario.GatewaySpec> gateways, List<Device> devices) {

  /** Copies. */
  public Provisioning {
    gateways = List.copyOf(gateways);
    devices = List.copyOf(devices);
  }

  /**
   * A device of a group.
   *
   * @param identity identifiers and keys
   * @param group its group
   * @param position where it is
   * @param applicationId application to register it in
   */
  public record Device(DeviceIdentity identity, Scenario.DeviceGroup group, Position position, String applicationId) {}

  /** Derives the devices of a scenario. */
  public static Provisioning of(Scenario scenario) {
    List<Device> devices = new ArrayList<>();
    SplittableRandom placementRandom = new SplittableRandom(scenario.seed() ^ 0x1F2E3D4C5B6A7988L);
    String app = "sim-" + scenario.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-+|-+$", "");
    if (app.length() > 36) {
      app = app.substring(0, 36).replaceAll("-+$", "");
    }
    for (Scenario.DeviceGroup g : scenario.deviceGroups()) {
      SplittableRandom groupRandom = placementRandom.split();
      for (int i = 0; i < g.count(); i++) {
        Eui64 devEui = new Eui64(g.firstDevEui().value() + i);
        SplittableRandom keyRandom = new SplittableRandom(mix(scenario.seed(), devEui.value()));
        AesKey appKey = g.appKey().orElseGet(() -> randomKey(keyRandom));
        AesKey nwkKey = g.macVersion().is1_1() ? randomKey(keyRandom) : appKey;
        Optional<DevAddr> addr = Optional.empty();
        Optional<SessionKeys11> keys = Optional.empty();
        if (g.activation() == Activation.ABP) {
          addr = Optional.of(new DevAddr(g.firstDevAddr().value() + i));
          AesKey f = randomKey(keyRandom);
          AesKey a = randomKey(keyRandom);
          keys = Optional.of(g.macVersion().is1_1()
              ? new SessionKeys11(f, randomKey(keyRandom), randomKey(keyRandom), a)
              : new SessionKeys11(f, f, f, a));
        }
        String name = g.name() + "-" + String.format(Locale.ROOT, "%04d", i + 1);
        DeviceIdentity id = new DeviceIdentity(name, devEui, g.joinEui(), appKey, nwkKey, g.macVersion(),
            g.activation(), addr, keys);
        devices.add(new Device(id, g, place(g.placement(), i, groupRandom), app));
      }
    }
    return new Provisioning(scenario, scenario.gateways(), devices);
  }

  private static Position place(Scenario.Placement p, int i, SplittableRandom r) {
    if (p instanceof Scenario.Placement.Points pts) {
      return pts.points().get(i % pts.points().size());
    } else if (p instanceof Scenario.Placement.Disc d) {
      double radius = d.radiusM() * Math.sqrt(r.nextDouble());
      double angle = r.nextDouble() * 2 * Math.PI;
      return new Position(d.center().x() + radius * Math.cos(angle), d.center().y() + radius * Math.sin(angle));
    }
    Scenario.Placement.Grid g = (Scenario.Placement.Grid) p;
    return new Position(g.origin().x() + (i % g.columns()) * g.spacingM(),
        g.origin().y() + (i / g.columns()) * g.spacingM());
  }

  private static AesKey randomKey(SplittableRandom r) {
    byte[] k = new byte[AesKey.SIZE];
    r.nextBytes(k);
    return AesKey.of(k);
  }

  static long mix(long a, long b) {
    long h = a * 0x9E3779B97F4A7C15L ^ b;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return h;
  }

  /** The LoRaWAN version as The Things Stack's API names it, e.g. {@code MAC_V1_0_3}. */
  public static String apiMacVersion(MacVersion v) {
    return switch (v) {
      case V1_0 -> "MAC_V1_0";
      case V1_0_1 -> "MAC_V1_0_1";
      case V1_0_2 -> "MAC_V1_0_2";
      case V1_0_3 -> "MAC_V1_0_3";
      case V1_0_4 -> "MAC_V1_0_4";
      case V1_1 -> "MAC_V1_1";
    };
  }

  /** The regional-parameters version registered with a MAC version. */
  public static String apiPhyVersion(MacVersion v) {
    return switch (v) {
      case V1_0 -> "TS001_V1_0";
      case V1_0_1 -> "TS001_V1_0_1";
      case V1_0_2 -> "RP001_V1_0_2_REV_B";
      case V1_0_3 -> "RP001_V1_0_3_REV_A";
      case V1_0_4 -> "RP002_V1_0_4";
      case V1_1 -> "RP001_V1_1_REV_B";
    };
  }

  /** The API's gateway ID for a gateway. */
  public static String gatewayId(Scenario.GatewaySpec g) {
    return g.id();
  }

  /** The API's device ID for a device: its name and the low half of its DevEUI (at most 33 characters). */
  public static String deviceId(Device d) {
    String eui = d.identity().devEui().toString().toLowerCase(Locale.ROOT);
    return d.identity().name() + "-" + eui.substring(8);
  }

  /** The request body that creates a gateway through the LoRaLab / The Things Stack API. */
  public ObjectNode gatewayRequest(Scenario.GatewaySpec g) {
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode gw = body.putObject("gateway");
    ObjectNode ids = gw.putObject("ids");
    ids.put("gateway_id", gatewayId(g));
    ids.put("eui", g.eui().toString());
    gw.put("frequency_plan_id", g.frequencyPlan());
    return body;
  }

  /** The request body that creates a device through the LoRaLab / The Things Stack API. */
  public ObjectNode deviceRequest(Device d) {
    DeviceIdentity id = d.identity();
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode dev = body.putObject("end_device");
    ObjectNode ids = dev.putObject("ids");
    ids.put("device_id", deviceId(d));
    ids.putObject("application_ids").put("application_id", d.applicationId());
    ids.put("dev_eui", id.devEui().toString());
    ids.put("join_eui", id.joinEui().toString());
    dev.put("lorawan_version", apiMacVersion(id.macVersion()));
    dev.put("lorawan_phy_version", apiPhyVersion(id.macVersion()));
    dev.put("frequency_plan_id", d.group().frequencyPlan());
    dev.put("supports_class_c", d.group().deviceClass() == DeviceClass.C);
    if (id.activation() == Activation.OTAA) {
      dev.put("supports_join", true);
      ObjectNode root = dev.putObject("root_keys");
      root.putObject("app_key").put("key", id.appKey().toHex());
      root.putObject("nwk_key").put("key", id.nwkKey().toHex());
    } else {
      dev.put("supports_join", false);
      SessionKeys11 k = id.abpKeys().orElseThrow();
      ObjectNode session = dev.putObject("session");
      session.put("dev_addr", id.abpDevAddr().orElseThrow().toString());
      ObjectNode keys = session.putObject("keys");
      keys.putObject("app_s_key").put("key", k.appSKey().toHex());
      keys.putObject("f_nwk_s_int_key").put("key", k.fNwkSIntKey().toHex());
      if (id.macVersion().is1_1()) {
        keys.putObject("s_nwk_s_int_key").put("key", k.sNwkSIntKey().toHex());
        keys.putObject("nwk_s_enc_key").put("key", k.nwkSEncKey().toHex());
      }
    }
    return body;
  }

  /**
   * What to register in a network server that is not LoRaLab: a JSON document with the
   * application, gateways and devices with their keys, and {@code ttn-lw-cli} command hints.
   */
  public String registrationJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("application_id", devices.isEmpty() ? "" : devices.get(0).applicationId());
    ArrayNode gws = root.putArray("gateways");
    for (Scenario.GatewaySpec g : gateways) {
      gws.add(gatewayRequest(g).get("gateway"));
    }
    ArrayNode devs = root.putArray("devices");
    for (Device d : devices) {
      devs.add(deviceRequest(d).get("end_device"));
    }
    ArrayNode hints = root.putArray("ttn_lw_cli");
    if (!devices.isEmpty()) {
      hints.add("ttn-lw-cli applications create " + devices.get(0).applicationId() + " --user-id <user>");
    }
    for (Scenario.GatewaySpec g : gateways) {
      hints.add("ttn-lw-cli gateways create " + gatewayId(g) + " --user-id <user> --gateway-eui " + g.eui()
          + " --frequency-plan-id " + g.frequencyPlan());
    }
    for (Device d : devices) {
      DeviceIdentity id = d.identity();
      StringBuilder b = new StringBuilder("ttn-lw-cli end-devices create " + d.applicationId() + " " + deviceId(d)
          + " --dev-eui " + id.devEui() + " --join-eui " + id.joinEui() + " --lorawan-version "
          + apiMacVersion(id.macVersion()) + " --lorawan-phy-version " + apiPhyVersion(id.macVersion())
          + " --frequency-plan-id " + d.group().frequencyPlan());
      if (id.activation() == Activation.OTAA) {
        b.append(" --root-keys.app-key.key ").append(id.appKey().toHex());
        if (id.macVersion().is1_1()) {
          b.append(" --root-keys.nwk-key.key ").append(id.nwkKey().toHex());
        }
      } else {
        SessionKeys11 k = id.abpKeys().orElseThrow();
        b.append(" --abp --session.dev-addr ").append(id.abpDevAddr().orElseThrow())
            .append(" --session.keys.app-s-key.key ").append(k.appSKey().toHex())
            .append(" --session.keys.f-nwk-s-int-key.key ").append(k.fNwkSIntKey().toHex());
        if (id.macVersion().is1_1()) {
          b.append(" --session.keys.s-nwk-s-int-key.key ").append(k.sNwkSIntKey().toHex())
              .append(" --session.keys.nwk-s-enc-key.key ").append(k.nwkSEncKey().toHex());
        }
      }
      hints.add(b.toString());
    }
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
}
