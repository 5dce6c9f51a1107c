package dev.loralab.benchmarks;

import com.google.protobuf.ByteString;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationUplink;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Right;
import dev.loralab.events.CorrelationIds;
import dev.loralab.events.Event;
import dev.loralab.events.EventDefinition;
import dev.loralab.events.EventFactory;
import dev.loralab.events.EventSink;
import dev.loralab.events.EventsConfig;
import dev.loralab.events.InMemoryEventBus;
import dev.loralab.events.InMemoryEventHistory;
import dev.loralab.events.Subscription;
import dev.loralab.events.SubscriptionRequest;
import dev.loralab.events.Ulid;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link InMemoryEventBus#publish} of an {@code as.up.data.forward} event (history recording
 * included) with 0, 10 or 100 push subscribers on the device's application. Delivery runs inline
 * (direct executor) and each sink takes the event's JSON, as a stream writer does, so the score is
 * the whole CPU cost of one event for all its subscribers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventPublishBenchmark {

  private static final EventDefinition AS_UP_DATA_FORWARD = EventDefinition.define("as.up.data.forward",
      "forward data message to Application Server").withDataType(ApplicationUp.class)
      .withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ).propagatingToParent();

  @Param({"0", "10", "100"})
  public int subscribers;

  private InMemoryEventBus bus;
  private EventFactory factory;
  private EntityIdentifiers deviceIds;
  private ApplicationUp up;
  private final List<Subscription> subscriptions = new ArrayList<>();

  @Setup(Level.Trial)
  public void setup(Blackhole bh) {
    Clock clock = Clock.systemUTC();
    factory = new EventFactory(clock, new Ulid(clock, new Random(1)), "bench-host");
    EventsConfig config = EventsConfig.defaults();
    bus = new InMemoryEventBus(config, new InMemoryEventHistory(config, clock), factory, new SimpleMeterRegistry());
    ApplicationIdentifiers app = ApplicationIdentifiers.newBuilder().setApplicationId("bench").build();
    EndDeviceIdentifiers dev = EndDeviceIdentifiers.newBuilder().setDeviceId("dev-000001").setApplicationIds(app)
        .setDevEui("70B3D57ED0050EAD").setDevAddr("49BE7DF1").build();
    deviceIds = EntityIdentifiers.newBuilder().setDeviceIds(dev).build();
    up = ApplicationUp.newBuilder().setEndDeviceIds(dev).setUplinkMessage(ApplicationUplink.newBuilder()
        .setFPort(1).setFCnt(2).setFrmPayload(ByteString.copyFrom(new byte[] {1, 2, 3, 4}))).build();
    Executor direct = Runnable::run;
    for (int i = 0; i < subscribers; i++) {
      EventSink sink = new EventSink() {
        @Override
        public boolean ready() {
          return true;
        }

        @Override
        public void accept(Event event) {
          bh.consume(event.toJson());
        }
      };
      subscriptions.add(bus.subscribe(SubscriptionRequest.of(1024,
          EntityIdentifiers.newBuilder().setApplicationIds(app).build()), sink, direct));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    subscriptions.forEach(Subscription::close);
    bus.close();
  }

  @Benchmark
  public void publish() {
    bus.publish(factory.create(AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:01KAXQ4ZK3V0M5F0H7S6W2J8YB"), up,
        deviceIds));
  }
}
