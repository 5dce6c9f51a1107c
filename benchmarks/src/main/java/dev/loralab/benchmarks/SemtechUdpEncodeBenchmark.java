package dev.loralab.benchmarks;

import dev.loralab.gatewayserver.udp.SemtechPacket.PullResp;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushAck;
import dev.loralab.gatewayserver.udp.SemtechUdpCodec;
import dev.loralab.gatewayserver.udp.Txpk;
import dev.loralab.lorawan.Bytes;
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
 * Encoding by the gateway server's codec of what it sends per datagram: the PUSH_ACK of every
 * PUSH_DATA (PROTOCOL.TXT §3.3) and the PULL_RESP of every downlink (§6.2, a class A downlink with
 * a 17-byte PHYPayload).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SemtechUdpEncodeBenchmark {

  private SemtechUdpCodec codec;
  private PushAck pushAck;
  private PullResp pullResp;

  @Setup
  public void setup() {
    codec = new SemtechUdpCodec();
    pushAck = new PushAck(2, 0x1234);
    pullResp = new PullResp(2, 0xBEEF, Txpk.loraAt(3_513_348_611L, 869_525_000L, 14, 9, 125_000,
        "4/5", Bytes.parse("60F17DBE4900020001954378762B11FF0D")));
  }

  @Benchmark
  public byte[] pushAck() {
    return codec.encode(pushAck);
  }

  @Benchmark
  public byte[] pullResp() {
    return codec.encode(pullResp);
  }
}
