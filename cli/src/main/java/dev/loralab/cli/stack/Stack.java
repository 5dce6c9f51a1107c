package dev.loralab.cli.stack;

import dev.loralab.cli.config.StackConfig;
import dev.loralab.events.EventBus;
import dev.loralab.events.EventCatalogue;
import dev.loralab.events.EventFactory;
import dev.loralab.events.EventStreams;
import dev.loralab.events.EventsConfig;
import dev.loralab.events.EventsGrpcService;
import dev.loralab.events.EventsHttpRoutes;
import dev.loralab.events.InMemoryEventBus;
import dev.loralab.events.InMemoryEventHistory;
import dev.loralab.events.Ulid;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.identityserver.IdentityServer;
import dev.loralab.identityserver.IdentityServerConfig;
import dev.loralab.identityserver.store.RocksDbStore;
import dev.loralab.web.Handler;
import dev.loralab.web.HttpServer;
import dev.loralab.web.HttpServerConfig;
import dev.loralab.web.Response;
import dev.loralab.web.Router;
import dev.loralab.web.StaticResources;
import dev.loralab.web.grpc.GrpcAuth;
import dev.loralab.web.grpc.GrpcRequests;
import dev.loralab.web.grpc.RpcCorrelation;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole LoRaLab stack in one JVM: identity server (RocksDB in the data directory), events,
 * gateway, network, join and application servers wired through the in-process {@code api}
 * interfaces, one HTTP server ({@code /api/v3/...}, {@code /healthz}, {@code /metrics},
 * {@code /console/}) and one gRPC server (registries, {@code Events}, ...) behind API key
 * authentication.
 *
 * <pre>{@code
 * try (Stack stack = Stack.builder(StackConfig.defaults().forTests(dir)).build()) {
 *   int http = stack.httpPort();
 *   String key = stack.adminApiKey();
 * }
 * }</pre>
 *
 * <p>{@link Builder#build()} starts everything; {@link #close()} stops the listeners (UDP, HTTP,
 * gRPC) first, then the servers, then the event bus, and finally closes the database.
 */
