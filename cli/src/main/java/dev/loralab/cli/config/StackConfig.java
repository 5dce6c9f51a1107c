package dev.loralab.cli.config;

import dev.loralab.events.EventsConfig;
import dev.loralab.gatewayserver.GatewayServerConfig;
import dev.loralab.identityserver.IdentityServerConfig;
import dev.loralab.identityserver.store.RocksDbStore;
import dev.loralab.networkserver.NetworkServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configuration of a whole LoRaLab stack in one process. Every setting has a key (e.g.
 * {@code http.port}), a YAML path (the same key, nested), an environment variable
 * ({@code LORALAB_HTTP_PORT}) and a default; see {@link StackConfigLoader} for the precedence.
 *
 * @param http            the HTTP API, console, health and metrics listener (default {@code 0.0.0.0:1885})
 * @param grpc            the gRPC API listener (default {@code 0.0.0.0:1884})
 * @param udp             the Semtech UDP packet-forwarder listener (default {@code 0.0.0.0:1700})
 * @param data            where the database and the admin API key live
 * @param frequencyPlans  an optional directory with more frequency plans
 * @param events          event history bounds and stream settings
 * @param identityServer  identity server settings
 * @param gatewayServer   gateway server settings
 * @param networkServer   network server settings
 * @param applicationServer application server settings
 * @param log             logging
 */
