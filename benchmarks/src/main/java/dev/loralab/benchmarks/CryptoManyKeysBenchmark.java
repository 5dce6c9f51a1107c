package dev.loralab.benchmarks;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.FCnt;
import dev.loralab.lorawan.HexBytes;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.PayloadCipher;
import java.util.Arrays;
import java.util.SplittableRandom;
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
 * Uplink MIC verification and FRMPayload decryption as a server sees them with many devices:
 * every call uses another device's session keys (4096 keys in turn), so no per-thread key
 * cache can skip the AES key expansion, unlike {@link UplinkMicBenchmark} and
 * {@link FrmPayloadDecryptBenchmark}, which reuse one key. Uses only the public API, so the
 * same class measures any version of the crypto layer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CryptoManyKeysBenchmark {

  private static final int DEVICES = 4096;

  private AesKey[] keys;
  private int next;
  // lp_data_up_test (1.0): DevAddr 49BE7DF1, FCnt 2, FPort 1, 4-byte FRMPayload
  private byte[] phy10;
  // brocaar_1_1_frm_hello (1.1): DevAddr 01020304, FCnt 1, FPort 1, 5-byte FRMPayload
  private byte[] phy11;
  private DevAddr devAddr;
  private byte[] frm44;

  @Setup
  public void setup() {
    SplittableRandom random = new SplittableRandom(11);
    keys = new AesKey[DEVICES + 1];
    byte[] k = new byte[16];
    for (int i = 0; i < keys.length; i++) {
      for (int j = 0; j < 16; j++) {
        k[j] = (byte) random.nextInt(256);
      }
      keys[i] = AesKey.of(k);
    }
    phy10 = HexBytes.parse("phy", "40F17DBE4900020001954378762B11FF0D");
    phy11 = HexBytes.parse("phy", "400403020180010001A6946426157612366A");
    devAddr = DevAddr.parse("49BE7DF1");
    frm44 = HexBytes.parse("frm", "55332DE41A11ADC072553544429CE7787707D1C316E027E7E5E334263376AFFB8AA17AD30075293F28DEA8A2");
  }

  private int device() {
    int i = next;
    next = (i + 1) & (DEVICES - 1);
    return i;
  }

  /** As {@link UplinkMicBenchmark#verify10()} with the NwkSKey of the next device. */
  @Benchmark
  public boolean verify10() {
    byte[] phy = phy10;
    byte[] msg = Arrays.copyOf(phy, phy.length - 4);
    long fCnt = FCnt.reconstruct(1, (phy[6] & 0xFF) | (phy[7] & 0xFF) << 8);
    Mic mic = Mics.dataUplinkMic10(keys[device()], DevAddr.readLittleEndian(phy, 1), fCnt, msg);
    return Mics.equalsConstantTime(mic, Mic.of(phy, phy.length - 4));
  }

  /** As {@link UplinkMicBenchmark#verify11()} with the two keys of the next device. */
  @Benchmark
  public boolean verify11() {
    byte[] phy = phy11;
    byte[] msg = Arrays.copyOf(phy, phy.length - 4);
    long fCnt = FCnt.reconstruct(0, (phy[6] & 0xFF) | (phy[7] & 0xFF) << 8);
    int d = device();
    Mic mic = Mics.dataUplinkMic11(keys[d], keys[d + 1], 0, 2, 3,
        DevAddr.readLittleEndian(phy, 1), fCnt, msg);
    return Mics.equalsConstantTime(mic, Mic.of(phy, phy.length - 4));
  }

  /** As {@link FrmPayloadDecryptBenchmark#decrypt44Bytes()} with the AppSKey of the next device. */
  @Benchmark
  public byte[] decrypt44Bytes() {
    return PayloadCipher.frmPayload(keys[device()], true, devAddr, 4, frm44);
  }
}
