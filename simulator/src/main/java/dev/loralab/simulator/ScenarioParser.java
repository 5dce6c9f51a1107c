package dev.loralab.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loralab.frequencyplans.Band;
import dev.loralab.frequencyplans.Bands;
import dev.loralab.frequencyplans.FrequencyPlanException;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.simulator.device.Activation;
import dev.loralab.simulator.device.CayennePayload;
import dev.loralab.simulator.device.DeviceClass;
import dev.loralab.simulator.device.ScriptPayload;
import dev.loralab.simulator.radio.Position;
import dev.loralab.simulator.radio.RadioParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads scenarios from YAML. Every problem is reported as a {@link ScenarioException} naming the
 * file and the field; unknown keys are rejected so that typos do not pass silently. See
 * {@code simulator/scenarios/} for examples.
 */
public final class ScenarioParser {

  /** Default size limit of a scenario file. */
  public static final int DEFAULT_MAX_BYTES = 1 << 20;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
  private static final Set<String> TOP = Set.of("name", "seed", "duration", "network-server", "frequency-plan",
      "origin", "radio", "gateways", "devices");

  private final int maxBytes;
  private final FrequencyPlanStore plans;

  /**
   * @param maxBytes files larger than this are rejected before parsing
   * @param plans resolves frequency-plan IDs
   */
  public ScenarioParser(int maxBytes, FrequencyPlanStore plans) {
    this.maxBytes = maxBytes;
    this.plans = plans;
  }

  /** A parser with the built-in frequency plans and a 1 MiB limit. */
  public ScenarioParser() {
    this(DEFAULT_MAX_BYTES, FrequencyPlanStore.builtIn());
  }

  /** Reads a scenario file. */
  public Scenario parse(Path file) {
    String name = file.toString();
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > maxBytes) {
        throw new ScenarioException(name, "file", "at most " + maxBytes + " bytes", size + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ScenarioException(name, "file", "a readable file", e.getClass().getSimpleName() + " " + e.getMessage());
    }
    return parse(name, new String(bytes, StandardCharsets.UTF_8));
  }

  /** Names of the example scenarios packaged with the simulator. */
  public static final List<String> BUILT_IN = List.of("demo-eu868", "city-eu868", "load");

