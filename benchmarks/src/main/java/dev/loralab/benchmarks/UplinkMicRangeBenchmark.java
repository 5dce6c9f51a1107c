package dev.loralab.benchmarks;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.FCnt;
import dev.loralab.lorawan.HexBytes;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.Mics;
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
 * {@link UplinkMicBenchmark} with the range overloads of {@link Mics}: the MIC is computed over
 * the received PHYPayload in place, without copying it minus its MIC first.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UplinkMicRangeBenchmark {

  private byte[] phy10;
  private AesKey nwkSKey;
  private byte[] phy11;
  private AesKey sNwkSIntKey;
  private AesKey fNwkSIntKey;

  @Setup
  public void setup() {
    phy10 = HexBytes.parse("phy", "40F17DBE4900020001954378762B11FF0D");
    nwkSKey = AesKey.parse("44024241ED4CE9A68C6A8BC055233FD3");
    phy11 = HexBytes.parse("phy", "400403020180010001A6946426157612366A");
    sNwkSIntKey = AesKey.parse("02020202020202020202020202020202");
    fNwkSIntKey = AesKey.parse("02020202020202020202020202020203");
  }

  @Benchmark
  public boolean verify10() {
    byte[] phy = phy10;
    long fCnt = FCnt.reconstruct(1, (phy[6] & 0xFF) | (phy[7] & 0xFF) << 8);
    Mic mic = Mics.dataUplinkMic10(nwkSKey, DevAddr.readLittleEndian(phy, 1), fCnt, phy, 0,
        phy.length - Mic.SIZE);
    return Mics.equalsConstantTime(mic, Mic.of(phy, phy.length - Mic.SIZE));
  }

  @Benchmark
  public boolean verify11() {
    byte[] phy = phy11;
    long fCnt = FCnt.reconstruct(0, (phy[6] & 0xFF) | (phy[7] & 0xFF) << 8);
    Mic mic = Mics.dataUplinkMic11(sNwkSIntKey, fNwkSIntKey, 0, 2, 3,
        DevAddr.readLittleEndian(phy, 1), fCnt, phy, 0, phy.length - Mic.SIZE);
    return Mics.equalsConstantTime(mic, Mic.of(phy, phy.length - Mic.SIZE));
  }
}
