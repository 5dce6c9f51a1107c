package dev.loralab.gatewayserver.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Netty adapter: checks size and the per-address budget before decoding, decodes with the
 * {@link SemtechUdpCodec}, and hands upstream packets to a {@link SemtechUdpListener}. Every bad
 * datagram becomes a {@link SemtechUdpListener#onDrop} call; nothing propagates.
 *
 * <p>The channel is flushed once when a read completes, so that answers the listener writes
 * during the read (without flushing) leave together: with epoll in one {@code sendmmsg}.
 */
@ChannelHandler.Sharable
public final class SemtechUdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {

  private final SemtechUdpCodec codec;
  private final AddressRateLimiter rateLimiter;
  private final SemtechUdpListener listener;

  /** A handler decoding with {@code codec}, limiting with {@code rateLimiter}. */
  public SemtechUdpHandler(SemtechUdpCodec codec, AddressRateLimiter rateLimiter,
      SemtechUdpListener listener) {
    this.codec = Objects.requireNonNull(codec, "codec");
    this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
    InetSocketAddress sender = msg.sender();
    ByteBuf buf = msg.content();
    int length = buf.readableBytes();
    if (!rateLimiter.tryAcquire(sender.getAddress())) {
      listener.onDrop(DropReason.RATE_LIMITED, sender, length + " bytes");
      return;
    }
    if (length > codec.limits().maxDatagramBytes()) {
      listener.onDrop(DropReason.OVERSIZED, sender, length + " bytes");
      return;
    }
    byte[] bytes = new byte[length];
    buf.getBytes(buf.readerIndex(), bytes);
    SemtechPacket packet;
    try {
      packet = codec.decode(bytes);
    } catch (SemtechUdpException e) {
      listener.onDrop(e.reason(), sender, e.getMessage());
      return;
    }
    if (!packet.type().upstream()) {
      listener.onDrop(DropReason.UNEXPECTED_TYPE, sender, packet.type().name());
      return;
    }
    listener.onPacket(packet, sender);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
    listener.onReadComplete();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A datagram channel has no peer to close; the listener logs it like any drop.
    listener.onDrop(DropReason.HANDLER_ERROR, null, String.valueOf(cause));
  }
}
