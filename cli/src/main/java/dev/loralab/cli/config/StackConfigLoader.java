package dev.loralab.cli.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.loralab.cli.config.Setting.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the effective {@link StackConfig}: embedded defaults, then a YAML file, then environment
 * variables {@code LORALAB_<SECTION>_<KEY>}, then command-line flags; the last one wins.
 *
 * <p>The YAML file nests the dotted keys ({@code http: {port: 1885}}); keys may be written with
 * dashes or underscores. An unknown key or a bad value raises a {@link ConfigException} naming the
 * key and its source. Environment variables not naming a setting are ignored (the CLI's own
 * {@code LORALAB_API_KEY} and {@code LORALAB_API_URL} are not settings).
 */
public final class StackConfigLoader {

  /** The file read when no {@code --config} is given, if it exists in the working directory. */
  public static final String DEFAULT_FILE = "loralab.yml";
  /** Largest accepted configuration file. */
  public static final int MAX_FILE_BYTES = 1 << 20;

  private static final List<Setting> SETTINGS = List.of(
      new Setting("http.bind", Kind.HOST, c -> c.http().bind(), "HTTP API, console, /healthz and /metrics bind address"),
      new Setting("http.port", Kind.PORT, c -> c.http().port(), "HTTP port (0: ephemeral)"),
      new Setting("grpc.bind", Kind.HOST, c -> c.grpc().bind(), "gRPC API bind address"),
      new Setting("grpc.port", Kind.PORT, c -> c.grpc().port(), "gRPC port (0: ephemeral)"),
      new Setting("udp.bind", Kind.HOST, c -> c.udp().bind(), "Semtech UDP packet forwarder bind address"),
      new Setting("udp.port", Kind.PORT, c -> c.udp().port(), "Semtech UDP port (0: ephemeral)"),
      new Setting("data.dir", Kind.PATH, c -> c.data().dir(), "data directory (database, admin-api-key)"),
      new Setting("frequency-plans.dir", Kind.OPTIONAL_PATH, c -> c.frequencyPlans().dir(),
          "directory with more frequency plans (frequency-plans.yml), none by default"),
      new Setting("events.history-max-events", Kind.POSITIVE_INT, c -> c.events().historyMaxEvents(),
          "events kept per entity"),
      new Setting("events.history-max-age", Kind.DURATION, c -> c.events().historyMaxAge(),
          "age after which history events are dropped"),
      new Setting("events.subscriber-queue-size", Kind.POSITIVE_INT, c -> c.events().subscriberQueueSize(),
          "bounded event queue per stream subscriber"),
      new Setting("events.keepalive", Kind.DURATION, c -> c.events().keepalive(),
          "interval of SSE keepalive comments"),
      new Setting("events.delivery-linger", Kind.NON_NEGATIVE_DURATION, c -> c.events().deliveryLinger(),
          "how long a stream's event that finds its queue empty waits for others (batched writes; 0ms: at once)"),
      new Setting("identity-server.api-key-hash-iterations", Kind.POSITIVE_INT,
          c -> c.identityServer().apiKeyHashIterations(), "PBKDF2 iterations of API key hashes"),
      new Setting("identity-server.end-device-cache", Kind.POSITIVE_INT, c -> c.identityServer().endDeviceCache(),
          "parsed end devices kept in memory (~3 KB each; should cover the devices in flight)"),
      new Setting("identity-server.dev-addr-cache", Kind.POSITIVE_INT, c -> c.identityServer().devAddrCache(),
          "DevAddrs whose devices are kept in memory (data uplinks look up their DevAddr without the store)"),
      new Setting("identity-server.store-block-cache-mib", Kind.POSITIVE_INT,
          c -> c.identityServer().storeBlockCacheMib(),
          "MiB of the database's block cache (native memory, filled as read; ~0.5 KB per stored device)"),
      new Setting("gateway-server.auto-accept-unknown", Kind.BOOL, c -> c.gatewayServer().autoAcceptUnknown(),
          "accept traffic of unregistered gateways"),
      new Setting("gateway-server.default-frequency-plan", Kind.PLAN_ID,
          c -> c.gatewayServer().defaultFrequencyPlan(), "frequency plan of auto-accepted gateways"),
      new Setting("gateway-server.per-address-rate", Kind.POSITIVE_INT, c -> c.gatewayServer().perAddressRate(),
          "UDP datagrams per second accepted from one IP address (sustained)"),
      new Setting("gateway-server.per-address-burst", Kind.POSITIVE_INT, c -> c.gatewayServer().perAddressBurst(),
          "UDP datagrams accepted from one IP address in a burst"),
      new Setting("gateway-server.downlink-guard-margin", Kind.DURATION,
          c -> c.gatewayServer().downlinkGuardMargin(), "free airtime kept between two downlinks of a gateway"),
      new Setting("gateway-server.max-pending-datagrams", Kind.POSITIVE_INT,
          c -> c.gatewayServer().maxPendingDatagrams(),
          "datagrams read and not yet processed beyond which UDP reading pauses until half are done"),
      new Setting("network-server.net-id", Kind.NET_ID, c -> c.networkServer().netId(), "NetID (6 hex digits)"),
      new Setting("network-server.deduplication-window", Kind.DURATION,
          c -> c.networkServer().deduplicationWindow(), "how long receptions of one uplink are collected"),
      new Setting("network-server.device-workers", Kind.POSITIVE_INT, c -> c.networkServer().deviceWorkers(),
          "threads for per-device work (waits for durable writes, which are synced together)"),
      new Setting("network-server.deduplication-early-close", Kind.BOOL,
          c -> c.networkServer().deduplicationEarlyClose(),
          "close a deduplication window once the gateways of the DevAddr's previous uplink are in"),
      new Setting("network-server.max-uplinks-in-flight", Kind.POSITIVE_INT,
          c -> c.networkServer().maxUplinksInFlight(),
          "data uplinks processed at once; more are shed (ns_uplink_dropped_total{reason=\"overloaded\"})"),
      new Setting("network-server.downlink-refusal-backoff", Kind.NON_NEGATIVE_INT,
          c -> c.networkServer().downlinkRefusalBackoff(),
          "most uplinks a device skips downlinks with only NS-queued MAC requests after the Gateway Server"
              + " refused them (1, 2, 4, ... up to this; 0: retry on every uplink)"),
      new Setting("application-server.session-cache", Kind.POSITIVE_INT,
          c -> c.applicationServer().sessionCache(),
          "AS sessions kept parsed in memory (~250 bytes each; data uplinks of cached devices read no session)"),
      new Setting("log.level", Kind.LOG_LEVEL, c -> c.log().level(), "root log level"));

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private StackConfigLoader() {
  }

