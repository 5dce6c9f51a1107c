package dev.loralab.gatewayserver.internal;

import dev.loralab.gatewayserver.UdpTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.util.Objects;

/**
 * The Netty pieces of one UDP transport: the I/O handler of an event loop group and the datagram
 * channel class that runs on it.
 *
 * @param kind {@link UdpTransport#EPOLL} or {@link UdpTransport#NIO}, never AUTO
 * @param ioHandlerFactory handler factory for a new event loop group of this transport
 * @param channelClass the datagram channel of this transport
 */
public record DatagramTransport(UdpTransport kind, IoHandlerFactory ioHandlerFactory,
    Class<? extends DatagramChannel> channelClass) {

  /** Validates that {@code kind} is a concrete transport. */
  public DatagramTransport {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(ioHandlerFactory, "ioHandlerFactory");
    Objects.requireNonNull(channelClass, "channelClass");
    if (kind == UdpTransport.AUTO) {
      throw new IllegalArgumentException("kind: expected EPOLL or NIO, found AUTO");
    }
  }

  /** Whether the native epoll transport can be loaded here. */
  public static boolean epollAvailable() {
    return Epoll.isAvailable();
  }

  /**
   * The transport for {@code preference}: AUTO is epoll where available, NIO otherwise.
   *
   * @throws IllegalStateException if EPOLL is required and unavailable
   */
  public static DatagramTransport select(UdpTransport preference) {
    return switch (Objects.requireNonNull(preference, "preference")) {
      case AUTO -> epollAvailable() ? epoll() : nio();
      case EPOLL -> {
        if (!epollAvailable()) {
          throw new IllegalStateException("udpTransport EPOLL: native epoll unavailable: "
              + Epoll.unavailabilityCause());
        }
        yield epoll();
      }
      case NIO -> nio();
    };
  }

  /**
   * The transport of a group created elsewhere: its channels must match its I/O handler.
   *
   * @throws IllegalStateException if {@code preference} names another transport than the group's
   */
  public static DatagramTransport ofGroup(EventLoopGroup group, UdpTransport preference) {
    boolean epollGroup = group instanceof IoEventLoopGroup g && epollAvailable()
        && g.isIoType(EpollIoHandler.class);
    DatagramTransport t = epollGroup ? epoll() : nio();
    if (preference != UdpTransport.AUTO && preference != t.kind()) {
      throw new IllegalStateException("udpTransport " + preference
          + ": the supplied event loop group runs " + t.kind());
    }
    return t;
  }

  /**
   * Sets how {@code b} reads datagrams: each into a slot of {@code maxDatagramBytes + 1} bytes
   * (one more than the limit, so that an oversized datagram is seen as such) and, with epoll
   * and {@code datagramsPerRead > 1}, up to that many slots of one buffer with one
   * {@code recvmmsg}. NIO always reads one datagram per call.
   *
   * @return datagrams read per system call at most
   */
  public int configureReads(Bootstrap b, int maxDatagramBytes, int datagramsPerRead) {
    int slot = maxDatagramBytes + 1;
    int perRead = kind == UdpTransport.EPOLL ? Math.max(1, datagramsPerRead) : 1;
    b.option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(perRead * slot));
    if (perRead > 1) {
      // Netty splits the buffer into buffer size / this many slots, one datagram each
      b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot);
    }
    return perRead;
  }

  private static DatagramTransport epoll() {
    return new DatagramTransport(UdpTransport.EPOLL, EpollIoHandler.newFactory(),
        EpollDatagramChannel.class);
  }

  private static DatagramTransport nio() {
    return new DatagramTransport(UdpTransport.NIO, NioIoHandler.newFactory(),
        NioDatagramChannel.class);
  }
}
