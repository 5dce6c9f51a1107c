package dev.loralab.benchmarks;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.Utf8Sink;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationUplink;
import dev.loralab.api.v3.DataRate;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Event;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.LoRaDataRate;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.Rights;
import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.TxSettings;
import java.nio.charset.StandardCharsets;
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
 * Printing an {@code as.up.data.forward} event's NDJSON stream frame from its cached binary
 * encoding, as the event stream does for every delivered event: into a new array
 * ({@link ProtoJson#printUtf8(com.google.protobuf.Descriptors.Descriptor, byte[], byte[], byte[])})
 * and into a reused frame buffer through a {@link Utf8Sink}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WireJsonFrameBenchmark {
  private static final byte[] NDJSON_PREFIX = "{\"result\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NDJSON_SUFFIX = "}\n".getBytes(StandardCharsets.US_ASCII);

  private byte[] encoding;
  private final FrameBuffer frame = new FrameBuffer();

  /** A reused byte buffer standing in for a stream's frame buffer. */
  static final class FrameBuffer implements Utf8Sink {
    byte[] bytes = new byte[4096];
    int length;

    @Override
    public void write(byte[] b, int off, int len) {
      if (length + len > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(2 * bytes.length, length + len));
      }
      System.arraycopy(b, off, bytes, length, len);
      length += len;
    }
  }

  @Setup
  public void setup() {
    Timestamp ts = Timestamp.newBuilder().setSeconds(1_768_471_200L).setNanos(123_456_789).build();
    EndDeviceIdentifiers dev = EndDeviceIdentifiers.newBuilder().setDeviceId("dev-000001")
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("bench"))
        .setDevEui("70B3D57ED0050EAD").setJoinEui("0000000000000000").setDevAddr("49BE7DF1").build();
    TxSettings settings = TxSettings.newBuilder().setFrequency(868_500_000L).setTimestamp(351234861)
        .setDataRate(DataRate.newBuilder().setLora(LoRaDataRate.newBuilder().setBandwidth(125_000)
            .setSpreadingFactor(7).setCodingRate("4/5"))).build();
    RxMetadata md = RxMetadata.newBuilder()
        .setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId("gw-0001").setEui("B827EBFFFE8DB887"))
        .setTime(ts).setTimestamp(351234861).setRssi(-35).setChannelRssi(-35).setSnr(7.8f)
        .setUplinkToken(ByteString.copyFrom(new byte[28])).setReceivedAt(ts).build();
    String[] cids = {"gs:conn:01KAXQ4ZK3V0M5F0H7S6W2J8YB", "gs:uplink:01KAXQ4ZK3V0M5F0H7S6W2J8YC",
        "ns:uplink:01KAXQ4ZK3V0M5F0H7S6W2J8YD", "as:up:01KAXQ4ZK3V0M5F0H7S6W2J8YE"};
    ApplicationUp up = ApplicationUp.newBuilder().setEndDeviceIds(dev)
        .addAllCorrelationIds(java.util.List.of(cids)).setReceivedAt(ts)
        .setUplinkMessage(ApplicationUplink.newBuilder()
            .setSessionKeyId(ByteString.copyFrom(new byte[16])).setFPort(1).setFCnt(2)
            .setFrmPayload(ByteString.copyFrom(new byte[] {1, 2, 3, 4})).addRxMetadata(md)
            .setSettings(settings).setReceivedAt(ts)
            .setConsumedAirtime(com.google.protobuf.Duration.newBuilder().setNanos(46_336_000)))
        .build();
    encoding = Event.newBuilder().setName("as.up.data.forward").setTime(ts)
        .addIdentifiers(EntityIdentifiers.newBuilder().setDeviceIds(dev)).setData(Any.pack(up))
        .addAllCorrelationIds(java.util.List.of(cids)).setOrigin("bench-host")
        .setVisibility(Rights.newBuilder().addRights(Right.RIGHT_APPLICATION_TRAFFIC_READ))
        .setUniqueId("01KAXQ4ZK3V0M5F0H7S6W2J8YF").build().toByteArray();
    frame.length = 0;
    printIntoFrameBuffer();
    if (!java.util.Arrays.equals(java.util.Arrays.copyOf(frame.bytes, frame.length), printIntoNewArray())) {
      throw new IllegalStateException("sink and array outputs differ");
    }
  }

  /** The frame as a new exact-size array (what {@code Event.ndjsonFrameUtf8()} caches). */
  @Benchmark
  public byte[] printIntoNewArray() {
    return ProtoJson.printUtf8(Event.getDescriptor(), encoding, NDJSON_PREFIX, NDJSON_SUFFIX);
  }

  /** The frame written into a reused buffer: no array of the printer's own. */
  @Benchmark
  public int printIntoFrameBuffer() {
    frame.length = 0;
    ProtoJson.printUtf8(Event.getDescriptor(), encoding, NDJSON_PREFIX, NDJSON_SUFFIX, frame);
    return frame.length;
  }

  /** The event as a String (what {@code Event.toJson()} caches). */
  @Benchmark
  public String printToString() {
    return ProtoJson.print(Event.getDescriptor(), encoding);
  }
}
