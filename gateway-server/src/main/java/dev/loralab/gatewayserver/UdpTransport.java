package dev.loralab.gatewayserver;

/**
 * The Netty transport of the Gateway Server's UDP socket.
 *
 * <p>{@link #EPOLL} (Linux, native) reads and writes several datagrams per system call
 * ({@code recvmmsg}/{@code sendmmsg}); {@link #NIO} is the portable JDK transport.
 */
public enum UdpTransport {
  /** Native epoll when the platform supports it, NIO otherwise. */
  AUTO,
  /** Native epoll; starting fails where it is unavailable. */
  EPOLL,
  /** The JDK's NIO selector and datagram channel. */
  NIO
}