  /**
   * Reads one of the packaged example scenarios ({@link #BUILT_IN}), e.g. {@code demo-eu868}.
   *
   * @throws ScenarioException if there is no such scenario
   */
  public Scenario parseBuiltIn(String name) {
    String n = name.endsWith(".yaml") ? name.substring(0, name.length() - 5) : name;
    if (!BUILT_IN.contains(n)) {
      throw new ScenarioException(name, "file", "a scenario file or one of " + BUILT_IN, "\"" + name + "\"");
    }
    try (var in = ScenarioParser.class.getResourceAsStream("scenarios/" + n + ".yaml")) {
      if (in == null) {
        throw new ScenarioException(n, "file", "a packaged scenario", "nothing on the classpath");
      }
      return parse(n + ".yaml", new String(in.readNBytes(maxBytes + 1), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ScenarioException(n, "file", "a readable packaged scenario", e.getMessage());
    }
  }

  /** Reads a scenario from text; {@code fileName} labels errors. */
  public Scenario parse(String fileName, String yaml) {
    if (yaml.length() > maxBytes) {
      throw new ScenarioException(fileName, "file", "at most " + maxBytes + " bytes", yaml.length() + " characters");
    }
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      String msg = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw new ScenarioException(fileName, "file", "valid YAML", msg);
    }
    return new Reader(fileName).scenario(root);
  }

  /** Band of a frequency-plan or band ID. */
  Band band(String id) {
    try {
      return plans.get(id).band();
    } catch (FrequencyPlanException e) {
      if (Bands.exists(id)) {
        return Bands.byId(id);
      }
      throw e;
    }
  }

  private final class Reader {
    private final String file;

    Reader(String file) {
      this.file = file;
    }

    Scenario scenario(JsonNode root) {
      if (root == null || !root.isObject()) {
        throw fail("(root)", "a mapping", root);
      }
      keys(root, "", TOP);
      String name = text(root, "", "name", Optional.of("scenario"));
      long seed = root.has("seed") ? integer(root, "", "seed", Long.MIN_VALUE, Long.MAX_VALUE) : 1;
      Duration duration = duration(root, "", "duration", Optional.of(Duration.ofMinutes(10)));
      if (duration.isZero()) {
        throw fail("duration", "a positive duration", root.get("duration"));
      }
      String server = text(root, "", "network-server", Optional.of("127.0.0.1:1700"));
      if (!server.matches("[^:\\s]+:\\d{1,5}")) {
        throw fail("network-server", "host:port", root.get("network-server"));
      }
      String plan = text(root, "", "frequency-plan", Optional.of("EU_863_870"));
      checkPlan("frequency-plan", plan);
      Scenario.Origin origin = new Scenario.Origin(0, 0);
      if (root.has("origin")) {
        JsonNode o = object(root, "", "origin");
        keys(o, "origin.", Set.of("latitude", "longitude"));
        double lat = number(o, "origin.", "latitude", -90, 90, Optional.empty());
        double lon = number(o, "origin.", "longitude", -180, 180, Optional.empty());
        origin = new Scenario.Origin(lat, lon);
      }
      RadioParameters radio = radio(root);
      List<Scenario.GatewaySpec> gateways = new ArrayList<>();
      JsonNode gws = array(root, "", "gateways");
      for (int i = 0; i < gws.size(); i++) {
        gateways.add(gateway(gws.get(i), "gateways[" + i + "].", i, seed, plan));
      }
      if (gateways.isEmpty()) {
        throw fail("gateways", "at least one gateway", gws);
      }
      java.util.Set<Long> gatewayEuis = new java.util.HashSet<>();
      java.util.Set<String> gatewayIds = new java.util.HashSet<>();
      for (int i = 0; i < gateways.size(); i++) {
        if (!gatewayEuis.add(gateways.get(i).eui().value())) {
          throw fail("gateways[" + i + "].eui", "an EUI no other gateway has", gateways.get(i).eui().toString());
        }
        if (!gatewayIds.add(gateways.get(i).id())) {
          throw fail("gateways[" + i + "].id", "an ID no other gateway has", gateways.get(i).id());
        }
      }
      List<Scenario.DeviceGroup> groups = new ArrayList<>();
      JsonNode devs = array(root, "", "devices");
      java.util.Set<String> names = new java.util.HashSet<>();
      java.util.List<long[]> euiRanges = new ArrayList<>();
      java.util.List<long[]> addrRanges = new ArrayList<>();
      for (int i = 0; i < devs.size(); i++) {
        Scenario.DeviceGroup g = group(devs.get(i), "devices[" + i + "].", i, seed, plan);
        String p = "devices[" + i + "].";
        if (!names.add(g.name())) {
          throw fail(p + "name", "a name no other group has", g.name());
        }
        if (overlaps(euiRanges, g.firstDevEui().value(), g.count())) {
          throw fail(p + "dev-eui-start", "DevEUIs that do not overlap another group's", g.firstDevEui().toString());
        }
        if (g.activation() == Activation.ABP
            && overlaps(addrRanges, g.firstDevAddr().value() & 0xFFFF_FFFFL, g.count())) {
          throw fail(p + "dev-addr-start", "DevAddrs that do not overlap another group's", g.firstDevAddr().toString());
        }
        groups.add(g);
      }
      return new Scenario(name, seed, duration, server, origin, radio, gateways, groups);
    }

    private RadioParameters radio(JsonNode root) {
      RadioParameters d = RadioParameters.defaults();
      if (!root.has("radio")) {
        return d;
      }
      JsonNode r = object(root, "", "radio");
      String p = "radio.";
      keys(r, p, Set.of("path-loss-exponent", "reference-distance-m", "reference-loss-db", "shadowing-sigma-db",
          "fading-sigma-db", "noise-figure-db", "capture", "capture-threshold-db", "gateway-antenna-gain-dbi",
          "device-antenna-gain-dbi"));
      return new RadioParameters(
          number(r, p, "path-loss-exponent", 0.1, 10, Optional.of(d.pathLossExponent())),
          number(r, p, "reference-distance-m", 0.001, 100_000, Optional.of(d.referenceDistanceM())),
          number(r, p, "reference-loss-db", 0, 300, Optional.of(d.referenceLossDb())),
          number(r, p, "shadowing-sigma-db", 0, 30, Optional.of(d.shadowingSigmaDb())),
          number(r, p, "fading-sigma-db", 0, 30, Optional.of(d.fadingSigmaDb())),
          number(r, p, "noise-figure-db", 0, 30, Optional.of(d.noiseFigureDb())),
          bool(r, p, "capture", d.captureEnabled()),
          number(r, p, "capture-threshold-db", 0, 50, Optional.of(d.captureThresholdDb())),
          number(r, p, "gateway-antenna-gain-dbi", -20, 30, Optional.of(d.gatewayAntennaGainDbi())),
          number(r, p, "device-antenna-gain-dbi", -20, 30, Optional.of(d.deviceAntennaGainDbi())));
    }

    private boolean overlaps(List<long[]> ranges, long first, int count) {
      long last = first + Math.max(count, 1) - 1;
      for (long[] r : ranges) {
        if (first <= r[1] && r[0] <= last) {
          return true;
        }
      }
      ranges.add(new long[] {first, last});
      return false;
    }

    private Scenario.GatewaySpec gateway(JsonNode g, String p, int index, long seed, String defaultPlan) {
      if (!g.isObject()) {
        throw fail(p.substring(0, p.length() - 1), "a mapping", g);
      }
      keys(g, p, Set.of("id", "eui", "position", "frequency-plan", "protocol-version"));
      Eui64 eui = g.has("eui") ? eui(g, p, "eui")
          : new Eui64(0x0080_00A0_0000_0000L | ((seed & 0xFFFFL) << 12) | (index + 1));
      String id = text(g, p, "id", Optional.of("sim-gw-" + eui.toString().toLowerCase(Locale.ROOT)));
      if (!id.matches("[a-z0-9](?:[-]?[a-z0-9]){1,35}")) {
        throw fail(p + "id", "a lowercase ID of 2..36 letters, digits and dashes", g.get("id"));
      }
      String plan = text(g, p, "frequency-plan", Optional.of(defaultPlan));
      checkPlan(p + "frequency-plan", plan);
      int version = (int) (g.has("protocol-version") ? integer(g, p, "protocol-version", 1, 2) : 2);
      return new Scenario.GatewaySpec(id, eui, position(g, p, "position", Optional.of(Position.ORIGIN)), plan, version);
    }

    private Scenario.DeviceGroup group(JsonNode g, String p, int index, long seed, String defaultPlan) {
      if (!g.isObject()) {
        throw fail(p.substring(0, p.length() - 1), "a mapping", g);
      }
      keys(g, p, Set.of("name", "count", "activation", "lorawan-version", "class", "frequency-plan", "dev-eui-start",
          "join-eui", "app-key", "dev-addr-start", "placement", "uplink", "payload", "data-rate", "adr", "battery",
          "link-check-every", "device-time"));
      String name = text(g, p, "name", Optional.of("group" + (index + 1)));
      if (!name.matches("[a-z0-9](?:[-]?[a-z0-9]){0,15}")) {
        throw fail(p + "name", "a lowercase name of letters, digits and dashes (at most 16)", g.get("name"));
      }
      int count = (int) (g.has("count") ? integer(g, p, "count", 0, 1_000_000) : 1);
      String act = text(g, p, "activation", Optional.of("otaa")).toLowerCase(Locale.ROOT);
      Activation activation = switch (act) {
        case "otaa" -> Activation.OTAA;
        case "abp" -> Activation.ABP;
        default -> throw fail(p + "activation", "otaa or abp", g.get("activation"));
      };
      MacVersion version;
      try {
        version = MacVersion.parse(text(g, p, "lorawan-version", Optional.of("1.0.3")));
      } catch (LoRaWanException e) {
        throw fail(p + "lorawan-version", "1.0, 1.0.1, 1.0.2, 1.0.3, 1.0.4 or 1.1", g.get("lorawan-version"));
      }
      String cls = text(g, p, "class", Optional.of("A")).toUpperCase(Locale.ROOT);
      DeviceClass deviceClass = switch (cls) {
        case "A" -> DeviceClass.A;
        case "C" -> DeviceClass.C;
        default -> throw fail(p + "class", "A or C", g.get("class"));
      };
      String plan = text(g, p, "frequency-plan", Optional.of(defaultPlan));
      Band band = checkPlan(p + "frequency-plan", plan);
      Eui64 firstDevEui = g.has("dev-eui-start") ? eui(g, p, "dev-eui-start")
          : new Eui64(0x70B3_D57E_D000_0000L | ((seed & 0xFFFL) << 20) | ((long) (index & 0xFF) << 12));
      Eui64 joinEui = g.has("join-eui") ? eui(g, p, "join-eui") : new Eui64(0);
      Optional<AesKey> appKey = Optional.empty();
      if (g.has("app-key")) {
        try {
          appKey = Optional.of(AesKey.parse(text(g, p, "app-key", Optional.empty())));
        } catch (LoRaWanException e) {
          throw fail(p + "app-key", "32 hex digits", g.get("app-key"));
        }
      }
      DevAddr firstDevAddr;
      try {
        firstDevAddr = g.has("dev-addr-start") ? DevAddr.parse(text(g, p, "dev-addr-start", Optional.empty()))
            : new DevAddr(0x260B_0000 | ((int) (seed & 0xF) << 12) | ((index & 0xF) << 8));
      } catch (LoRaWanException e) {
        throw fail(p + "dev-addr-start", "8 hex digits", g.get("dev-addr-start"));
      }
      Scenario.Placement placement = placement(g, p);
      Scenario.UplinkSpec uplink = uplink(g, p);
      Scenario.PayloadSpec payload = payload(g, p);
      int defaultDr = band.uplinkChannels().isEmpty() ? 0 : band.uplinkChannels().get(0).maxDataRate();
      int dr = (int) (g.has("data-rate") ? integer(g, p, "data-rate", 0, 15) : defaultDr);
      if (!band.dataRates().containsKey(dr)
          || band.dataRate(dr).modulation() != dev.loralab.frequencyplans.DataRate.Modulation.LORA) {
        throw fail(p + "data-rate", "a LoRa data rate of " + band.id(), g.get("data-rate"));
      }
      return new Scenario.DeviceGroup(name, count, activation, version, deviceClass, plan, firstDevEui, joinEui,
          appKey, firstDevAddr, placement, uplink, payload, dr, bool(g, p, "adr", true),
          (int) (g.has("battery") ? integer(g, p, "battery", 0, 255) : 254),
          (int) (g.has("link-check-every") ? integer(g, p, "link-check-every", 0, 1_000_000) : 0),
          bool(g, p, "device-time", false));
    }

    private Scenario.Placement placement(JsonNode g, String p) {
      if (!g.has("placement")) {
        return new Scenario.Placement.Disc(Position.ORIGIN, 1000);
      }
      JsonNode pl = object(g, p, "placement");
      String q = p + "placement.";
      String type = text(pl, q, "type", Optional.empty());
      switch (type) {
        case "points" -> {
          keys(pl, q, Set.of("type", "points"));
          JsonNode pts = array(pl, q, "points");
          List<Position> list = new ArrayList<>();
          for (int i = 0; i < pts.size(); i++) {
            list.add(position(pts.get(i), q + "points[" + i + "]"));
          }
          if (list.isEmpty()) {
            throw fail(q + "points", "at least one point", pts);
          }
          return new Scenario.Placement.Points(list);
        }
        case "disc" -> {
          keys(pl, q, Set.of("type", "center", "radius"));
          return new Scenario.Placement.Disc(position(pl, q, "center", Optional.of(Position.ORIGIN)),
              number(pl, q, "radius", 0, 1_000_000, Optional.empty()));
        }
        case "grid" -> {
          keys(pl, q, Set.of("type", "origin", "spacing", "columns"));
          return new Scenario.Placement.Grid(position(pl, q, "origin", Optional.of(Position.ORIGIN)),
              number(pl, q, "spacing", 0.001, 1_000_000, Optional.empty()), (int) integer(pl, q, "columns", 1, 100_000));
        }
        default -> throw fail(q + "type", "points, disc or grid", pl.get("type"));
      }
    }

    private Scenario.UplinkSpec uplink(JsonNode g, String p) {
      if (!g.has("uplink")) {
        return new Scenario.UplinkSpec(Duration.ofMinutes(1), Duration.ZERO, false, false, 1);
      }
      JsonNode u = object(g, p, "uplink");
      String q = p + "uplink.";
      keys(u, q, Set.of("interval", "jitter", "mode", "confirmed", "fport"));
      Duration interval = duration(u, q, "interval", Optional.of(Duration.ofMinutes(1)));
      if (interval.toMillis() < 1) {
        throw fail(q + "interval", "at least 1ms", u.get("interval"));
      }
      Duration jitter = duration(u, q, "jitter", Optional.of(Duration.ZERO));
      if (jitter.compareTo(interval) >= 0) {
        throw fail(q + "jitter", "less than the interval " + interval, u.get("jitter"));
      }
      String mode = text(u, q, "mode", Optional.of("periodic"));
      if (!mode.equals("periodic") && !mode.equals("poisson")) {
        throw fail(q + "mode", "periodic or poisson", u.get("mode"));
      }
      return new Scenario.UplinkSpec(interval, jitter, mode.equals("poisson"), bool(u, q, "confirmed", false),
          (int) (u.has("fport") ? integer(u, q, "fport", 1, 223) : 1));
    }

    private Scenario.PayloadSpec payload(JsonNode g, String p) {
      if (!g.has("payload")) {
        return new Scenario.PayloadSpec.Random(4, 12);
      }
      JsonNode pl = object(g, p, "payload");
      String q = p + "payload.";
      String type = text(pl, q, "type", Optional.empty());
      switch (type) {
        case "fixed" -> {
          keys(pl, q, Set.of("type", "hex"));
          try {
            Bytes b = Bytes.parse(text(pl, q, "hex", Optional.empty()));
            if (b.length() > 242) {
              throw fail(q + "hex", "at most 242 bytes", pl.get("hex"));
            }
            return new Scenario.PayloadSpec.Fixed(b);
          } catch (LoRaWanException e) {
            throw fail(q + "hex", "hex digits", pl.get("hex"));
          }
        }
        case "random" -> {
          keys(pl, q, Set.of("type", "min-size", "max-size"));
          int min = (int) (pl.has("min-size") ? integer(pl, q, "min-size", 0, 242) : 4);
          int max = (int) (pl.has("max-size") ? integer(pl, q, "max-size", 0, 242) : Math.max(min, 12));
          if (max < min) {
            throw fail(q + "max-size", "at least min-size " + min, pl.get("max-size"));
          }
          return new Scenario.PayloadSpec.Random(min, max);
        }
        case "cayenne" -> {
          keys(pl, q, Set.of("type", "sensors"));
          JsonNode s = array(pl, q, "sensors");
          List<CayennePayload.Sensor> sensors = new ArrayList<>();
          for (int i = 0; i < s.size(); i++) {
            String v = s.get(i).asText("").toUpperCase(Locale.ROOT);
            try {
              sensors.add(CayennePayload.Sensor.valueOf(v));
            } catch (IllegalArgumentException e) {
              throw fail(q + "sensors[" + i + "]", "temperature, humidity, pressure, illuminance, battery or gps",
                  s.get(i));
            }
          }
          if (sensors.isEmpty() || sensors.size() > 20) {
            throw fail(q + "sensors", "1..20 sensors", s);
          }
          return new Scenario.PayloadSpec.Cayenne(sensors);
        }
        case "script" -> {
          keys(pl, q, Set.of("type", "script"));
          String script = text(pl, q, "script", Optional.empty());
          try {
            new ScriptPayload(script);
          } catch (IllegalArgumentException e) {
            throw fail(q + "script", "a valid payload script", e.getMessage());
          }
          return new Scenario.PayloadSpec.Script(script);
        }
        default -> throw fail(q + "type", "fixed, random, cayenne or script", pl.get("type"));
      }
    }

    private Band checkPlan(String field, String id) {
      try {
        return band(id);
      } catch (FrequencyPlanException e) {
        throw new ScenarioException(file, field, "a known frequency plan or band ID", "\"" + id + "\"");
      }
    }

    // ---------------------------------------------------------------- scalar readers

    private void keys(JsonNode o, String p, Set<String> allowed) {
      for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!allowed.contains(k)) {
          throw new ScenarioException(file, p + k, "one of " + new java.util.TreeSet<>(allowed), "unknown key \"" + k + "\"");
        }
      }
    }

