package dev.loralab.benchmarks;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.HexBytes;
import dev.loralab.lorawan.crypto.PayloadCipher;
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
 * FRMPayload decryption with the AppSKey (LoRaWAN 1.0.x/1.1 §4.3.3) as the application server
 * does it per uplink: 4 bytes (one keystream block) and 44 bytes (three blocks).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrmPayloadDecryptBenchmark {

  private AesKey appSKey;
  private DevAddr devAddr;
  private byte[] small;
  private byte[] large;

  @Setup
  public void setup() {
    // lp_decrypt_large: DevAddr 49BE7DF1, FCnt 4, AppSKey EC92...C588
    appSKey = AesKey.parse("EC925802AE430CA77FD3DD73CB2CC588");
    devAddr = DevAddr.parse("49BE7DF1");
    large = HexBytes.parse("frm", "55332DE41A11ADC072553544429CE7787707D1C316E027E7E5E334263376AFFB8AA17AD30075293F28DEA8A2");
    small = HexBytes.parse("frm", "55332DE4");
  }

  @Benchmark
  public byte[] decrypt4Bytes() {
    return PayloadCipher.frmPayload(appSKey, true, devAddr, 4, small);
  }

  @Benchmark
  public byte[] decrypt44Bytes() {
    return PayloadCipher.frmPayload(appSKey, true, devAddr, 4, large);
  }
}
