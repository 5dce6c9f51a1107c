package dev.loralab.benchmarks;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.MACParameters;
import dev.loralab.api.v3.MACSettings;
import dev.loralab.api.v3.MACState;
import dev.loralab.api.v3.Session;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The device the registry serializes for each uplink's durable write: a new version of a device
 * with a MAC state (current and desired MAC parameters with 8 channels, 20 recent uplinks), in
 * which the uplink changed the frame counter and the recent uplinks (one in, one out) and left the
 * MAC parameters and settings alone.
 *
 * <ul>
 *   <li>{@code buildOnly}: building the new version alone (to subtract).
 *   <li>{@code buildAndSerialize}: building it and {@code toByteString()}, as
 *       {@code Batch.put} does (sizes computed once, memoized, then written).
 *   <li>{@code buildAndSerializeWithoutParameters}: the same for a device without MAC parameters
 *       or settings: the most that writing their unchanged bytes from a cache could save.
 * </ul>
 *
 * <p>Short runs: {@code -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DeviceWriteBenchmark {
  private EndDevice device;
  private EndDevice bare;

  private static MACParameters parameters() {
    MACParameters.Builder p = MACParameters.newBuilder().setMaxEirp(16).setAdrDataRateIndex(5)
        .setAdrTxPowerIndex(1).setAdrNbTrans(1).setRx1Delay(1).setRx2DataRateIndex(0)
        .setRx2Frequency(869_525_000L).setMaxDutyCycle(7);
    for (int c = 0; c < 8; c++) {
      p.addChannels(MACParameters.Channel.newBuilder()
          .setUplinkFrequency(867_100_000L + 200_000L * c)
          .setDownlinkFrequency(867_100_000L + 200_000L * c)
          .setMaxDataRateIndex(5).setEnableUplink(true));
    }
    return p.build();
  }

  private static MACState.UplinkQuality uplink(int fCnt) {
    return MACState.UplinkQuality.newBuilder().setFCnt(fCnt).setMaxSnr(7.5f).setMaxRssi(-42)
        .setGatewayCount(1).setDataRateIndex(5)
        .setReceivedAt(Timestamp.newBuilder().setSeconds(1_790_000_000L + fCnt)
            .setNanos(123_000_000))
        .build();
  }

  @Setup(Level.Trial)
  public void fill() {
    MACState.Builder mac = MACState.newBuilder().setCurrentParameters(parameters())
        .setDesiredParameters(parameters()).setRxWindowsAvailable(true);
    for (int f = 0; f < 20; f++) {
      mac.addRecentUplinks(uplink(f));
    }
    device = EndDevice.newBuilder()
        .setIds(EndDeviceIdentifiers.newBuilder().setDeviceId("dev-1")
            .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1"))
            .setDevEui("70B3D57ED0000001").setJoinEui("70B3D57ED0000000").setDevAddr("26000001"))
        .setMacSettings(MACSettings.newBuilder().setRx1Delay(1).setRx2DataRateIndex(0))
        .setSession(Session.newBuilder().setDevAddr("26000001").setLastFCntUp(19))
        .setMacState(mac)
        .build();
    bare = device.toBuilder().clearMacSettings().setMacState(device.getMacState().toBuilder()
        .clearCurrentParameters().clearDesiredParameters()).build();
  }

  /** The next version of {@code d} after an uplink (fresh instances, as the registry gets). */
  private static EndDevice next(EndDevice d) {
    int f = d.getSession().getLastFCntUp() + 1;
    EndDevice.Builder b = d.toBuilder();
    b.getSessionBuilder().setLastFCntUp(f);
    b.getMacStateBuilder().removeRecentUplinks(0).addRecentUplinks(uplink(f));
    return b.build();
  }

  @Benchmark
  public EndDevice buildOnly() {
    device = next(device);
    return device;
  }

  @Benchmark
  public ByteString buildAndSerialize() {
    device = next(device);
    return device.toByteString();
  }

  @Benchmark
  public ByteString buildAndSerializeWithoutParameters() {
    bare = next(bare);
    return bare.toByteString();
  }
}
