package dev.loralab.networkserver;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.events.testing.RecordingEventBus;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;

/**
 * A Network Server on fakes, with a short deduplication window and a long cooldown. With
 * {@link #withManualTimers} its timers (deduplication windows, class C, retries) run on virtual
 * time that the test advances: copies sent by a slow test thread cannot miss the window.
 */
final class Harness implements AutoCloseable {

  static final FrequencyPlanStore PLANS = FrequencyPlanStore.builtIn();

  final List<String> order = Fakes.newOrder();
  final InMemoryNetworkServerStore store = new InMemoryNetworkServerStore();
  final Fakes.FakeGs gs = new Fakes.FakeGs(order);
  final Fakes.FakeJs js = new Fakes.FakeJs();
  final Fakes.FakeAs as = new Fakes.FakeAs();
  final RecordingEventBus bus = new RecordingEventBus();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
  /** The virtual timers, or null when the NS uses {@link #executor} for its timers too. */
  final ManualScheduler timers;
  final NetworkServer ns;

  Harness() {
    this(NetworkServerConfig.defaults()
        .withDeduplication(Duration.ofMillis(100), Duration.ofSeconds(30)));
  }

  Harness(NetworkServerConfig config) {
    this(config, null);
  }

  private Harness(NetworkServerConfig config, ManualScheduler timers) {
    this(config, timers, false, UnaryOperator.identity());
  }

  /**
   * @param virtualDeviceWork per-device work runs on {@code timers} too: everything happens on
   *     the test thread when it advances them
   * @param storeView what the Network Server sees of {@link #store} (e.g. a wrapper counting
   *     or delaying calls)
   */
  private Harness(NetworkServerConfig config, ManualScheduler timers, boolean virtualDeviceWork,
      UnaryOperator<NetworkServerStore> storeView) {
    this(config, timers, virtualDeviceWork, storeView, e -> e);
  }

  /** @param deviceWorkView what the Network Server sees of its device executor */
  private Harness(NetworkServerConfig config, ManualScheduler timers, boolean virtualDeviceWork,
      UnaryOperator<NetworkServerStore> storeView, UnaryOperator<Executor> deviceWorkView) {
    this.timers = timers;
    store.onUpdate(() -> order.add("update:" + store.updates().get(store.updates().size() - 1)
        .durable()));
    NetworkServerStore seen = storeView.apply(store);
    ns = timers == null
        ? new NetworkServer(config, seen, gs, js, as, PLANS, bus, Clock.systemUTC(),
            new java.util.SplittableRandom(42), executor, registry)
        : new NetworkServer(config, seen, gs, js, as, PLANS, bus, Clock.systemUTC(),
            new java.util.SplittableRandom(42), timers,
            deviceWorkView.apply(virtualDeviceWork ? timers : executor), registry);
  }

  /** A harness whose timers only run when the test calls {@code timers.advance}. */
  static Harness withManualTimers() {
    return withManualTimers(NetworkServerConfig.defaults()
        .withDeduplication(Duration.ofMillis(100), Duration.ofSeconds(30)));
  }

  /** A harness on {@code config} whose timers only run when the test advances them. */
  static Harness withManualTimers(NetworkServerConfig config) {
    return new Harness(config, new ManualScheduler());
  }

  /** A harness on {@code config} whose timers only run when the test advances them. */
  static Harness withManualTimers(NetworkServerConfig config,
      UnaryOperator<NetworkServerStore> storeView) {
    return new Harness(config, new ManualScheduler(), false, storeView);
  }

  /**
   * A harness on {@code config} where timers and per-device work only run when the test
   * advances {@link #timers}, on the test thread: what did not happen after
   * {@link #runDue} has not happened yet, by construction.
   */
  static Harness withVirtualTime(NetworkServerConfig config,
      UnaryOperator<NetworkServerStore> storeView) {
    return new Harness(config, new ManualScheduler(), true, storeView);
  }

  /**
   * As {@link #withVirtualTime(NetworkServerConfig, UnaryOperator)}, with the device executor
   * seen through {@code deviceWorkView} (e.g. a wrapper counting dispatches).
   */
  static Harness withVirtualTime(NetworkServerConfig config,
      UnaryOperator<NetworkServerStore> storeView, UnaryOperator<Executor> deviceWorkView) {
    return new Harness(config, new ManualScheduler(), true, storeView, deviceWorkView);
  }

  /** Runs the work due now (virtual time only). */
  void runDue() {
    timers.advance(Duration.ZERO);
  }

  /** Closes the deduplication windows open now (virtual timers only). */
  void closeDeduplicationWindows() {
    timers.advance(ns.config().deduplicationWindow());
  }

  /** The count of the counter {@code name} (0 until it is registered). */
  double counter(String name) {
    var c = registry.find(name).counter();
    return c == null ? 0 : c.count();
  }

  /** {@code ns_uplink_dropped_total} with {@code reason} (0 until it is registered). */
  double dropped(String reason) {
    var c = registry.find("ns_uplink_dropped_total").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  EndDevice device(TestDevice d) {
    return store.get(d.ids).orElseThrow();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    if (timers != null) {
      timers.shutdownNow();
    }
  }
}
