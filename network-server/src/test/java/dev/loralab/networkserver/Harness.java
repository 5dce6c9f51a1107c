package dev.loralab.networkserver;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** A Network Server on fakes, with a short deduplication window and a long cooldown. */
final class Harness implements AutoCloseable {

  static final FrequencyPlanStore PLANS = FrequencyPlanStore.builtIn();

  final List<String> order = Fakes.newOrder();
  final InMemoryNetworkServerStore store = new InMemoryNetworkServerStore();
  final Fakes.FakeGs gs = new Fakes.FakeGs(order);
  final Fakes.FakeJs js = new Fakes.FakeJs();
  final Fakes.FakeAs as = new Fakes.FakeAs();
  final Fakes.RecordingBus bus = new Fakes.RecordingBus();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
  final NetworkServer ns;

  Harness() {
    this(NetworkServerConfig.defaults()
        .withDeduplication(Duration.ofMillis(100), Duration.ofSeconds(30)));
  }

  Harness(NetworkServerConfig config) {
    store.onUpdate(() -> order.add("update:" + store.updates().get(store.updates().size() - 1)
        .durable()));
    ns = new NetworkServer(config, store, gs, js, as, PLANS, bus, Clock.systemUTC(),
        new java.util.SplittableRandom(42), executor, registry);
  }

  EndDevice device(TestDevice d) {
    return store.get(d.ids).orElseThrow();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