    private JsonNode object(JsonNode o, String p, String name) {
      JsonNode n = o.get(name);
      if (n == null || !n.isObject()) {
        throw fail(p + name, "a mapping", n);
      }
      return n;
    }

    private JsonNode array(JsonNode o, String p, String name) {
      JsonNode n = o.get(name);
      if (n == null || !n.isArray()) {
        throw fail(p + name, "a list", n);
      }
      return n;
    }

    private String text(JsonNode o, String p, String name, Optional<String> dflt) {
      JsonNode n = o.get(name);
      if (n == null || n.isNull()) {
        return dflt.orElseThrow(() -> fail(p + name, "a value", (JsonNode) null));
      }
      if (!n.isValueNode() || n.isBoolean()) {
        throw fail(p + name, "a string", n);
      }
      return n.asText();
    }

    private long integer(JsonNode o, String p, String name, long min, long max) {
      JsonNode n = o.get(name);
      if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
        throw fail(p + name, "an integer " + min + ".." + max, n);
      }
      long v = n.asLong();
      if (v < min || v > max) {
        throw fail(p + name, "an integer " + min + ".." + max, n);
      }
      return v;
    }

    private double number(JsonNode o, String p, String name, double min, double max, Optional<Double> dflt) {
      JsonNode n = o.get(name);
      if (n == null || n.isNull()) {
        return dflt.orElseThrow(() -> fail(p + name, "a number " + min + ".." + max, (JsonNode) null));
      }
      if (!n.isNumber() || !(n.asDouble() >= min && n.asDouble() <= max)) {
        throw fail(p + name, "a number " + min + ".." + max, n);
      }
      return n.asDouble();
    }

    private boolean bool(JsonNode o, String p, String name, boolean dflt) {
      JsonNode n = o.get(name);
      if (n == null || n.isNull()) {
        return dflt;
      }
      if (!n.isBoolean()) {
        throw fail(p + name, "true or false", n);
      }
      return n.asBoolean();
    }

    private Eui64 eui(JsonNode o, String p, String name) {
      try {
        return Eui64.parse(text(o, p, name, Optional.empty()).replace(":", "").replace("-", ""));
      } catch (LoRaWanException e) {
        throw fail(p + name, "an EUI of 16 hex digits", o.get(name));
      }
    }

    private Position position(JsonNode o, String p, String name, Optional<Position> dflt) {
      JsonNode n = o.get(name);
      if (n == null || n.isNull()) {
        return dflt.orElseThrow(() -> fail(p + name, "a position [x, y] in metres", (JsonNode) null));
      }
      return position(n, p + name);
    }

    private Position position(JsonNode n, String field) {
      if (n.isArray() && n.size() == 2 && n.get(0).isNumber() && n.get(1).isNumber()
          && Double.isFinite(n.get(0).asDouble()) && Double.isFinite(n.get(1).asDouble())) {
        return new Position(n.get(0).asDouble(), n.get(1).asDouble());
      }
      if (n.isObject() && n.size() == 2 && n.path("x").isNumber() && n.path("y").isNumber()) {
        return new Position(n.get("x").asDouble(), n.get("y").asDouble());
      }
      throw fail(field, "a position [x, y] or {x: .., y: ..} in metres", n);
    }

    private Duration duration(JsonNode o, String p, String name, Optional<Duration> dflt) {
      JsonNode n = o.get(name);
      if (n == null || n.isNull()) {
        return dflt.orElseThrow(() -> fail(p + name, "a duration such as 30s, 10m or 1h", (JsonNode) null));
      }
      Optional<Duration> d = parseDuration(n);
      if (d.isEmpty() || d.get().isNegative() || d.get().compareTo(Duration.ofDays(365)) > 0) {
        throw fail(p + name, "a duration such as 30s, 10m, 1h30m or a number of seconds", n);
      }
      return d.get();
    }

    private ScenarioException fail(String field, String expected, JsonNode found) {
      String f = found == null || found.isMissingNode() ? "nothing" : found.isTextual() ? "\"" + found.asText() + "\""
          : found.toString();
      if (f.length() > 60) {
        f = f.substring(0, 60) + "...";
      }
      return new ScenarioException(file, field, expected, f);
    }

    private ScenarioException fail(String field, String expected, String found) {
      return new ScenarioException(file, field, expected, found);
    }
  }

  /** Parses {@code 30s}, {@code 1h30m}, {@code 500ms}, ISO-8601 {@code PT30S} or a number of seconds. */
  static Optional<Duration> parseDuration(JsonNode n) {
    if (n.isNumber()) {
      double s = n.asDouble();
      return s >= 0 && Double.isFinite(s) ? Optional.of(Duration.ofNanos((long) (s * 1e9))) : Optional.empty();
    }
    if (!n.isTextual()) {
      return Optional.empty();
    }
    return parseDuration(n.asText().trim());
  }

  /** Parses {@code 30s}, {@code 1h30m}, {@code 500ms} or ISO-8601 {@code PT30S}. */
  public static Optional<Duration> parseDuration(String s) {
    if (s.startsWith("P") || s.startsWith("p")) {
      try {
        return Optional.of(Duration.parse(s));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    Matcher m = GO_DURATION.matcher(s);
    int pos = 0;
    double nanos = 0;
    while (m.find() && m.start() == pos) {
      double v = Double.parseDouble(m.group(1));
      nanos += switch (m.group(2)) {
        case "ms" -> v * 1e6;
        case "s" -> v * 1e9;
        case "m" -> v * 60e9;
        default -> v * 3600e9;
      };
      pos = m.end();
    }
    if (pos == 0 || pos != s.length() || nanos > 1e18) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos((long) nanos));
  }
}
