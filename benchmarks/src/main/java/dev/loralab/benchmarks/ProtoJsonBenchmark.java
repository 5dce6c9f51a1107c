package dev.loralab.benchmarks;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationUplink;
import dev.loralab.api.v3.DataRate;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Event;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.GatewayUplinkMessage;
import dev.loralab.api.v3.LoRaDataRate;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.Rights;
import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.TxSettings;
import dev.loralab.api.v3.UplinkMessage;
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
 * Printing event protos as protobuf JSON: {@link ProtoJson#print} (the wire transcoder) against
 * protobuf-java-util's {@code JsonFormat} printer in the same configuration, for an
 * {@code as.up.data.forward} event (Any data = ApplicationUp with an uplink from 1 or 3 gateways)
 * and a {@code gs.up.receive} event (Any data = GatewayUplinkMessage).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProtoJsonBenchmark {
  private static final JsonFormat.Printer JSON_FORMAT = JsonFormat.printer()
      .usingTypeRegistry(ProtoJson.typeRegistry()).preservingProtoFieldNames()
      .omittingInsignificantWhitespace();

  private Event asUpDataForward1;
  private Event asUpDataForward3;
  private Event gsUpReceive;

  @Setup
  public void setup() {
    Timestamp ts = Timestamp.newBuilder().setSeconds(1_768_471_200L).setNanos(123_456_789).build();
    EndDeviceIdentifiers dev = EndDeviceIdentifiers.newBuilder().setDeviceId("dev-000001")
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("bench"))
        .setDevEui("70B3D57ED0050EAD").setJoinEui("0000000000000000").setDevAddr("49BE7DF1").build();
    TxSettings settings = TxSettings.newBuilder().setFrequency(868_500_000L).setTimestamp(351234861)
        .setDataRate(DataRate.newBuilder().setLora(LoRaDataRate.newBuilder().setBandwidth(125_000)
            .setSpreadingFactor(7).setCodingRate("4/5"))).build();
    RxMetadata[] md = new RxMetadata[3];
    for (int i = 0; i < 3; i++) {
      GatewayIdentifiers gw = GatewayIdentifiers.newBuilder().setGatewayId("gw-000" + (i + 1))
          .setEui("B827EBFFFE8DB88" + i).build();
      md[i] = RxMetadata.newBuilder().setGatewayIds(gw).setTime(ts).setTimestamp(351234861 + i)
          .setRssi(-35 - i).setChannelRssi(-35 - i).setSnr(7.8f - i)
          .setUplinkToken(ByteString.copyFrom(new byte[28])).setReceivedAt(ts).build();
    }
    String[] cids = {"gs:conn:01KAXQ4ZK3V0M5F0H7S6W2J8YB", "gs:uplink:01KAXQ4ZK3V0M5F0H7S6W2J8YC",
        "ns:uplink:01KAXQ4ZK3V0M5F0H7S6W2J8YD", "as:up:01KAXQ4ZK3V0M5F0H7S6W2J8YE"};
    asUpDataForward1 = asUp(dev, ts, settings, cids, md[0]);
    asUpDataForward3 = asUp(dev, ts, settings, cids, md);
    UplinkMessage up = UplinkMessage.newBuilder()
        .setRawPayload(ByteString.copyFrom(new byte[] {0x40, (byte) 0xF1, 0x7D, (byte) 0xBE, 0x49, 0,
            2, 0, 1, (byte) 0x95, 0x43, 0x78, 0x76, 0x2B, 0x11, (byte) 0xFF, 0x0D}))
        .setSettings(settings).addRxMetadata(md[0]).setReceivedAt(ts)
        .addCorrelationIds(cids[0]).addCorrelationIds(cids[1]).build();
    gsUpReceive = Event.newBuilder().setName("gs.up.receive").setTime(ts)
        .addIdentifiers(EntityIdentifiers.newBuilder().setGatewayIds(md[0].getGatewayIds()))
        .setData(Any.pack(GatewayUplinkMessage.newBuilder().setMessage(up).setBandId("EU_863_870")
            .build()))
        .addCorrelationIds(cids[0]).addCorrelationIds(cids[1]).setOrigin("bench-host")
        .setVisibility(Rights.newBuilder().addRights(Right.RIGHT_GATEWAY_TRAFFIC_READ))
        .setUniqueId("01KAXQ4ZK3V0M5F0H7S6W2J8YF").build();
    for (Event e : new Event[] {asUpDataForward1, asUpDataForward3, gsUpReceive}) {
      try {
        if (!ProtoJson.print(e).equals(JSON_FORMAT.print(e))) {
          throw new IllegalStateException("outputs differ for " + e.getName());
        }
      } catch (InvalidProtocolBufferException ex) {
        throw new IllegalStateException(ex);
      }
    }
  }

  private static Event asUp(EndDeviceIdentifiers dev, Timestamp ts, TxSettings settings,
      String[] cids, RxMetadata... md) {
    ApplicationUp up = ApplicationUp.newBuilder().setEndDeviceIds(dev)
        .addAllCorrelationIds(java.util.List.of(cids)).setReceivedAt(ts)
        .setUplinkMessage(ApplicationUplink.newBuilder()
            .setSessionKeyId(ByteString.copyFrom(new byte[16])).setFPort(1).setFCnt(2)
            .setFrmPayload(ByteString.copyFrom(new byte[] {1, 2, 3, 4}))
            .addAllRxMetadata(java.util.List.of(md)).setSettings(settings).setReceivedAt(ts)
            .setConsumedAirtime(com.google.protobuf.Duration.newBuilder().setNanos(46_336_000)))
        .build();
    return Event.newBuilder().setName("as.up.data.forward").setTime(ts)
        .addIdentifiers(EntityIdentifiers.newBuilder().setDeviceIds(dev)).setData(Any.pack(up))
        .addAllCorrelationIds(java.util.List.of(cids)).setOrigin("bench-host")
        .setVisibility(Rights.newBuilder().addRights(Right.RIGHT_APPLICATION_TRAFFIC_READ))
        .setUniqueId("01KAXQ4ZK3V0M5F0H7S6W2J8YF").build();
  }

  @Benchmark
  public String asUpDataForward1GatewayWire() {
    return ProtoJson.print(asUpDataForward1);
  }

  @Benchmark
  public String asUpDataForward1GatewayJsonFormat() throws InvalidProtocolBufferException {
    return JSON_FORMAT.print(asUpDataForward1);
  }

  @Benchmark
  public String asUpDataForward3GatewaysWire() {
    return ProtoJson.print(asUpDataForward3);
  }

  @Benchmark
  public String asUpDataForward3GatewaysJsonFormat() throws InvalidProtocolBufferException {
    return JSON_FORMAT.print(asUpDataForward3);
  }

  @Benchmark
  public String gsUpReceiveWire() {
    return ProtoJson.print(gsUpReceive);
  }

  @Benchmark
  public String gsUpReceiveJsonFormat() throws InvalidProtocolBufferException {
    return JSON_FORMAT.print(gsUpReceive);
  }
}
