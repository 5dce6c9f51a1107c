package dev.loralab.cli.stack;

import dev.loralab.api.NsAs;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.applicationserver.AppAsGrpcService;
import dev.loralab.applicationserver.ApplicationServer;
import dev.loralab.applicationserver.ApplicationServerHttpRoutes;
import dev.loralab.applicationserver.ApplicationWebhookRegistryGrpcService;
import dev.loralab.applicationserver.ApplicationServerConfig;
import dev.loralab.applicationserver.ApplicationServerEvents;
import dev.loralab.cli.config.StackConfig;
import dev.loralab.cli.stack.internal.RegistryApplicationServerStore;
import dev.loralab.cli.stack.internal.RegistryGatewayDirectory;
import dev.loralab.cli.stack.internal.RegistryJoinServerStore;
import dev.loralab.cli.stack.internal.RegistryNetworkServerStore;
import dev.loralab.events.EventBus;
import dev.loralab.events.EventCatalogue;
import dev.loralab.events.EventFactory;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.gatewayserver.ConfigurationHttpRoutes;
import dev.loralab.gatewayserver.GatewayServer;
import dev.loralab.gatewayserver.GatewayServerHttpRoutes;
import dev.loralab.gatewayserver.GatewayServerConfig;
import dev.loralab.gatewayserver.GatewayServerEvents;
import dev.loralab.identityserver.IdentityServer;
import dev.loralab.joinserver.JoinServer;
import dev.loralab.joinserver.JoinServerConfig;
import dev.loralab.joinserver.JoinServerEvents;
import dev.loralab.lorawan.NetId;
import dev.loralab.networkserver.NetworkServer;
import dev.loralab.networkserver.NetworkServerConfig;
import dev.loralab.networkserver.NetworkServerEvents;
import dev.loralab.web.Router;
import io.grpc.BindableService;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway, network, join and application servers of a {@link Stack}, wired to each other
 * through the in-process {@code api} interfaces (GS -> NS via {@code GsNs}, NS -> GS via
 * {@code NsGs}, NS -> JS via {@code NsJs}, NS -> AS via {@code NsAs}, AS -> NS via {@code AsNs},
 * AS -> JS via {@code AsJs}) and to the identity server through store adapters.
 */
