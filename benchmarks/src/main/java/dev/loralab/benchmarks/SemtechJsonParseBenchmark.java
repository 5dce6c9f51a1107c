package dev.loralab.benchmarks;

import dev.loralab.gatewayserver.udp.SemtechPacket;
import dev.loralab.gatewayserver.udp.SemtechUdpCodec;
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
 * Decoding of Semtech UDP PUSH_DATA datagrams (PROTOCOL.TXT §3) by the gateway server's codec:
 * header, JSON body, every rxpk field validated, base64 payload decoded.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SemtechJsonParseBenchmark {

  private SemtechUdpCodec codec;
  private byte[] oneRxpk;
  private byte[] eightRxpk;
  private byte[] statOnly;
  private byte[] escapedRxpk;

  @Setup
  public void setup() {
    codec = new SemtechUdpCodec();
    // A 1.0 unconfirmed data uplink (lp_data_up_test), 17 bytes, as a v2 forwarder sends it.
    String rxpk = "{\"tmst\":3512348611,\"time\":\"2026-01-15T10:00:00.123456Z\",\"chan\":2,\"rfch\":0,"
        + "\"freq\":868.500000,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\",\"codr\":\"4/5\","
        + "\"lsnf\":7.8,\"rssi\":-35,\"size\":17,\"data\":\"QPF9vkkAAgABlUN4disR/w0=\"}";
    oneRxpk = datagram("{\"rxpk\":[" + rxpk + "]}");
    eightRxpk = datagram("{\"rxpk\":[" + String.join(",", java.util.Collections.nCopies(8, rxpk)) + "]}");
    // The same uplink with its base64 '/' escaped as "\/" (RFC 8259 §7), as some JSON writers
    // do: not plain JSON, so it is decoded by the fallback.
    escapedRxpk = datagram("{\"rxpk\":[" + rxpk.replace("R/w0", "R\\/w0") + "]}");
    statOnly = datagram("{\"stat\":{\"time\":\"2026-01-15 10:00:00 GMT\",\"lati\":46.24,\"long\":3.25,"
        + "\"alti\":145,\"rxnb\":2,\"rxok\":2,\"rxfw\":2,\"ackr\":100.0,\"dwnb\":2,\"txnb\":2}}");
  }

  private static byte[] datagram(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] d = new byte[12 + body.length];
    d[0] = 2; // protocol version
    d[1] = 0x12; // token
    d[2] = 0x34;
    d[3] = 0; // PUSH_DATA
    for (int i = 0; i < 8; i++) {
      d[4 + i] = (byte) (0xB8 + i); // gateway EUI
    }
    System.arraycopy(body, 0, d, 12, body.length);
    return d;
  }

  @Benchmark
  public SemtechPacket pushDataOneRxpk() {
    return codec.decode(oneRxpk);
  }

  @Benchmark
  public SemtechPacket pushDataEightRxpk() {
    return codec.decode(eightRxpk);
  }

  @Benchmark
  public SemtechPacket pushDataOneRxpkEscaped() {
    return codec.decode(escapedRxpk);
  }

  @Benchmark
  public SemtechPacket pushDataStat() {
    return codec.decode(statOnly);
  }
}
