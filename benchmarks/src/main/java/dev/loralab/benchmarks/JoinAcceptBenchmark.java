package dev.loralab.benchmarks;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.NetId;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.crypto.SessionKeyDerivation;
import dev.loralab.lorawan.frame.CfList;
import dev.loralab.lorawan.frame.DlSettings;
import dev.loralab.lorawan.frame.JoinAccept;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import java.util.Optional;
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
 * Join-accept construction as a join server does it: build the frame, encode it, compute the MIC
 * over the plaintext, encrypt body and MIC. The 1.1 variant also derives the JSIntKey.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JoinAcceptBenchmark {

  private AesKey appKey;
  private AesKey nwkKey;
  private Eui64 devEui;
  private Eui64 joinEui;
  private DevNonce devNonce;
  private int joinNonce;

  @Setup
  public void setup() {
    appKey = AesKey.parse("0102030405060708090A0B0C0D0E0F10");
    nwkKey = AesKey.parse("0102030405060708090A0B0C0D0E0F10");
    devEui = Eui64.parse("0807060504030201");
    joinEui = Eui64.parse("70B3D57ED0000001");
    devNonce = new DevNonce(0x0102);
  }

  private JoinAccept frame(boolean optNeg, Optional<CfList> cfList) {
    joinNonce = (joinNonce + 1) & 0xFFFFFF;
    return new JoinAccept(new JoinNonce(joinNonce), NetId.parse("000013"), DevAddr.parse("26011BDA"),
        new DlSettings(optNeg, 1, 3), 1, cfList, new Mic(0));
  }

  private static byte[] seal(AesKey encKey, byte[] clearPhyWithMic) {
    byte[] body = java.util.Arrays.copyOfRange(clearPhyWithMic, 1, clearPhyWithMic.length);
    byte[] enc = PayloadCipher.joinAcceptEncrypt(encKey, body);
    byte[] out = new byte[clearPhyWithMic.length];
    out[0] = clearPhyWithMic[0];
    System.arraycopy(enc, 0, out, 1, enc.length);
    return out;
  }

  @Benchmark
  public byte[] build10() {
    JoinAccept ja = frame(false, Optional.empty());
    Mic mic = Mics.joinAcceptMic10(appKey, PhyPayloadCodec.encodeWithoutMic(ja));
    return seal(appKey, PhyPayloadCodec.encode(ja.withMic(mic)));
  }

  @Benchmark
  public byte[] build10WithCfList() {
    JoinAccept ja = frame(false, Optional.of(CfList.Frequencies.of(867_100_000L, 867_300_000L,
        867_500_000L, 867_700_000L, 867_900_000L)));
    Mic mic = Mics.joinAcceptMic10(appKey, PhyPayloadCodec.encodeWithoutMic(ja));
    return seal(appKey, PhyPayloadCodec.encode(ja.withMic(mic)));
  }

  @Benchmark
  public byte[] build11() {
    JoinAccept ja = frame(true, Optional.empty());
    AesKey jsIntKey = SessionKeyDerivation.jsIntKey(nwkKey, devEui);
    Mic mic = Mics.joinAcceptMic11(jsIntKey, 0xFF, joinEui, devNonce, PhyPayloadCodec.encodeWithoutMic(ja));
    return seal(nwkKey, PhyPayloadCodec.encode(ja.withMic(mic)));
  }
}