final class ServerModules implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServerModules.class);

  /** The collaborators every module gets. */
  record Context(StackConfig config, Clock clock, RandomGenerator random, ScheduledExecutorService scheduler,
      ExecutorService handlers, MeterRegistry metrics, EventBus bus, EventFactory eventFactory,
      IdentityServer identity, FrequencyPlanStore plans) {
  }

  private final Context ctx;
  private final GatewayServer gatewayServer;
  private final JoinServer joinServer;
  private final NetworkServer networkServer;
  private final ExecutorService nsDeviceWork;
  private final ApplicationServer applicationServer;
  private volatile int udpPort = -1;

  ServerModules(Context ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    StackConfig c = ctx.config();
    this.gatewayServer = GatewayServer.builder()
        .config(GatewayServerConfig.defaults()
            .withBind(c.udp().bind(), c.udp().port())
            .withAutoAccept(c.gatewayServer().autoAcceptUnknown(), c.gatewayServer().defaultFrequencyPlan())
            .withRateLimit(c.gatewayServer().perAddressRate(), c.gatewayServer().perAddressBurst())
            .withDownlinkGuardMargin(c.gatewayServer().downlinkGuardMargin())
            .withMaxPendingDatagrams(c.gatewayServer().maxPendingDatagrams()))
        .directory(new RegistryGatewayDirectory(ctx.identity().gateways(), c.gatewayServer().defaultFrequencyPlan()))
        .frequencyPlans(ctx.plans())
        .events(ctx.bus())
        .eventFactory(ctx.eventFactory())
        .meterRegistry(ctx.metrics())
        .clock(ctx.clock())
        .random(ctx.random())
        .executor(ctx.handlers())
        .build();

    JoinServerConfig jsConfig = JoinServerConfig.defaults();
    this.joinServer = new JoinServer(jsConfig,
        new RegistryJoinServerStore(ctx.identity().endDevices(), ctx.identity().store(),
            jsConfig.devNonceHistorySize()),
        ctx.bus(), ctx.clock(), ctx.random(), ctx.handlers(), ctx.metrics());

    NetworkServerConfig nsDefaults = NetworkServerConfig.defaults();
    NetworkServerConfig nsConfig = nsDefaults
        .withNetId(NetId.parse(c.networkServer().netId()))
        .withDeduplication(c.networkServer().deduplicationWindow(), nsDefaults.cooldownWindow())
        .withDeduplicationEarlyClose(c.networkServer().deduplicationEarlyClose())
        .withMaxUplinksInFlight(c.networkServer().maxUplinksInFlight())
        .withDownlinkRefusalBackoffMax(c.networkServer().downlinkRefusalBackoff());
    ApplicationServerRef asRef = new ApplicationServerRef();
    // Per-device work waits for durable frame-counter writes; RocksDB syncs concurrent writes
    // together, so many workers mean few syncs per uplink. Timers stay on the scheduler.
    AtomicInteger nsWorker = new AtomicInteger();
    this.nsDeviceWork = Executors.newFixedThreadPool(c.networkServer().deviceWorkers(), r -> {
      Thread t = new Thread(r, "loralab-ns-device-" + nsWorker.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.networkServer = new NetworkServer(nsConfig, new RegistryNetworkServerStore(ctx.identity().endDevices()),
        gatewayServer, joinServer, asRef, ctx.plans(), ctx.bus(), ctx.clock(), ctx.random(), ctx.scheduler(),
        nsDeviceWork, ctx.metrics());

    this.applicationServer = ApplicationServer.builder()
        .config(ApplicationServerConfig.defaults())
        .store(new RegistryApplicationServerStore(ctx.identity().endDevices(), ctx.identity().store(),
            c.applicationServer().sessionCache()))
        .joinServer(joinServer)
        .networkServer(networkServer)
        .events(ctx.bus())
        .eventFactory(ctx.eventFactory())
        .clock(ctx.clock())
        .executor(ctx.handlers())
        .scheduler(ctx.scheduler())
        .meterRegistry(ctx.metrics())
        .httpClient(java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(5))
            .executor(ctx.handlers())
            .build())
        .build();
    asRef.target = applicationServer;
    gatewayServer.setNetworkServer(networkServer);
  }

  /** Registers every module's event definitions; a duplicate name fails. */
  static void registerEvents(EventCatalogue catalogue) {
    GatewayServerEvents.registerIn(catalogue);
    JoinServerEvents.registerAll(catalogue);
    NetworkServerEvents.registerAll(catalogue);
    ApplicationServerEvents.registerAll(catalogue);
  }

  /** Registers the modules' HTTP routes. */
  void registerRoutes(Router router) {
    // The application server's downlink queue, webhooks and application formatters under /api/v3/as.
    new ApplicationServerHttpRoutes(applicationServer, ctx.identity().accessControl()).register(router);
    // The gateway server's connection statistics under /api/v3/gs, and the frequency plans.
    new GatewayServerHttpRoutes(gatewayServer, ctx.identity().accessControl()).register(router);
    new ConfigurationHttpRoutes(ctx.plans(), ctx.identity().accessControl()).register(router);
  }

  /**
   * The modules' user-facing gRPC services ({@code ttn.lorawan.v3.AppAs},
   * {@code ApplicationWebhookRegistry}), which check the caller's rights. The cluster interfaces
   * ({@code GsNs}, {@code NsJs}, ...) stay in-process: they carry no caller.
   */
  List<BindableService> grpcServices() {
    return List.of(new AppAsGrpcService(applicationServer, ctx.identity().accessControl()),
        new ApplicationWebhookRegistryGrpcService(applicationServer.webhooks(), ctx.identity().accessControl()));
  }

  /** Binds the Semtech UDP socket. */
  void start() {
    udpPort = gatewayServer.start().getPort();
    LOG.info("gateway server listening on UDP {}:{}", ctx.config().udp().bind(), udpPort);
  }

  GatewayServer gatewayServer() {
    return gatewayServer;
  }

  JoinServer joinServer() {
    return joinServer;
  }

  NetworkServer networkServer() {
    return networkServer;
  }

  ApplicationServer applicationServer() {
    return applicationServer;
  }

  int udpPort() {
    return udpPort;
  }

  List<String> running() {
    return List.of("gateway-server", "network-server", "join-server", "application-server");
  }

  /** Stops UDP first, then the application server (webhook deliveries). */
  @Override
  public void close() {
    for (AutoCloseable c : List.<AutoCloseable>of(gatewayServer, applicationServer)) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("error while stopping a server", e);
      }
    }
    // Let queued per-device work finish (it ends in durable writes) before the database closes.
    nsDeviceWork.shutdown();
    try {
      if (!nsDeviceWork.awaitTermination(5, TimeUnit.SECONDS)) {
        nsDeviceWork.shutdownNow();
      }
    } catch (InterruptedException e) {
      nsDeviceWork.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** The network server's view of the application server, which is built after it. */
  private static final class ApplicationServerRef implements NsAs {
    volatile NsAs target;

    @Override
    public CompletableFuture<Void> handleUplink(List<ApplicationUp> ups) {
      NsAs t = target;
      return t == null
          ? CompletableFuture.failedFuture(dev.loralab.api.ApiException.unavailable("application server starting"))
          : t.handleUplink(ups);
    }
  }
}