public record StackConfig(Listen http, Listen grpc, Listen udp, Data data, FrequencyPlans frequencyPlans,
    Events events, IdentityServer identityServer, GatewayServer gatewayServer, NetworkServer networkServer,
    ApplicationServer applicationServer, Log log) {

  public StackConfig {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(grpc, "grpc");
    Objects.requireNonNull(udp, "udp");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(frequencyPlans, "frequencyPlans");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(identityServer, "identityServer");
    Objects.requireNonNull(gatewayServer, "gatewayServer");
    Objects.requireNonNull(networkServer, "networkServer");
    Objects.requireNonNull(applicationServer, "applicationServer");
    Objects.requireNonNull(log, "log");
  }

  /** A listening socket: bind address and port (0 binds an ephemeral port). */
  public record Listen(String bind, int port) {
    public Listen {
      Objects.requireNonNull(bind, "bind");
      if (bind.isBlank()) {
        throw new IllegalArgumentException("bind: expected a host name or address, found ''");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: expected 0..65535, found " + port);
      }
    }
  }

  /** @param dir the data directory: {@code <dir>/db} (RocksDB) and {@code <dir>/admin-api-key} */
  public record Data(Path dir) {
    public Data {
      Objects.requireNonNull(dir, "dir");
    }

    /** The admin API key file. */
    public Path adminApiKeyFile() {
      return dir.resolve("admin-api-key");
    }
  }

  /** @param dir a directory in The Things Network format ({@code frequency-plans.yml}), if any */
  public record FrequencyPlans(Optional<Path> dir) {
    public FrequencyPlans {
      Objects.requireNonNull(dir, "dir");
    }
  }

  /**
   * @param historyMaxEvents    events kept per entity
   * @param historyMaxAge       age after which history events are dropped
   * @param subscriberQueueSize bounded queue per stream subscriber
   * @param keepalive           SSE keepalive comment interval
   * @param deliveryLinger      how long a stream's event that finds its queue empty waits for others, so a
   *                            busy stream is written in batches (0 to 1 s; 0: at once)
   */
  public record Events(int historyMaxEvents, Duration historyMaxAge, int subscriberQueueSize, Duration keepalive,
      Duration deliveryLinger) {
    public Events {
      positive("historyMaxEvents", historyMaxEvents);
      positive("subscriberQueueSize", subscriberQueueSize);
      positive("historyMaxAge", historyMaxAge);
      positive("keepalive", keepalive);
      EventsConfig.checkDeliveryLinger(deliveryLinger);
    }

    /** With the default delivery linger. */
    public Events(int historyMaxEvents, Duration historyMaxAge, int subscriberQueueSize, Duration keepalive) {
      this(historyMaxEvents, historyMaxAge, subscriberQueueSize, keepalive,
          EventsConfig.DEFAULT_DELIVERY_LINGER);
    }
  }

  /**
   * @param apiKeyHashIterations PBKDF2 iterations of new API key hashes
   * @param endDeviceCache       parsed end devices kept in memory (the devices in flight, not all)
   * @param devAddrCache         DevAddrs whose device keys are kept in memory (a data uplink looks
   *                             its DevAddr up without reading the store)
   * @param storeBlockCacheMib   MiB of the database's block cache (native memory, filled as blocks
   *                             are read)
   */
  public record IdentityServer(int apiKeyHashIterations, int endDeviceCache, int devAddrCache,
      int storeBlockCacheMib) {
    public IdentityServer {
      positive("apiKeyHashIterations", apiKeyHashIterations);
      positive("endDeviceCache", endDeviceCache);
      positive("devAddrCache", devAddrCache);
      positive("storeBlockCacheMib", storeBlockCacheMib);
    }

    /** The default {@link #storeBlockCacheMib()}. */
    public static final int DEFAULT_STORE_BLOCK_CACHE_MIB =
        (int) (RocksDbStore.Settings.DEFAULT_BLOCK_CACHE_BYTES >> 20);

    /** With the default block cache. */
    public IdentityServer(int apiKeyHashIterations, int endDeviceCache, int devAddrCache) {
      this(apiKeyHashIterations, endDeviceCache, devAddrCache, DEFAULT_STORE_BLOCK_CACHE_MIB);
    }

    /** With the default DevAddr and block caches. */
    public IdentityServer(int apiKeyHashIterations, int endDeviceCache) {
      this(apiKeyHashIterations, endDeviceCache,
          IdentityServerConfig.DEFAULT_DEV_ADDR_CACHE_CAPACITY);
    }

    /** With the default end device and DevAddr caches. */
    public IdentityServer(int apiKeyHashIterations) {
      this(apiKeyHashIterations, IdentityServerConfig.DEFAULT_END_DEVICE_CACHE_CAPACITY);
    }
  }

  /**
   * @param autoAcceptUnknown    accept traffic of gateways that are not registered
   * @param defaultFrequencyPlan plan of auto-accepted gateways
   * @param perAddressRate       UDP datagrams per second accepted from one IP address (sustained)
   * @param perAddressBurst      UDP datagrams accepted from one IP address in a burst
   * @param downlinkGuardMargin  free airtime kept between two downlinks of one gateway
   * @param maxPendingDatagrams  datagrams read and not yet processed beyond which the UDP socket is not
   *                             read (the kernel's buffer absorbs or drops the rest) until half are done
   */
  public record GatewayServer(boolean autoAcceptUnknown, String defaultFrequencyPlan, int perAddressRate,
      int perAddressBurst, Duration downlinkGuardMargin, int maxPendingDatagrams) {
    public GatewayServer {
      Objects.requireNonNull(defaultFrequencyPlan, "defaultFrequencyPlan");
      if (defaultFrequencyPlan.isBlank()) {
        throw new IllegalArgumentException("defaultFrequencyPlan: expected a plan ID, found ''");
      }
      positive("perAddressRate", perAddressRate);
      positive("perAddressBurst", perAddressBurst);
      Objects.requireNonNull(downlinkGuardMargin, "downlinkGuardMargin");
      if (downlinkGuardMargin.isNegative() || downlinkGuardMargin.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("downlinkGuardMargin: expected 0..1s, found " + downlinkGuardMargin);
      }
      if (maxPendingDatagrams < 1 || maxPendingDatagrams > GatewayServerConfig.MAX_PENDING_DATAGRAMS) {
        throw new IllegalArgumentException("maxPendingDatagrams: expected 1.."
            + GatewayServerConfig.MAX_PENDING_DATAGRAMS + ", found " + maxPendingDatagrams);
      }
    }

    /** With the default bound on pending datagrams. */
    public GatewayServer(boolean autoAcceptUnknown, String defaultFrequencyPlan, int perAddressRate,
        int perAddressBurst, Duration downlinkGuardMargin) {
      this(autoAcceptUnknown, defaultFrequencyPlan, perAddressRate, perAddressBurst, downlinkGuardMargin,
          GatewayServerConfig.DEFAULT_MAX_PENDING_DATAGRAMS);
    }

    /** With the gateway server's default rate limit and guard margin. */
    public GatewayServer(boolean autoAcceptUnknown, String defaultFrequencyPlan) {
      this(autoAcceptUnknown, defaultFrequencyPlan, (int) GatewayServerConfig.defaults().perAddressRate(),
          GatewayServerConfig.defaults().perAddressBurst(), GatewayServerConfig.defaults().downlinkGuardMargin());
    }
  }

  /**
   * @param netId               the network's NetID, 6 hex digits
   * @param deduplicationWindow how long uplinks of several gateways are collected
   * @param deviceWorkers       threads for per-device work; a device lane waits for its durable
   *                            writes without holding a thread (the store syncs the writes of all
   *                            devices together), so about as many threads as cores are enough
   * @param deduplicationEarlyClose close a deduplication window as soon as it holds as many
   *                            gateways as the DevAddr's previous uplink
   * @param maxUplinksInFlight  data uplinks processed at once; beyond it new ones are shed and
   *                            counted as {@code ns_uplink_dropped_total{reason="overloaded"}}
   * @param downlinkRefusalBackoff most uplinks a device attempts no downlink carrying only MAC
   *                            requests the Network Server queued itself, after the Gateway
   *                            Server refused such downlinks (1, 2, 4, ... up to this); 0: none
   */
  public record NetworkServer(String netId, Duration deduplicationWindow, int deviceWorkers,
      boolean deduplicationEarlyClose, int maxUplinksInFlight, int downlinkRefusalBackoff) {
    private static final Pattern NET_ID = Pattern.compile("[0-9A-F]{6}");

    public NetworkServer {
      Objects.requireNonNull(netId, "netId");
      if (!NET_ID.matcher(netId).matches()) {
        throw new IllegalArgumentException("netId: expected 6 upper-case hex digits, found '" + netId + "'");
      }
      positive("deduplicationWindow", deduplicationWindow);
      positive("deviceWorkers", deviceWorkers);
      positive("maxUplinksInFlight", maxUplinksInFlight);
      if (downlinkRefusalBackoff < 0 || downlinkRefusalBackoff > 1_000_000) {
        throw new IllegalArgumentException("downlinkRefusalBackoff: expected 0..1000000, found "
            + downlinkRefusalBackoff);
      }
    }

    /** With the default back-off after refused network-initiated downlinks. */
    public NetworkServer(String netId, Duration deduplicationWindow, int deviceWorkers,
        boolean deduplicationEarlyClose, int maxUplinksInFlight) {
      this(netId, deduplicationWindow, deviceWorkers, deduplicationEarlyClose, maxUplinksInFlight,
          NetworkServerConfig.defaults().downlinkRefusalBackoffMax());
    }

    /** With the default bound on uplinks in flight. */
    public NetworkServer(String netId, Duration deduplicationWindow, int deviceWorkers,
        boolean deduplicationEarlyClose) {
      this(netId, deduplicationWindow, deviceWorkers, deduplicationEarlyClose,
          NetworkServerConfig.defaults().maxUplinksInFlight());
    }

    /** With the default number of device workers (8), early close and bound on uplinks in flight. */
    public NetworkServer(String netId, Duration deduplicationWindow) {
      this(netId, deduplicationWindow, 8, true);
    }
  }

  /**
   * @param sessionCache AS sessions kept parsed in memory (a data uplink of a device whose session
   *                     is cached decrypts without a store read), and as many devices' own payload
   *                     formatters (or their absence)
   */
  public record ApplicationServer(int sessionCache) {
    public ApplicationServer {
      positive("sessionCache", sessionCache);
    }

    /**
     * The default {@link #sessionCache()}: 262,144 sessions, a fleet of 100,000 devices without
     * misses (4-way sets), up to ~65 MB of heap when full.
     */
    public static final int DEFAULT_SESSION_CACHE = 262_144;

    /** The defaults. */
    public static ApplicationServer defaults() {
      return new ApplicationServer(DEFAULT_SESSION_CACHE);
    }
  }

  /** @param level root log level: TRACE, DEBUG, INFO, WARN, ERROR or OFF */
  public record Log(String level) {
    /** The accepted levels. */
    public static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    public Log {
      Objects.requireNonNull(level, "level");
      if (!LEVELS.contains(level)) {
        throw new IllegalArgumentException("level: expected one of " + LEVELS + ", found '" + level + "'");
      }
    }
  }

  /** The embedded defaults. */
  public static StackConfig defaults() {
    return new StackConfig(
        new Listen("0.0.0.0", 1885),
        new Listen("0.0.0.0", 1884),
        new Listen("0.0.0.0", 1700),
        new Data(Path.of("data")),
        new FrequencyPlans(Optional.empty()),
        new Events(100, Duration.ofHours(24), 4096, Duration.ofSeconds(15)),
        new IdentityServer(120_000),
        new GatewayServer(false, "EU_863_870"),
        new NetworkServer("000000", Duration.ofMillis(200)),
        ApplicationServer.defaults(),
        new Log("INFO"));
  }

  /**
   * This configuration for tests: every listener on {@code 127.0.0.1} and an ephemeral port, the
   * given data directory, and cheap API key hashes.
   */
  public StackConfig forTests(Path dataDir) {
    return new StackConfig(new Listen("127.0.0.1", 0), new Listen("127.0.0.1", 0), new Listen("127.0.0.1", 0),
        new Data(dataDir), frequencyPlans, events, new IdentityServer(1_000), gatewayServer, networkServer,
        applicationServer, log);
  }

  /** This configuration with another data directory. */
  public StackConfig withDataDir(Path dir) {
    return new StackConfig(http, grpc, udp, new Data(dir), frequencyPlans, events, identityServer, gatewayServer,
        networkServer, applicationServer, log);
  }

  /** This configuration with other gateway server settings. */
  public StackConfig withGatewayServer(GatewayServer gs) {
    return new StackConfig(http, grpc, udp, data, frequencyPlans, events, identityServer, gs, networkServer,
        applicationServer, log);
  }

  /** This configuration with other application server settings. */
  public StackConfig withApplicationServer(ApplicationServer as) {
    return new StackConfig(http, grpc, udp, data, frequencyPlans, events, identityServer, gatewayServer,
        networkServer, as, log);
  }

  private static void positive(String field, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(field + ": expected >= 1, found " + v);
    }
  }

  private static void positive(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + ": expected a positive duration, found " + d);
    }
  }

  static String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }
}
