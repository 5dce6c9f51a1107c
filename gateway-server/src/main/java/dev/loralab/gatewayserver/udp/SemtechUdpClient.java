package dev.loralab.gatewayserver.udp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A minimal blocking Semtech UDP client, playing a packet forwarder: sends datagrams to a server
 * and receives its answers. For tests and tools, not for the server's event loop.
 */
public final class SemtechUdpClient implements AutoCloseable {

  private final DatagramSocket socket;
  private final InetSocketAddress server;
  private final SemtechUdpCodec codec;

  /** A client on an ephemeral port of {@code localHost} (e.g. {@code 127.0.0.1}). */
  public SemtechUdpClient(String localHost, InetSocketAddress server, SemtechUdpCodec codec) {
    this.server = Objects.requireNonNull(server, "server");
    this.codec = Objects.requireNonNull(codec, "codec");
    try {
      this.socket = new DatagramSocket(new InetSocketAddress(localHost, 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client on an ephemeral loopback port. */
  public SemtechUdpClient(InetSocketAddress server) {
    this("127.0.0.1", server, new SemtechUdpCodec());
  }

  /** The client's own address. */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** Encodes and sends a packet. */
  public void send(SemtechPacket packet) {
    sendRaw(codec.encode(packet));
  }

  /** Sends raw bytes. */
  public void sendRaw(byte[] datagram) {
    try {
      socket.send(new DatagramPacket(datagram, datagram.length, server));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The next datagram that decodes, waiting at most {@code timeout}; undecodable ones are
   * skipped.
   */
  public Optional<SemtechPacket> receive(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] buf = new byte[codec.limits().maxDatagramBytes()];
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      try {
        socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        try {
          return Optional.of(codec.decode(p.getData(), p.getOffset(), p.getLength()));
        } catch (SemtechUdpException ignored) {
          // not ours; keep waiting
        }
      } catch (SocketTimeoutException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The next packet of {@code type}, skipping others, waiting at most {@code timeout}. */
  public <T extends SemtechPacket> Optional<T> await(Class<T> type, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      Optional<SemtechPacket> p = receive(Duration.ofNanos(left));
      if (p.isEmpty()) {
        return Optional.empty();
      }
      if (type.isInstance(p.get())) {
        return Optional.of(type.cast(p.get()));
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
