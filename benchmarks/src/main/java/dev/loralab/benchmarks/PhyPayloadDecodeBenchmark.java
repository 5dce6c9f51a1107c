package dev.loralab.benchmarks;

import dev.loralab.lorawan.HexBytes;
import dev.loralab.lorawan.frame.PhyPayload;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
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

/** PHYPayload decoding (structure only, no crypto) of typical frames. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PhyPayloadDecodeBenchmark {

  private byte[] dataUpWithFOpts;
  private byte[] dataUpLarge;
  private byte[] joinRequest;

  @Setup
  public void setup() {
    // brocaar_1_0_fopts_plain: FOpts 020305, FPort 1, 4-byte FRMPayload
    dataUpWithFOpts = HexBytes.parse("phy", "4004030201030000020305016A3798F5B64DC039");
    // lp_decrypt_large: 44-byte FRMPayload
    dataUpLarge = HexBytes.parse("phy", "40F17DBE490004000155332DE41A11ADC072553544429CE7787707D1C316E0"
        + "27E7E5E334263376AFFB8AA17AD30075293F28DEA8A20AF3C5E7");
    // brocaar_example_join_request
    joinRequest = HexBytes.parse("phy", "0001010101010101010202020202020202030309B97B32");
  }

  @Benchmark
  public PhyPayload dataUplinkWithFOpts() {
    return PhyPayloadCodec.decode(dataUpWithFOpts);
  }

  @Benchmark
  public PhyPayload dataUplink44BytePayload() {
    return PhyPayloadCodec.decode(dataUpLarge);
  }

  @Benchmark
  public PhyPayload joinRequest() {
    return PhyPayloadCodec.decode(joinRequest);
  }
}
