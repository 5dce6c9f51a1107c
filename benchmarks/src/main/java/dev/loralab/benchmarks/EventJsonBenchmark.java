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
import dev.loralab.api.v3.GatewayUplinkMessage;
import dev.loralab.api.v3.LoRaDataRate;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.TxSettings;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.events.CorrelationIds;
import dev.loralab.events.Event;
import dev.loralab.events.EventDefinition;
import dev.loralab.events.EventFactory;
import dev.loralab.events.Ulid;
import dev.loralab.lorawan.HexBytes;
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
 * Rendering events to their JSON form ({@link Event#toJson()}, protobuf JSON with {@code @type}
 * data), once per event as every stream subscriber shares it: a {@code gs.up.receive} with a
 * {@link GatewayUplinkMessage} and an {@code as.up.data.forward} with an {@link ApplicationUp}.
 * Each invocation builds a fresh event, because the JSON is cached per event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventJsonBenchmark {

  private static final EventDefinition GS_UP_RECEIVE = EventDefinition.define("gs.up.receive", "receive uplink")
      .withDataType(GatewayUplinkMessage.class).withVisibility(Right.RIGHT_GATEWAY_TRAFFIC_READ);
  private static final EventDefinition AS_UP_DATA_FORWARD = EventDefinition.define("as.up.data.forward",
      "forward data message to Application Server").withDataType(ApplicationUp.class)
      .withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ).propagatingToParent();

  private EventFactory factory;
  private EntityIdentifiers gatewayIds;
  private EntityIdentifiers deviceIds;
  private GatewayUplinkMessage gatewayUplink;
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
    gatewayIds = EntityIdentifiers.newBuilder().setGatewayIds(gw).build();
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
    UplinkMessage up = UplinkMessage.newBuilder()
        .setRawPayload(ByteString.copyFrom(HexBytes.parse("phy", "40F17DBE4900020001954378762B11FF0D")))
        .setSettings(settings).addRxMetadata(md).setReceivedAt(ts).addAllCorrelationIds(correlationIds.asList())
        .build();
    gatewayUplink = GatewayUplinkMessage.newBuilder().setMessage(up).setBandId("EU_863_870").build();
    applicationUp = ApplicationUp.newBuilder().setEndDeviceIds(dev).addAllCorrelationIds(correlationIds.asList())
        .setReceivedAt(ts).setUplinkMessage(ApplicationUplink.newBuilder()
            .setSessionKeyId(ByteString.copyFrom(new byte[16])).setFPort(1).setFCnt(2)
            .setFrmPayload(ByteString.copyFrom(new byte[] {1, 2, 3, 4})).addRxMetadata(md)
            .setSettings(settings).setReceivedAt(ts))
        .build();
  }

  @Benchmark
  public String gsUpReceive() {
    return factory.create(GS_UP_RECEIVE, correlationIds, gatewayUplink, gatewayIds).toJson();
  }

  @Benchmark
  public String asUpDataForward() {
    return factory.create(AS_UP_DATA_FORWARD, correlationIds, applicationUp, deviceIds).toJson();
  }

  @Benchmark
  public Event asUpDataForwardBuildOnly() {
    return factory.create(AS_UP_DATA_FORWARD, correlationIds, applicationUp, deviceIds);
  }

  private static final byte[] NDJSON_PREFIX = "{\"result\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NDJSON_SUFFIX = "}\n".getBytes(StandardCharsets.US_ASCII);

  /** The NDJSON frame of a fresh event the former way: printed to a String, then encoded. */
  @Benchmark
  public byte[] asUpDataForwardFrameViaString() {
    Event e = factory.create(AS_UP_DATA_FORWARD, correlationIds, applicationUp, deviceIds);
    return ("{\"result\":" + ProtoJson.print(e.toProto()) + "}\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The NDJSON frame printed straight into bytes, as streams do. */
  @Benchmark
  public byte[] asUpDataForwardFrameDirect() {
    Event e = factory.create(AS_UP_DATA_FORWARD, correlationIds, applicationUp, deviceIds);
    return ProtoJson.printUtf8(e.toProto(), NDJSON_PREFIX, NDJSON_SUFFIX);
  }

  /** The part of a frame's cost that is not printing: the event and its proto. */
  @Benchmark
  public Object asUpDataForwardProtoOnly() {
    return factory.create(AS_UP_DATA_FORWARD, correlationIds, applicationUp, deviceIds).toProto();
  }
}
