package dev.loralab.benchmarks;

import dev.loralab.gatewayserver.udp.AddressRateLimiter;
import dev.loralab.gatewayserver.udp.DropReason;
import dev.loralab.gatewayserver.udp.SemtechPacket;
import dev.loralab.gatewayserver.udp.SemtechUdpCodec;
import dev.loralab.gatewayserver.udp.SemtechUdpHandler;
import dev.loralab.gatewayserver.udp.SemtechUdpListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The gateway server's UDP read of one PUSH_DATA datagram (one rxpk) in a direct pooled buffer,
 * as epoll delivers it: rate limit, size check, decode, hand to the listener. Run through an
 * {@link EmbeddedChannel}; the per-op cost of the pipeline itself is the same before and after.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SemtechUdpHandlerBenchmark {

  private static final InetSocketAddress GATEWAY = new InetSocketAddress("192.0.2.1", 40_000);
  private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.2", 1700);

  private EmbeddedChannel channel;
  private ByteBuf datagram;
  private Blackhole hole;

  @Setup
  public void setup(Blackhole bh) {
    hole = bh;
    String rxpk = "{\"tmst\":3512348611,\"time\":\"2026-01-15T10:00:00.123456Z\",\"chan\":2,"
        + "\"rfch\":0,\"freq\":868.500000,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\","
        + "\"codr\":\"4/5\",\"lsnr\":7.8,\"rssi\":-35,\"size\":17,"
        + "\"data\":\"QPF9vkkAAgABlUN4disR/w0=\"}";
    byte[] body = ("{\"rxpk\":[" + rxpk + "]}").getBytes(StandardCharsets.UTF_8);
    datagram = PooledByteBufAllocator.DEFAULT.directBuffer(12 + body.length);
    datagram.writeBytes(new byte[] {2, 0x12, 0x34, 0, (byte) 0xB8, (byte) 0xB9, (byte) 0xBA,
        (byte) 0xBB, (byte) 0xBC, (byte) 0xBD, (byte) 0xBE, (byte) 0xBF});
    datagram.writeBytes(body);
    SemtechUdpListener listener = new SemtechUdpListener() {
      @Override
      public void onPacket(SemtechPacket packet, InetSocketAddress sender) {
        hole.consume(packet);
      }

      @Override
      public void onDrop(DropReason reason, InetSocketAddress sender, String detail) {
        throw new IllegalStateException(reason + ": " + detail);
      }
    };
    channel = new EmbeddedChannel(new SemtechUdpHandler(new SemtechUdpCodec(),
        new AddressRateLimiter(1e12, Integer.MAX_VALUE, 16, Clock.systemUTC()), listener));
  }

  @TearDown
  public void tearDown() {
    channel.finishAndReleaseAll();
    datagram.release();
  }

  @Benchmark
  public void pushDataOneRxpkDirect() {
    // the handler releases what it reads: hand it a retained view of the one buffer
    channel.pipeline().fireChannelRead(new DatagramPacket(datagram.retainedDuplicate(), SERVER,
        GATEWAY));
  }
}
