package dev.loralab.simulator.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's UDP socket to a network server, on a Netty event loop. Like a real gateway each
 * simulated gateway has its own socket (own source port). The handler only copies the datagram
 * and hands it to the simulation thread.
 */
public final class UdpGatewayLink implements GatewayLink {

  private static final Logger LOG = LoggerFactory.getLogger(UdpGatewayLink.class);

  private final Channel channel;
  private final InetSocketAddress server;
  private final AtomicLong sendFailures = new AtomicLong();

  private UdpGatewayLink(Channel channel, InetSocketAddress server) {
    this.channel = channel;
    this.server = server;
  }

  /**
   * Binds an ephemeral local port and returns the link.
   *
   * @param group the event loop group (owned by the caller)
   * @param server the network server's UDP address
   * @param downstream receives each datagram from the server (on the event loop: it must only
   *     hand over, e.g. to {@code SimScheduler.execute})
   * @throws InterruptedException if interrupted while binding
   */
  public static UdpGatewayLink open(EventLoopGroup group, InetSocketAddress server, Consumer<byte[]> downstream)
      throws InterruptedException {
    Bootstrap b = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            ByteBuf buf = msg.content();
            byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), bytes);
            downstream.accept(bytes);
          }

          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("gateway UDP socket error: {}", cause.toString());
          }
        });
    Channel ch = b.bind(new InetSocketAddress(0)).sync().channel();
    return new UdpGatewayLink(ch, server);
  }

  @Override
  public void send(byte[] datagram) {
    channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), server)).addListener(f -> {
      if (!f.isSuccess()) {
        sendFailures.incrementAndGet();
        LOG.debug("gateway UDP send to {} failed: {}", server, String.valueOf(f.cause()));
      }
    });
  }

  /** Datagrams that could not be sent. */
  public long sendFailures() {
    return sendFailures.get();
  }

  @Override
  public void close() {
    channel.close();
  }
}
