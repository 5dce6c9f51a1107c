package dev.loralab.tests.support;

import dev.loralab.gatewayserver.udp.SemtechPacket;
import dev.loralab.gatewayserver.udp.SemtechUdpCodec;
import dev.loralab.gatewayserver.udp.SemtechUdpException;
import dev.loralab.gatewayserver.udp.TxpkAck;
import dev.loralab.gatewayserver.udp.Rxpk;
import dev.loralab.gatewayserver.udp.Txpk;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A packet forwarder speaking Semtech UDP protocol v2 over loopback: PULL_DATA to open the
 * downlink path, PUSH_DATA with one {@code rxpk} per uplink, PULL_RESP received on a background
 * thread and answered with a TX_ACK. Its concentrator counter ({@code tmst}) runs in real time
 * from a random origin, like a real concentrator's.
 */
public final class TestGateway implements AutoCloseable {

  private static final int VERSION = 2;

  private final String id;
  private final Eui64 eui;
  private final InetSocketAddress server;
  private final SemtechUdpCodec codec = new SemtechUdpCodec();
  private final DatagramSocket socket;
  private final Thread receiver;
  private final BlockingQueue<SemtechPacket.PushAck> pushAcks = new LinkedBlockingQueue<>();
  private final BlockingQueue<SemtechPacket.PullAck> pullAcks = new LinkedBlockingQueue<>();
  private final BlockingQueue<SemtechPacket.PullResp> downlinks = new LinkedBlockingQueue<>();
  private final AtomicInteger tokens = new AtomicInteger(1);
  private final long tmstOrigin;
  private final long nanoOrigin = System.nanoTime();
  private volatile boolean closed;

  /**
   * @param id the gateway ID it is registered with
   * @param eui its EUI
   * @param server the stack's Semtech UDP address
   * @param tmstOrigin the concentrator counter at creation, µs (0..2^32-1)
   */
  public TestGateway(String id, Eui64 eui, InetSocketAddress server, long tmstOrigin) {
    this.id = id;
    this.eui = eui;
    this.server = server;
    this.tmstOrigin = tmstOrigin & 0xFFFF_FFFFL;
    try {
      this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
    this.receiver = new Thread(this::receive, "test-gateway-" + id);
    receiver.setDaemon(true);
    receiver.start();
  }

  /** The gateway ID. */
  public String id() {
    return id;
  }

  /** The gateway EUI. */
  public Eui64 eui() {
    return eui;
  }

  /** The concentrator counter now, µs, wrapping at 2^32. */
  public long tmstNow() {
    return (tmstOrigin + (System.nanoTime() - nanoOrigin) / 1_000) & 0xFFFF_FFFFL;
  }

  /** Sends PULL_DATA and waits for the PULL_ACK. */
  public void pullData() {
    int token = nextToken();
    send(new SemtechPacket.PullData(VERSION, token, eui));
    awaitAck(pullAcks, token, "PULL_ACK");
  }

  /**
   * Sends one frame as received now at {@code radio} and waits for the PUSH_ACK.
   *
   * @return the {@code tmst} the frame was sent with
   */
  public long uplink(byte[] phyPayload, Radio radio, double rssi, double lsnr) {
    long tmst = tmstNow();
    uplinkAt(tmst, phyPayload, radio, rssi, lsnr);
    return tmst;
  }

  /** Sends one frame with the given {@code tmst} and waits for the PUSH_ACK. */
  public void uplinkAt(long tmst, byte[] phyPayload, Radio radio, double rssi, double lsnr) {
    Rxpk rxpk = Rxpk.lora(tmst, radio.frequencyHz(), radio.spreadingFactor(), radio.bandwidthHz(),
        rssi, lsnr, Bytes.of(phyPayload));
    int token = nextToken();
    send(new SemtechPacket.PushData(VERSION, token, eui, List.of(rxpk), Optional.empty()));
    awaitAck(pushAcks, token, "PUSH_ACK");
  }

  /** The next PULL_RESP (already acknowledged with a TX_ACK), waiting at most {@code timeout}. */
  public Optional<Txpk> awaitDownlink(Duration timeout) {
    try {
      SemtechPacket.PullResp r = downlinks.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.ofNullable(r).map(SemtechPacket.PullResp::txpk);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The next PULL_RESP; fails if none arrives within {@code timeout}. */
  public Txpk expectDownlink(Duration timeout) {
    return awaitDownlink(timeout)
        .orElseThrow(() -> new AssertionError("gateway " + id + ": no PULL_RESP within " + timeout));
  }

  /** A PULL_RESP already received and not yet taken, if any. */
  public Optional<Txpk> pollDownlink() {
    return Optional.ofNullable(downlinks.poll()).map(SemtechPacket.PullResp::txpk);
  }

  /** Forgets PULL_RESPs received so far. */
  public void clearDownlinks() {
    downlinks.clear();
  }

  private int nextToken() {
    return tokens.getAndUpdate(t -> t >= 0xFFFF ? 1 : t + 1);
  }

  private void awaitAck(BlockingQueue<? extends SemtechPacket> acks, int token, String what) {
    long deadline = System.nanoTime() + Timeouts.NETWORK.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        SemtechPacket p = left <= 0 ? null : acks.poll(left, TimeUnit.NANOSECONDS);
        if (p == null) {
          throw new AssertionError("gateway " + id + ": no " + what + " for token " + token);
        }
        if (p.token() == token) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private void send(SemtechPacket packet) {
    byte[] b = codec.encode(packet);
    try {
      socket.send(new DatagramPacket(b, b.length, server));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void receive() {
    byte[] buf = new byte[codec.limits().maxDatagramBytes()];
    while (!closed) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      SemtechPacket packet;
      try {
        packet = codec.decode(p.getData(), p.getOffset(), p.getLength());
      } catch (SemtechUdpException e) {
        continue;
      }
      if (packet instanceof SemtechPacket.PushAck a) {
        pushAcks.add(a);
      } else if (packet instanceof SemtechPacket.PullAck a) {
        pullAcks.add(a);
      } else if (packet instanceof SemtechPacket.PullResp r) {
        downlinks.add(r);
        if (r.version() >= 2) {
          send(new SemtechPacket.TxAck(VERSION, r.token(), eui,
              Optional.of(new TxpkAck("NONE", null, null))));
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    socket.close();
  }
}
