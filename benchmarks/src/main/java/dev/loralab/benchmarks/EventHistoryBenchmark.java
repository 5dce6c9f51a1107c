package dev.loralab.benchmarks;

import com.google.protobuf.ByteString;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationUplink;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.events.CorrelationIds;
import dev.loralab.events.Event;
import dev.loralab.events.EventDefinition;
import dev.loralab.events.EventFactory;
import dev.loralab.events.EventSink;
import dev.loralab.events.EventsConfig;
import dev.loralab.events.InMemoryEventBus;
import dev.loralab.events.InMemoryEventHistory;
import dev.loralab.events.SubscriptionRequest;
import dev.loralab.events.Ulid;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.Set;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The event cost of one data uplink as the stack publishes it: seven events (gateway, network and
 * application server) with fresh correlation IDs, round-robin over {@code devices} devices of one
 * application and 200 gateways, into an {@link InMemoryEventBus} with the default
 * {@link InMemoryEventHistory} and no subscribers. {@code uplinkBuildOnly} builds the same events
 * without publishing them, so {@code uplink - uplinkBuildOnly} is the history's share. Both run with
 * the history's full bounded live set (the default 50,000 entity entries and 100,000 correlation IDs
 * after warm-up), so the GC cost of that live set is part of the score.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EventHistoryBenchmark {

  private static final EventDefinition GS_UP_RECEIVE = EventDefinition.define("gs.up.receive",
      "receive uplink message").withDataType(UplinkMessage.class).withVisibility(Right.RIGHT_GATEWAY_TRAFFIC_READ);
  private static final EventDefinition GS_UP_FORWARD = EventDefinition.define("gs.up.forward",
      "forward uplink message").withVisibility(Right.RIGHT_GATEWAY_TRAFFIC_READ);
  private static final EventDefinition NS_UP_DATA_RECEIVE = EventDefinition.define("ns.up.data.receive",
      "receive data message").withDataType(UplinkMessage.class)
      .withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ);
  private static final EventDefinition NS_UP_DATA_PROCESS = EventDefinition.define("ns.up.data.process",
      "successfully processed data message").withDataType(UplinkMessage.class)
      .withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ).propagatingToParent();
  private static final EventDefinition NS_UP_DATA_FORWARD = EventDefinition.define("ns.up.data.forward",
      "forward data message to Application Server").withDataType(ApplicationUp.class)
      .withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ).propagatingToParent();
  private static final EventDefinition AS_UP_DATA_RECEIVE = EventDefinition.define("as.up.data.receive",
      "receive uplink data message").withDataType(ApplicationUp.class)
      .withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ);
  private static final EventDefinition AS_UP_DATA_FORWARD = EventDefinition.define("as.up.data.forward",
      "forward uplink data message").withDataType(ApplicationUp.class)
      .withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ).propagatingToParent();

  private static final int GATEWAYS = 200;

  @Param({"10000"})
  public int devices;

  /**
   * Whether a push subscriber on the application takes each {@code as.up.data.forward} event's JSON,
   * as the end-to-end harness's measuring stream does (not a JMH parameter: rendering would dominate
   * the score; {@link EventHistoryFootprint} sets it to show what the history keeps of rendered events).
   */
  public boolean renderingSubscriber;

  private InMemoryEventBus bus;
  private EventFactory factory;
  private Ulid ulid;
  private EntityIdentifiers[] deviceIds;
  private EndDeviceIdentifiers[] endDeviceIds;
  private EntityIdentifiers[] gatewayIds;
  private String[] gatewayConnIds;
  private int next;
  /** Characters of JSON rendered by the {@link #renderingSubscriber}. */
  long rendered;

  @Setup(Level.Trial)
  public void setup() {
    Clock clock = Clock.systemUTC();
    ulid = new Ulid(clock, new Random(1));
    factory = new EventFactory(clock, ulid, "bench-host");
    EventsConfig config = EventsConfig.defaults();
    bus = new InMemoryEventBus(config, new InMemoryEventHistory(config, clock), factory, new SimpleMeterRegistry());
    ApplicationIdentifiers app = ApplicationIdentifiers.newBuilder().setApplicationId("bench").build();
    deviceIds = new EntityIdentifiers[devices];
    endDeviceIds = new EndDeviceIdentifiers[devices];
    for (int i = 0; i < devices; i++) {
      endDeviceIds[i] = EndDeviceIdentifiers.newBuilder().setDeviceId(String.format("dev-%06d", i))
          .setApplicationIds(app).setDevEui(String.format("70B3D57ED0%06X", i))
          .setDevAddr(String.format("26%06X", i)).build();
      deviceIds[i] = EntityIdentifiers.newBuilder().setDeviceIds(endDeviceIds[i]).build();
    }
    if (renderingSubscriber) {
      EventSink sink = new EventSink() {
        @Override
        public boolean ready() {
          return true;
        }

        @Override
        public void accept(Event event) {
          rendered += event.toJson().length();
        }
      };
      Executor direct = Runnable::run;
      bus.subscribe(new SubscriptionRequest(List.of(EntityIdentifiers.newBuilder().setApplicationIds(app).build()),
          Set.of(AS_UP_DATA_FORWARD.name()), 1024), sink, direct);
    }
    gatewayIds = new EntityIdentifiers[GATEWAYS];
    gatewayConnIds = new String[GATEWAYS];
    for (int i = 0; i < GATEWAYS; i++) {
      gatewayIds[i] = EntityIdentifiers.newBuilder().setGatewayIds(GatewayIdentifiers.newBuilder()
          .setGatewayId(String.format("gw-%03d", i))).build();
      gatewayConnIds[i] = CorrelationIds.GS_CONN + ulid.next();
    }
  }

  /** Builds and publishes the seven events of one uplink. */
  @Benchmark
  public void uplink() {
    for (Event e : build()) {
      bus.publish(e);
    }
  }

  /**
   * {@link #uplink}, then each event's JSON as a stream subscriber takes it: the events are both
   * recorded and rendered (the history's encoding is the one the rendering prints from).
   */
  @Benchmark
  public void uplinkRendered(Blackhole bh) {
    for (Event e : build()) {
      bus.publish(e);
      bh.consume(e.toJson());
    }
  }

  /** Builds the seven events of one uplink and renders their JSON, unpublished (the baseline of {@link #uplinkRendered}). */
  @Benchmark
  public void uplinkRenderedOnly(Blackhole bh) {
    for (Event e : build()) {
      bh.consume(e.toJson());
    }
  }

  /** Builds the seven events of one uplink without publishing them (the baseline of {@link #uplink}). */
  @Benchmark
  public void uplinkBuildOnly(Blackhole bh) {
    bh.consume(build());
  }

  /** The seven events of the next uplink (also used by {@link EventRecordBenchmark}). */
  Event[] build() {
    int d = next++ % devices;
    EntityIdentifiers gw = gatewayIds[d % GATEWAYS];
    EntityIdentifiers dev = deviceIds[d];
    CorrelationIds gs = CorrelationIds.of(gatewayConnIds[d % GATEWAYS], CorrelationIds.GS_UPLINK + ulid.next());
    UplinkMessage gsUp = UplinkMessage.newBuilder().setRawPayload(ByteString.copyFrom(new byte[] {0x40, 1, 2, 3}))
        .addAllCorrelationIds(gs.asList()).build();
    CorrelationIds ns = gs.with("rpc:/ttn.lorawan.v3.GsNs/HandleUplink:" + ulid.next())
        .with(CorrelationIds.NS_UPLINK + ulid.next());
    UplinkMessage nsUp = gsUp.toBuilder().clearCorrelationIds().addAllCorrelationIds(ns.asList()).build();
    CorrelationIds as = ns.with("rpc:/ttn.lorawan.v3.NsAs/HandleUplink:" + ulid.next());
    ApplicationUp appUp = ApplicationUp.newBuilder().setEndDeviceIds(endDeviceIds[d]).addAllCorrelationIds(as.asList())
        .setUplinkMessage(ApplicationUplink.newBuilder().setFPort(1).setFCnt(next)
            .setFrmPayload(ByteString.copyFrom(new byte[] {1, 2, 3, 4}))).build();
    CorrelationIds asUp = CorrelationIds.of(CorrelationIds.AS_UP + ulid.next());
    return new Event[] {
        factory.create(GS_UP_RECEIVE, gs, gsUp, gw),
        factory.create(GS_UP_FORWARD, gs, null, gw),
        factory.create(NS_UP_DATA_RECEIVE, ns, nsUp, dev),
        factory.create(NS_UP_DATA_PROCESS, ns, nsUp, dev),
        factory.create(NS_UP_DATA_FORWARD, as, appUp, dev),
        factory.create(AS_UP_DATA_RECEIVE, asUp, appUp, dev),
        factory.create(AS_UP_DATA_FORWARD, asUp, appUp, dev),
    };
  }
}