  /** Every setting key, in file order. */
  public static List<String> keys() {
    return SETTINGS.stream().map(Setting::key).toList();
  }

  /** A one-line description of a key, for help texts. */
  public static Optional<String> description(String key) {
    return find(key).map(Setting::description);
  }

  /** The environment variable of a key: {@code http.port} is {@code LORALAB_HTTP_PORT}. */
  public static String environmentVariable(String key) {
    return "LORALAB_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * The effective configuration.
   *
   * @param file   the YAML file to read, or null for none
   * @param env    the environment (e.g. {@code System.getenv()})
   * @param flags  values from the command line, in order
   * @throws ConfigException for an unreadable file, an unknown key or a bad value
   */
  public static StackConfig load(Path file, Map<String, String> env, List<FlagValue> flags) {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(flags, "flags");
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> sources = new HashMap<>();
    StackConfig defaults = StackConfig.defaults();
    for (Setting s : SETTINGS) {
      values.put(s.key(), s.getter().apply(defaults));
    }
    if (file != null) {
      String src = "config file " + file;
      for (Map.Entry<String, String> e : readFile(file).entrySet()) {
        set(values, e.getKey(), e.getValue(), src);
        sources.put(normalize(e.getKey()), src);
      }
    }
    for (Setting s : SETTINGS) {
      String name = environmentVariable(s.key());
      String v = env.get(name);
      if (v != null) {
        set(values, s.key(), v, "environment variable " + name);
        sources.put(s.key(), "environment variable " + name);
      }
    }
    for (FlagValue f : flags) {
      set(values, normalize(f.key()), f.value(), "flag " + f.flag());
      sources.put(normalize(f.key()), "flag " + f.flag());
    }
    try {
      return build(values);
    } catch (IllegalArgumentException e) {
      // a range checked by the configuration records, e.g. "downlinkGuardMargin: expected ..."
      String msg = String.valueOf(e.getMessage());
      String component = msg.contains(":") ? msg.substring(0, msg.indexOf(':')) : "";
      String key = SETTINGS.stream().map(Setting::key)
          .filter(k -> camelCase(k.substring(k.indexOf('.') + 1)).equals(component))
          .findFirst().orElse("(configuration)");
      throw new ConfigException(key, sources.getOrDefault(key, "default"), msg);
    }
  }

  /** {@code downlink-guard-margin} as {@code downlinkGuardMargin}. */
  private static String camelCase(String dashed) {
    StringBuilder b = new StringBuilder(dashed.length());
    boolean upper = false;
    for (char c : dashed.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        b.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return b.toString();
  }

  /**
   * The file to read: {@code explicit} if given (it must exist), else {@code loralab.yml} in
   * {@code workingDirectory} if it exists, else none.
   */
  public static Path chooseFile(Path explicit, Path workingDirectory) {
    if (explicit != null) {
      if (!Files.isRegularFile(explicit)) {
        throw new ConfigException("--config", "flag --config", "expected a readable file, found no file " + explicit);
      }
      return explicit;
    }
    Path p = workingDirectory.resolve(DEFAULT_FILE);
    return Files.isRegularFile(p) ? p : null;
  }

  /** The configuration as a nested map ({@code http -> {bind, port}}), with durations as {@code 15s}. */
  public static Map<String, Object> toTree(StackConfig config) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (Setting s : SETTINGS) {
      int dot = s.key().indexOf('.');
      @SuppressWarnings("unchecked")
      Map<String, Object> section = (Map<String, Object>) root.computeIfAbsent(s.key().substring(0, dot),
          k -> new LinkedHashMap<String, Object>());
      section.put(s.key().substring(dot + 1), s.kind().print(s.getter().apply(config)));
    }
    return root;
  }

  /** The configuration as dotted key to printed value ({@code events.keepalive -> 15s}). */
  public static Map<String, Object> flatten(StackConfig config) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Setting s : SETTINGS) {
      out.put(s.key(), s.kind().print(s.getter().apply(config)));
    }
    return out;
  }

  /** The configuration as YAML, loadable again by {@link #load}. */
  public static String toYaml(StackConfig config) {
    try {
      return YAML.writeValueAsString(toTree(config));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render configuration", e);
    }
  }

  /** The configuration as indented JSON. */
  public static String toJson(StackConfig config) {
    try {
      return JSON.writeValueAsString(toTree(config));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render configuration", e);
    }
  }

  /**
   * A setting given on the command line.
   *
   * @param key   the setting key, e.g. {@code http.port}
   * @param value its text
   * @param flag  the flag as typed, e.g. {@code --http-port} or {@code --set http.port=1}, for messages
   */
  public record FlagValue(String key, String value, String flag) {
    public FlagValue {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(flag, "flag");
    }
  }

  // ---- internals -------------------------------------------------------------------------------

  private static Optional<Setting> find(String key) {
    return SETTINGS.stream().filter(s -> s.key().equals(key)).findFirst();
  }

  private static String normalize(String key) {
    return key.trim().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static void set(Map<String, Object> values, String key, String text, String source) {
    Setting s = find(key).orElseThrow(() -> new ConfigException(key, source,
        "unknown key; known keys: " + String.join(", ", keys())));
    try {
      values.put(key, s.kind().parse(text == null ? "" : text));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, source, e.getMessage());
    }
  }

  private static Map<String, String> readFile(Path file) {
    String src = "config file " + file;
    JsonNode root;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new ConfigException("(file)", src, "expected at most " + MAX_FILE_BYTES + " bytes, found "
            + Files.size(file));
      }
      root = YAML.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      String msg = e.getOriginalMessage() == null ? "malformed YAML" : e.getOriginalMessage();
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ConfigException("(file)", src, "expected YAML, found a syntax error" + where + ": "
          + msg.lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new ConfigException("(file)", src, "cannot read: " + e.getMessage());
    }
    Map<String, String> out = new LinkedHashMap<>();
    if (root == null || root.isNull() || root.isMissingNode()) {
      return out;
    }
    if (!root.isObject()) {
      throw new ConfigException("(file)", src, "expected a mapping of sections, found " + root.getNodeType());
    }
    flatten("", root, out, src);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out, String src) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix + normalize(e.getKey());
      JsonNode v = e.getValue();
      if (v.isObject()) {
        if (find(key).isPresent()) {
          throw new ConfigException(key, src, "expected a single value, found a mapping");
        }
        flatten(key + ".", v, out, src);
      } else if (v.isArray()) {
        throw new ConfigException(key, src, "expected a single value, found a list");
      } else {
        out.put(key, v.isNull() ? "" : v.asText());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static StackConfig build(Map<String, Object> v) {
    return new StackConfig(
        new StackConfig.Listen((String) v.get("http.bind"), (Integer) v.get("http.port")),
        new StackConfig.Listen((String) v.get("grpc.bind"), (Integer) v.get("grpc.port")),
        new StackConfig.Listen((String) v.get("udp.bind"), (Integer) v.get("udp.port")),
        new StackConfig.Data((Path) v.get("data.dir")),
        new StackConfig.FrequencyPlans((Optional<Path>) v.get("frequency-plans.dir")),
        new StackConfig.Events((Integer) v.get("events.history-max-events"),
            (Duration) v.get("events.history-max-age"), (Integer) v.get("events.subscriber-queue-size"),
            (Duration) v.get("events.keepalive"), (Duration) v.get("events.delivery-linger")),
        new StackConfig.IdentityServer((Integer) v.get("identity-server.api-key-hash-iterations"),
            (Integer) v.get("identity-server.end-device-cache"),
            (Integer) v.get("identity-server.dev-addr-cache"),
            (Integer) v.get("identity-server.store-block-cache-mib")),
        new StackConfig.GatewayServer((Boolean) v.get("gateway-server.auto-accept-unknown"),
            (String) v.get("gateway-server.default-frequency-plan"),
            (Integer) v.get("gateway-server.per-address-rate"),
            (Integer) v.get("gateway-server.per-address-burst"),
            (Duration) v.get("gateway-server.downlink-guard-margin"),
            (Integer) v.get("gateway-server.max-pending-datagrams")),
        new StackConfig.NetworkServer((String) v.get("network-server.net-id"),
            (Duration) v.get("network-server.deduplication-window"),
            (Integer) v.get("network-server.device-workers"),
            (Boolean) v.get("network-server.deduplication-early-close"),
            (Integer) v.get("network-server.max-uplinks-in-flight"),
            (Integer) v.get("network-server.downlink-refusal-backoff")),
        new StackConfig.ApplicationServer((Integer) v.get("application-server.session-cache")),
        new StackConfig.Log((String) v.get("log.level")));
  }

  /** Helper for error messages listing several keys. */
  static List<String> envNames() {
    List<String> out = new ArrayList<>();
    for (Setting s : SETTINGS) {
      out.add(environmentVariable(s.key()));
    }
    return out;
  }
}
