package dev.loralab.networkserver.internal;

import com.google.protobuf.Message;
import dev.loralab.api.ApiException;
import dev.loralab.api.NsAs;
import dev.loralab.api.NsGs;
import dev.loralab.api.NsJs;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.events.CorrelationIds;
import dev.loralab.events.EventBus;
import dev.loralab.events.EventDefinition;
import dev.loralab.events.EventFactory;
import dev.loralab.events.Ulid;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.networkserver.NetworkServerConfig;
import dev.loralab.networkserver.NetworkServerStore;
import io.micrometer.core.instrument.MeterRegistry;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the Network Server's flows share: configuration, store, cluster clients, plans,
 * events, time, randomness, executors and metrics.
 */
public record NsContext(
    NetworkServerConfig config,
    NetworkServerStore store,
    NsGs gs,
    NsJs js,
    NsAs as,
    FrequencyPlanStore plans,
    EventBus bus,
    EventFactory events,
    Ulid ulid,
    Clock clock,
    RandomGenerator random,
    ScheduledExecutorService timer,
    KeyedSerialExecutor serial,
    NsMetrics metrics) {

  private static final Logger LOG = LoggerFactory.getLogger(NsContext.class);

  /** Builds the context. */
  public static NsContext create(NetworkServerConfig config, NetworkServerStore store, NsGs gs,
      NsJs js, NsAs as, FrequencyPlanStore plans, EventBus bus, Clock clock,
      RandomGenerator random, ScheduledExecutorService timer, MeterRegistry registry) {
    return create(config, store, gs, js, as, plans, bus, clock, random, timer, timer, registry);
  }

  /** Builds the context; per-device work runs on {@code deviceWork}, timers on {@code timer}. */
  public static NsContext create(NetworkServerConfig config, NetworkServerStore store, NsGs gs,
      NsJs js, NsAs as, FrequencyPlanStore plans, EventBus bus, Clock clock,
      RandomGenerator random, ScheduledExecutorService timer, Executor deviceWork,
      MeterRegistry registry) {
    Ulid ulid = new Ulid(clock, random);
    return new NsContext(config, store, gs, js, as, plans, bus,
        new EventFactory(clock, ulid, "network-server"), ulid, clock, random, timer,
        new KeyedSerialExecutor(deviceWork), new NsMetrics(registry));
  }

  /** Publishes an event. */
  public void publish(EventDefinition def, CorrelationIds ids, Message data,
      EntityIdentifiers entity) {
    bus.publish(events.create(def, ids, data, entity));
  }

  /** Publishes an event with error data. */
  public void publishError(EventDefinition def, CorrelationIds ids, Throwable error,
      EntityIdentifiers entity) {
    publish(def, ids, EventDefinition.errorDetails(error), entity);
  }

  /**
   * Runs the handling of an uplink; a failure drops that uplink, counted by reason
   * ({@code processing} for a malformed frame or a refused call, {@code internal} for a bug) and
   * logged, and never reaches the thread that handed the uplink on.
   */
  public void dropUplinkOnFailure(Runnable handling) {
    try {
      handling.run();
    } catch (LoRaWanException | ApiException e) {
      metrics.uplinkDropped("processing");
      LOG.debug("uplink dropped: {}", e.getMessage());
    } catch (RuntimeException e) {
      metrics.uplinkDropped("internal");
      LOG.warn("uplink processing failed", e);
    }
  }

  /**
   * Applies {@code change} to the device and stores it durably without holding the lane's thread
   * ({@link NetworkServerStore#updateAsync}): returns the stage for a
   * {@link KeyedSerialExecutor#executeAsync} task to return. Once the write completed,
   * {@code then} runs in the lane with the stored device, or with the write's failure (without a
   * {@link CompletionException} around it); what it returns, the lane waits for in turn.
   */
  public CompletionStage<KeyedSerialExecutor.Step> updateDurably(EndDeviceIdentifiers ids,
      UnaryOperator<EndDevice> change,
      BiFunction<EndDevice, Throwable, CompletionStage<KeyedSerialExecutor.Step>> then) {
    CompletableFuture<EndDevice> write;
    try {
      write = store.updateAsync(ids, change, true);
    } catch (RuntimeException e) {
      write = CompletableFuture.failedFuture(e);
    }
    return write.handle((stored, error) -> () -> then.apply(stored,
        error == null ? null : KeyedSerialExecutor.cause(error)));
  }

  /** A new correlation ID with this prefix. */
  public String newCorrelationId(String prefix) {
    return CorrelationIds.newId(prefix, ulid);
  }
}
