package dev.loralab.gatewayserver.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.gatewayserver.udp.SemtechPacket.PullData;
import dev.loralab.lorawan.Eui64;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Answers written during a read leave when the read completes, together. */
class SemtechUdpHandlerFlushTest {

  static final InetSocketAddress GATEWAY = new InetSocketAddress("192.0.2.1", 40_000);
  static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.2", 1700);
  static final Eui64 EUI = Eui64.parse("B827EBFFFE8DB887");

  final SemtechUdpCodec codec = new SemtechUdpCodec();
  EmbeddedChannel channel;
  final List<Integer> flushedWhenWritten = new ArrayList<>();

  /** Writes a 4-byte answer per packet without flushing, noting what had left by then. */
  final SemtechUdpListener answering = new SemtechUdpListener() {
    @Override
    public void onPacket(SemtechPacket packet, InetSocketAddress sender) {
      flushedWhenWritten.add(channel.outboundMessages().size());
      channel.write(new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {2, 0, 0, 4}), sender));
    }

    @Override
    public void onDrop(DropReason reason, InetSocketAddress sender, String detail) {
      throw new AssertionError("dropped: " + reason + ": " + detail);
    }
  };

  DatagramPacket pullData(int token) {
    return new DatagramPacket(Unpooled.wrappedBuffer(codec.encode(new PullData(2, token, EUI))),
        SERVER, GATEWAY);
  }

  @Test
  void answersOfOneReadAreFlushedOnceWhenTheReadCompletes() {
    channel = new EmbeddedChannel(new SemtechUdpHandler(codec,
        new AddressRateLimiter(1000, 1000, 10, Clock.systemUTC()), answering));
    // one read of three datagrams (EmbeddedChannel: three channelRead, then channelReadComplete)
    channel.writeInbound(pullData(1), pullData(2), pullData(3));
    assertThat(flushedWhenWritten).as("nothing leaves during the read").containsExactly(0, 0, 0);
    assertThat(channel.outboundMessages()).hasSize(3);
    // the next read: the earlier answers had left, the new one leaves at its completion
    channel.writeInbound(pullData(4));
    assertThat(flushedWhenWritten).containsExactly(0, 0, 0, 3);
    assertThat(channel.outboundMessages()).hasSize(4);
    channel.finishAndReleaseAll();
  }
}
