package dev.loralab.gatewayserver.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Netty adapter: checks size and the per-address budget before decoding, decodes with the
 * {@link SemtechUdpCodec}, and hands upstream packets to a {@link SemtechUdpListener}. Every bad
 * datagram becomes a {@link SemtechUdpListener#onDrop} call; nothing propagates.
 *
 * <p>A datagram is decoded where it lies (a heap buffer) or from a per-thread scratch copy (a
 * direct buffer): nothing is allocated for its bytes.
 *
 * <p>The channel is flushed once when a read completes, so that answers the listener writes
 * during the read (without flushing) leave together: with epoll in one {@code sendmmsg}.
 */
@ChannelHandler.Sharable
public final class SemtechUdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {

  private final SemtechUdpCodec codec;
  private final AddressRateLimiter rateLimiter;
  private final SemtechUdpListener listener;
  /** Per event-loop thread: the handler is shared by the channels of several event loops. */
  private final FastThreadLocal<byte[]> scratch = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[0];
    }
  };

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
    SemtechPacket packet;
    try {
      if (buf.hasArray()) {
        // a heap buffer: decoded where it lies
        packet = codec.decode(buf.array(), buf.arrayOffset() + buf.readerIndex(), length);
      } else {
        // a direct buffer (epoll): copied into this thread's scratch array, not a new one each time
        byte[] bytes = scratch(length);
        buf.getBytes(buf.readerIndex(), bytes, 0, length);
        packet = codec.decode(bytes, 0, length);
      }
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

  /**
   * This thread's scratch array of at least {@code length} bytes. The codec copies what it keeps
   * (the decoded packet holds no reference to its input), so the array is free again once
   * {@code decode} returns.
   */
  private byte[] scratch(int length) {
    byte[] a = scratch.get();
    if (a.length < length) {
      a = new byte[Math.max(length, codec.limits().maxDatagramBytes())];
      scratch.set(a);
    }
    return a;
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
