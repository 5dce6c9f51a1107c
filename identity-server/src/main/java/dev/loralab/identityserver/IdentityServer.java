package dev.loralab.identityserver;

import dev.loralab.api.auth.AccessControl;
import dev.loralab.identityserver.internal.AdminBootstrap;
import dev.loralab.identityserver.internal.ApiKeySecrets;
import dev.loralab.identityserver.internal.EntityValidation;
import dev.loralab.identityserver.internal.IdentityApi;
import dev.loralab.identityserver.internal.Ownership;
import dev.loralab.identityserver.internal.StoreApiKeyRegistry;
import dev.loralab.identityserver.internal.StoreApplicationRegistry;
import dev.loralab.identityserver.internal.StoreEndDeviceRegistry;
import dev.loralab.identityserver.internal.StoreGatewayRegistry;
import dev.loralab.identityserver.internal.StoreUserRegistry;
import dev.loralab.identityserver.store.InMemoryStore;
import dev.loralab.identityserver.store.KeyValueStore;
import dev.loralab.identityserver.store.KeyedLocks;
import dev.loralab.identityserver.store.RocksDbStore;
import dev.loralab.web.Router;
import io.grpc.BindableService;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The identity server: storage, registries, API keys, access control, and the HTTP and gRPC API.
 *
 * <p>Build with {@link #builder(IdentityServerConfig)}; {@link Builder#build()} opens the store
 * (RocksDB in {@code <data-dir>/db} by default) and, on first start, creates the user
 * {@code admin} and writes an admin API key to {@code <data-dir>/admin-api-key} (mode 0600).
 * Other servers use {@link #endDevices()} and {@link #store()} in-process. {@link #close()}
 * closes the store.
 */
public final class IdentityServer implements AutoCloseable {
  private final IdentityServerConfig config;
  private final KeyValueStore store;
  private final boolean ownsStore;
  private final StoreApiKeyRegistry apiKeys;
  private final UserRegistry users;
  private final ApplicationRegistry applications;
  private final GatewayRegistry gateways;
  private final StoreEndDeviceRegistry endDevices;
  private final IdentityAccessControl accessControl;
  private final IdentityApi api;
  private final Optional<String> issuedAdminToken;

  private IdentityServer(Builder b) {
    this.config = b.config;
    if (b.store != null) {
      this.store = b.store;
      this.ownsStore = false;
    } else {
      this.store = switch (config.storeKind()) {
        case ROCKSDB -> RocksDbStore.open(config.databaseDirectory(), config.rocksDbSettings());
        case IN_MEMORY -> new InMemoryStore();
      };
      this.ownsStore = true;
    }
    try {
      KeyedLocks locks = new KeyedLocks();
      EntityValidation validation = new EntityValidation(b.frequencyPlanKnown);
      Ownership ownership = new Ownership(store);
      this.apiKeys = new StoreApiKeyRegistry(store,
          new ApiKeySecrets(b.random, config.apiKeyHashIterations()), b.clock,
          config.authCacheCapacity());
      this.users = new StoreUserRegistry(store, apiKeys, validation, b.clock, locks);
      this.endDevices = new StoreEndDeviceRegistry(store, validation, b.clock, locks,
          config.endDeviceCacheCapacity(), config.devAddrCacheCapacity());
      this.applications = new StoreApplicationRegistry(store, ownership, users, endDevices,
          apiKeys, validation, b.clock, locks);
      this.gateways = new StoreGatewayRegistry(store, ownership, users, apiKeys, validation,
          b.clock, locks);
      this.accessControl = new IdentityAccessControl(apiKeys, ownership);
      this.api = new IdentityApi(accessControl, users, applications, gateways, endDevices, apiKeys,
          validation, b.events, config.maxPageSize());
      this.issuedAdminToken = AdminBootstrap.ensure(users, apiKeys,
          b.writeAdminKeyFile ? config.adminApiKeyFile() : null);
    } catch (RuntimeException e) {
      if (ownsStore) {
        store.close();
      }
      throw e;
    }
  }

  /** A builder with the given configuration. */
  public static Builder builder(IdentityServerConfig config) {
    return new Builder(config);
  }

  /** The configuration. */
  public IdentityServerConfig config() {
    return config;
  }

  /** The store (other servers may keep their own namespaces in it). */
  public KeyValueStore store() {
    return store;
  }

  /** Users. */
  public UserRegistry users() {
    return users;
  }

  /** Applications. */
  public ApplicationRegistry applications() {
    return applications;
  }

  /** Gateways. */
  public GatewayRegistry gateways() {
    return gateways;
  }

  /** End devices (shared in-process with the network, join and application servers). */
  public EndDeviceRegistry endDevices() {
    return endDevices;
  }

  /**
   * The end device cache's capacity and hit and miss counts (see
   * {@link IdentityServerConfig#endDeviceCacheCapacity()}), e.g. for metrics.
   */
  public EndDeviceCacheStats endDeviceCacheStats() {
    return endDevices.cacheStats();
  }

  /**
   * The RocksDB store's group commit counters (groups, synced groups, writes), e.g. for metrics;
   * empty if the store is not a {@link RocksDbStore}.
   */
  public Optional<RocksDbStore.CommitStats> storeCommitStats() {
    return store instanceof RocksDbStore rocks ? Optional.of(rocks.commitStats())
        : Optional.empty();
  }

  /** API keys. */
  public ApiKeyRegistry apiKeys() {
    return apiKeys;
  }

  /** Authentication and rights, for every server's HTTP and gRPC API. */
  public AccessControl accessControl() {
    return accessControl;
  }

  /** The admin token, if this start issued one (first start, or the key file was missing). */
  public Optional<String> issuedAdminToken() {
    return issuedAdminToken;
  }

  /** Registers the {@code /api/v3} routes of users, applications, gateways, devices and keys. */
  public void registerRoutes(Router router) {
    new IdentityHttpRoutes(api, accessControl).register(router);
  }

  /**
   * The gRPC services ({@code ttn.lorawan.v3.ApplicationRegistry}, {@code GatewayRegistry},
   * {@code EndDeviceRegistry}, {@code ApplicationAccess}, {@code GatewayAccess},
   * {@code UserAccess}, {@code UserRegistry}). Install them behind
   * {@link dev.loralab.web.grpc.GrpcAuth} with {@link #accessControl()}; they block on storage,
   * so the gRPC server must run them on its default (non-event-loop) executor.
   */
  public List<BindableService> grpcServices() {
    return IdentityGrpcServices.all(api);
  }

  /** Closes the store if this server opened it. */
  @Override
  public void close() {
    if (ownsStore) {
      store.close();
    }
  }

  /** Builds an {@link IdentityServer}. */
  public static final class Builder {
    private final IdentityServerConfig config;
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = new SecureRandom();
    private EntityEventSink events = EntityEventSink.NONE;
    private Predicate<String> frequencyPlanKnown = id -> true;
    private KeyValueStore store;
    private boolean writeAdminKeyFile = true;

    private Builder(IdentityServerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The clock (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The source of key IDs, secrets and salts (default: {@link SecureRandom}). */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Where entity events go (default: nowhere). */
    public Builder events(EntityEventSink events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /**
     * Publishes entity events to {@code bus} (see {@link IdentityEvents}; register their
     * definitions with {@link IdentityEvents#register}).
     */
    public Builder eventBus(dev.loralab.events.EventBus bus) {
      return events(IdentityEvents.sink(bus));
    }

    /** Which frequency plan IDs are accepted (default: any non-empty ID). */
    public Builder frequencyPlans(Predicate<String> known) {
      this.frequencyPlanKnown = Objects.requireNonNull(known, "known");
      return this;
    }

    /** Uses an already open store (not closed by the server) instead of the configured one. */
    public Builder store(KeyValueStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Whether to write the admin key file (default true). */
    public Builder writeAdminKeyFile(boolean write) {
      this.writeAdminKeyFile = write;
      return this;
    }

    /**
     * Opens the store and builds the server.
     *
     * @throws dev.loralab.identityserver.store.StoreLockedException if the data directory is in
     *     use
     */
    public IdentityServer build() {
      return new IdentityServer(this);
    }
  }
}