public final class Stack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Stack.class);

  private final StackConfig config;
  private final Clock clock;
  private final PrometheusMeterRegistry metrics;
  private final EventCatalogue catalogue;
  private final InMemoryEventBus bus;
  private final EventFactory eventFactory;
  private final FrequencyPlanStore frequencyPlans;
  private final IdentityServer identity;
  private final HttpServer http;
  private final Server grpc;
  private final ServerModules modules;
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private final AtomicInteger closed = new AtomicInteger();

  private Stack(Builder b) {
    this.config = b.config;
    this.clock = b.clock;
    boolean ok = false;
    try {
      if (b.ownsExecutors) {
        closeables.push(() -> shutdown(b.handlers));
        closeables.push(() -> shutdown(b.scheduler));
      }
      this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      closeables.push(metrics::close);
      new JvmMemoryMetrics().bindTo(metrics);
      new JvmThreadMetrics().bindTo(metrics);
      new ProcessorMetrics().bindTo(metrics);
      new UptimeMetrics().bindTo(metrics);
      this.frequencyPlans = config.frequencyPlans().dir()
          .map(FrequencyPlanStore::withUserDirectory).orElseGet(FrequencyPlanStore::builtIn);

      // Events.
      EventsConfig eventsConfig = EventsConfig.defaults()
          .withHistory(config.events().historyMaxEvents(), config.events().historyMaxAge())
          .withSubscriberQueueSize(config.events().subscriberQueueSize())
          .withKeepaliveInterval(config.events().keepalive())
          .withDeliveryLinger(config.events().deliveryLinger());
      this.eventFactory = new EventFactory(clock, new Ulid(clock, b.random), hostName());
      InMemoryEventHistory history = new InMemoryEventHistory(eventsConfig, clock);
      this.bus = new InMemoryEventBus(eventsConfig, history, eventFactory, metrics);
      closeables.push(bus::close);
      this.catalogue = new EventCatalogue();
      catalogue.register(EntityEvents.definitions());
      ServerModules.registerEvents(catalogue);

      // Identity server: registries, API keys, access control, admin key on first start.
      Files.createDirectories(config.data().dir());
      IdentityServerConfig isConfig = IdentityServerConfig.defaults()
          .withDataDirectory(config.data().dir())
          .withApiKeyHashIterations(config.identityServer().apiKeyHashIterations())
          .withEndDeviceCacheCapacity(config.identityServer().endDeviceCache())
          .withDevAddrCacheCapacity(config.identityServer().devAddrCache())
          .withRocksDbSettings(RocksDbStore.Settings.defaults()
              .withBlockCacheBytes((long) config.identityServer().storeBlockCacheMib() << 20));
      this.identity = IdentityServer.builder(isConfig)
          .clock(clock)
          .random(b.random)
          .events(EntityEvents.sink(catalogue, bus, eventFactory))
          .frequencyPlans(id -> frequencyPlans.description(id).isPresent())
          .build();
      closeables.push(identity::close);
      registerStoreCommitMetrics(metrics, identity);

      // Gateway, network, join and application servers, as far as they are available.
      this.modules = new ServerModules(new ServerModules.Context(config, clock, b.random, b.scheduler, b.handlers,
          metrics, bus, eventFactory, identity, frequencyPlans));
      closeables.push(modules::close);

      EventStreams streams = new EventStreams(bus, history, catalogue, identity.accessControl(), eventFactory,
          eventsConfig, b.scheduler);

      // HTTP.
      Router router = new Router();
      router.get("/healthz", Handler.sync(r -> Response.json(200, "{\"status\":\"ok\"}")));
      router.get("/", Handler.sync(r -> Response.empty(302).withHeader("Location", "/console/")));
      router.get("/metrics", Handler.sync(r -> Response.bytes(200, "text/plain; version=0.0.4; charset=utf-8",
          metrics.scrape().getBytes(StandardCharsets.UTF_8))));
      identity.registerRoutes(router);
      new EventsHttpRoutes(streams).register(router);
      modules.registerRoutes(router);
      new StaticResources(Stack.class.getClassLoader(), "console", "/console", "no-cache").register(router);
      HttpServerConfig httpConfig = HttpServerConfig.defaults()
          .withBindAddress(config.http().bind()).withPort(config.http().port());
      this.http = new HttpServer(httpConfig, router, b.handlers, metrics);
      bind("HTTP", config.http(), http::start);
      closeables.push(http::close);

      // gRPC.
      List<BindableService> services = new ArrayList<>(identity.grpcServices());
      services.add(new EventsGrpcService(streams));
      services.addAll(modules.grpcServices());
      GrpcAuth auth = new GrpcAuth(identity.accessControl());
      RpcCorrelation correlation = new RpcCorrelation(eventFactory.ulid()::next);
      NettyServerBuilder gb = NettyServerBuilder
          .forAddress(new InetSocketAddress(config.grpc().bind(), config.grpc().port()))
          .executor(b.handlers);
      for (BindableService s : services) {
        // The last interceptor runs first: authenticate, then attach the RPC correlation ID; then
        // undecodable request bytes are INVALID_ARGUMENT (gRPC Java would answer UNKNOWN).
        gb.addService(ServerInterceptors.intercept(GrpcRequests.strictParsing(s), correlation, auth));
      }
      this.grpc = gb.build();
      bind("gRPC", config.grpc(), () -> {
        try {
          grpc.start();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      closeables.push(this::stopGrpc);

      // UDP last: traffic flows once everything else is ready.
      bind("Semtech UDP", config.udp(), modules::start);
      ok = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (!ok) {
        closeAll();
      }
    }
  }

  /** A builder for {@code config}; {@link Builder#build()} starts the stack. */
  public static Builder builder(StackConfig config) {
    return new Builder(config);
  }

  /** The configuration. */
  public StackConfig config() {
    return config;
  }

  /** The clock everything runs on. */
  public Clock clock() {
    return clock;
  }

  /** The bound HTTP port. */
  public int httpPort() {
    return http.port();
  }

  /** The bound gRPC port. */
  public int grpcPort() {
    return grpc.getPort();
  }

  /** The gateway server (Semtech UDP; implements {@code NsGs}). */
  public dev.loralab.gatewayserver.GatewayServer gatewayServer() {
    return modules.gatewayServer();
  }

  /** The network server (implements {@code GsNs} and {@code AsNs}). */
  public dev.loralab.networkserver.NetworkServer networkServer() {
    return modules.networkServer();
  }

  /** The join server (implements {@code NsJs} and {@code AsJs}). */
  public dev.loralab.joinserver.JoinServer joinServer() {
    return modules.joinServer();
  }

  /** The application server (implements {@code NsAs} and {@code AppAs}). */
  public dev.loralab.applicationserver.ApplicationServer applicationServer() {
    return modules.applicationServer();
  }

  /** The bound Semtech UDP port.*/
  public int udpPort() {
    return modules.udpPort();
  }

  /** {@code http://localhost:<port>}, for clients on this machine. */
  public String httpUrl() {
    return "http://localhost:" + httpPort();
  }

  /** The admin API key file, {@code <data-dir>/admin-api-key} (mode 0600). */
  public Path adminApiKeyFile() {
    return identity.config().adminApiKeyFile();
  }

  /** The admin API key (read from {@link #adminApiKeyFile()}). */
  public String adminApiKey() {
    return identity.issuedAdminToken().orElseGet(() -> {
      try {
        return Files.readString(adminApiKeyFile(), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + adminApiKeyFile(), e);
      }
    });
  }

  /** The identity server (registries, API keys, access control). */
  public IdentityServer identityServer() {
    return identity;
  }

  /** The event bus every server publishes to. */
  public EventBus eventBus() {
    return bus;
  }

  /** The event catalogue (every module's definitions). */
  public EventCatalogue eventCatalogue() {
    return catalogue;
  }

  /** Stamps events with this stack's clock and ULIDs. */
  public EventFactory eventFactory() {
    return eventFactory;
  }

  /** The frequency plans (built-in plus the configured directory). */
  public FrequencyPlanStore frequencyPlans() {
    return frequencyPlans;
  }

  /** The Prometheus registry behind {@code /metrics}. */
  public PrometheusMeterRegistry meterRegistry() {
    return metrics;
  }

  /** Which optional server modules are running, e.g. {@code [gateway-server]}. */
  public List<String> runningServers() {
    return modules.running();
  }

  /** Stops listeners, servers and the bus, then closes the database. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(0, 1)) {
      closeAll();
      LOG.info("stack stopped");
    }
  }

  private void closeAll() {
    while (!closeables.isEmpty()) {
      AutoCloseable c = closeables.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("error while stopping the stack", e);
      }
    }
  }

  /**
   * Runs a listener's start, turning any bind failure (Netty rethrows {@code BindException}
   * unchecked) into an {@link UncheckedIOException} naming the listener and address.
   */
  private static void bind(String what, StackConfig.Listen listen, Runnable start) {
    try {
      start.run();
    } catch (RuntimeException e) {
      throw bindFailure(what, listen, e);
    } catch (Exception e) {
      throw bindFailure(what, listen, e);
    }
  }

  private static UncheckedIOException bindFailure(String what, StackConfig.Listen listen, Exception e) {
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof java.net.BindException)) {
      cause = cause.getCause();
    }
    String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new UncheckedIOException("cannot bind " + what + " " + listen.bind() + ":" + listen.port() + ": " + reason,
        e instanceof IOException io ? io : new IOException(reason, e));
  }

  private void stopGrpc() throws InterruptedException {
    grpc.shutdown();
    if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
      grpc.shutdownNow();
      grpc.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static void shutdown(ExecutorService executor) throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
      executor.shutdownNow();
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** Builds and starts a {@link Stack}. */
  public static final class Builder {
    private final StackConfig config;
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = new SecureRandom();
    private ExecutorService handlers;
    private ScheduledExecutorService scheduler;
    private boolean ownsExecutors;

    private Builder(StackConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The clock (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Randomness for keys, nonces and IDs (default: {@link SecureRandom}). */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The executors (default: created and shut down by the stack).
     *
     * @param handlers  runs HTTP and gRPC handlers and server work that may block on storage
     * @param scheduler delivers events, keepalives and server timers
     */
    public Builder executors(ExecutorService handlers, ScheduledExecutorService scheduler) {
      this.handlers = Objects.requireNonNull(handlers, "handlers");
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Starts the stack.
     *
     * @throws UncheckedIOException when a port cannot be bound or the data directory is unusable
     * @throws dev.loralab.identityserver.store.StoreLockedException when another process uses the data directory
     */
    public Stack build() {
      if (handlers == null) {
        handlers = Executors.newFixedThreadPool(8, daemon("loralab-handler"));
        scheduler = Executors.newScheduledThreadPool(2, daemon("loralab-scheduler"));
        ownsExecutors = true;
      }
      return new Stack(this);
    }

    private static ThreadFactory daemon(String prefix) {
      AtomicInteger n = new AtomicInteger();
      return r -> {
        Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }
  }

  /**
   * The RocksDB store's group commits as counters: {@code loralab_store_commit_groups_total},
   * {@code loralab_store_commit_synced_groups_total} (one fsync each) and
   * {@code loralab_store_commit_writes_total}; none for an in-memory store.
   */
  static void registerStoreCommitMetrics(MeterRegistry metrics, IdentityServer identity) {
    if (identity.storeCommitStats().isEmpty()) {
      return;
    }
    storeCommitCounter(metrics, identity, "groups", "group commits (one RocksDB write batch each)",
        RocksDbStore.CommitStats::groups);
    storeCommitCounter(metrics, identity, "synced.groups", "group commits synced to the WAL (one fsync each)",
        RocksDbStore.CommitStats::syncedGroups);
    storeCommitCounter(metrics, identity, "writes", "writes committed in groups",
        RocksDbStore.CommitStats::writes);
  }

  private static void storeCommitCounter(MeterRegistry metrics, IdentityServer identity, String name,
      String description, ToLongFunction<RocksDbStore.CommitStats> count) {
    FunctionCounter.builder("loralab.store.commit." + name, identity,
            i -> i.storeCommitStats().map(count::applyAsLong).orElse(0L).doubleValue())
        .description(description)
        .register(metrics);
  }
}
