package dev.loralab.benchmarks;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationUplink;
import dev.loralab.api.v3.DataRate;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.LoRaDataRate;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.TxSettings;
import dev.loralab.events.CorrelationIds;
import dev.loralab.events.Event;
import dev.loralab.events.EventDefinition;
import dev.loralab.events.EventFactory;
import dev.loralab.events.Ulid;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The NDJSON stream frame {@code {"result":<event>}\n} of a fresh {@code as.up.data.forward} event,
 * rendered the way the event stream did before ({@code ProtoJson.print} to a String, concatenated,
 * {@code getBytes(UTF_8)}: {@link #frameViaString}) and the way {@code Event} renders it now
 * ({@code ProtoJson.printUtf8} straight into the frame: {@link #frameDirect}). Both build the event
 * and its proto in each invocation, as the frame is cached per event; {@link #eventAndProtoOnly} is
 * that share alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventFrameBenchmark {

  private static final EventDefinition AS_UP_DATA_FORWARD = EventDefinition.define("as.up.data.forward",
      "forward data message to Application Server").withDataType(ApplicationUp.class)
      .withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ).propagatingToParent();
  private static final byte[] PREFIX = "{\"result\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SUFFIX = "}\n".getBytes(StandardCharsets.US_ASCII);

  private EventFactory factory;
  private EntityIdentifiers deviceIds;
  private ApplicationUp applicationUp;
  private CorrelationIds correlationIds;

  @Setup
  public void setup() {
    Instant t = Instant.parse("2026-01-15T10:00:00.123456789Z");
    Clock clock = Clock.fixed(t, ZoneOffset.UTC);
    factory = new EventFactory(clock, new Ulid(clock, new Random(1)), "bench-host");
    Timestamp ts = Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    GatewayIdentifiers gw = GatewayIdentifiers.newBuilder().setGatewayId("gw-0001").setEui("B827EBFFFE8DB887")
        .build();
    EndDeviceIdentifiers dev = EndDeviceIdentifiers.newBuilder().setDeviceId("dev-000001")
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("bench"))
        .setDevEui("70B3D57ED0050EAD").setJoinEui("0000000000000000").setDevAddr("49BE7DF1").build();
    deviceIds = EntityIdentifiers.newBuilder().setDeviceIds(dev).build();
    correlationIds = CorrelationIds.of("gs:conn:01KAXQ4ZK3V0M5F0H7S6W2J8YB", "gs:uplink:01KAXQ4ZK3V0M5F0H7S6W2J8YC");
    TxSettings settings = TxSettings.newBuilder().setFrequency(868_500_000L).setTimestamp(351234861)
        .setDataRate(DataRate.newBuilder().setLora(LoRaDataRate.newBuilder().setBandwidth(125_000)
            .setSpreadingFactor(7).setCodingRate("4/5"))).build();
    RxMetadata md = RxMetadata.newBuilder().setGatewayIds(gw).setTime(ts).setTimestamp(351234861).setRssi(-35)
        .setChannelRssi(-35).setSnr(7.8f).setUplinkToken(ByteString.copyFrom(new byte[28])).setReceivedAt(ts)
        .build();
    applicationUp = ApplicationUp.newBuilder().setEndDeviceIds(dev).addAllCorrelationIds(correlationIds.asList())
        .setReceivedAt(ts).setUplinkMessage(ApplicationUplink.newBuilder()
            .setSessionKeyId(ByteString.copyFrom(new byte[16])).setFPort(1).setFCnt(2)
            .setFrmPayload(ByteString.copyFrom(new byte[] {1, 2, 3, 4})).addRxMetadata(md)
            .setSettings(settings).setReceivedAt(ts))
        .build();
  }

  @Benchmark
  public byte[] frameViaString() {
    Event e = factory.create(AS_UP_DATA_FORWARD, correlationIds, applicationUp, deviceIds);
    return ("{\"result\":" + ProtoJson.print(e.toProto()) + "}\n").getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public byte[] frameDirect() {
    Event e = factory.create(AS_UP_DATA_FORWARD, correlationIds, applicationUp, deviceIds);
    return ProtoJson.printUtf8(e.toProto(), PREFIX, SUFFIX);
  }

  /** The part of both frames' cost that is not printing: the event and its proto. */
  @Benchmark
  public Object eventAndProtoOnly() {
    return factory.create(AS_UP_DATA_FORWARD, correlationIds, applicationUp, deviceIds).toProto();
  }
}
