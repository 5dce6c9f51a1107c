package dev.loralab.tests.reliability.support;

import dev.loralab.gatewayserver.udp.Rxpk;
import dev.loralab.gatewayserver.udp.SemtechPacket;
import dev.loralab.gatewayserver.udp.SemtechUdpCodec;
import dev.loralab.gatewayserver.udp.SemtechUdpException;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import dev.loralab.tests.support.Radio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;

/**
 * A minimal packet forwarder for load: PUSH_DATA (and optionally PULL_DATA, whose downlinks it
 * ignores), from its own loopback source address (the gateway server rate-limits per address),
 * each datagram acknowledged before the next is sent. Not thread-safe.
 */
public final class UplinkSender implements AutoCloseable {

  private static final int ACK_TIMEOUT_MS = 30_000;

  private final Eui64 gatewayEui;
  private final InetSocketAddress server;
  private final DatagramSocket socket;
  private final SemtechUdpCodec codec = new SemtechUdpCodec();
  private final byte[] buf = new byte[65_536];
  private final Map<String, Long> downlinkFCnts = new ConcurrentHashMap<>();
  private int token;
  private long tmst = 1_000_000;

  /**
   * @param gatewayEui the registered gateway it speaks for
   * @param localAddress its source address, e.g. {@code 127.0.3.1}
   * @param server the stack's Semtech UDP address
   */
  public UplinkSender(Eui64 gatewayEui, String localAddress, InetSocketAddress server) {
    this.gatewayEui = gatewayEui;
    this.server = server;
    try {
      this.socket = new DatagramSocket(new InetSocketAddress(localAddress, 0));
      socket.setSoTimeout(ACK_TIMEOUT_MS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends PULL_DATA and waits for the PULL_ACK, so that the gateway server has a downlink path to
   * this gateway (its PULL_RESPs are then received and ignored: no TX_ACK).
   */
  public void pullData() {
    token = token >= 0xFFFF ? 1 : token + 1;
    byte[] d = codec.encode(new SemtechPacket.PullData(2, token, gatewayEui));
    try {
      socket.send(new DatagramPacket(d, d.length, server));
      awaitAck(SemtechPacket.PullAck.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends one uplink and waits for its PUSH_ACK. */
  public void push(byte[] phyPayload, Radio radio) {
    token = token >= 0xFFFF ? 1 : token + 1;
    tmst = (tmst + 100_000) & 0xFFFF_FFFFL;
    Rxpk rxpk = Rxpk.lora(tmst, radio.frequencyHz(), radio.spreadingFactor(), radio.bandwidthHz(), -50, 9,
        Bytes.of(phyPayload));
    byte[] d = codec.encode(new SemtechPacket.PushData(2, token, gatewayEui, List.of(rxpk), Optional.empty()));
    try {
      socket.send(new DatagramPacket(d, d.length, server));
      awaitAck(SemtechPacket.PushAck.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitAck(Class<? extends SemtechPacket> type) throws IOException {
    try {
      while (true) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        try {
          SemtechPacket packet = codec.decode(p.getData(), p.getOffset(), p.getLength());
          if (packet instanceof SemtechPacket.PullResp r) {
            record(r);
          } else if (type.isInstance(packet) && packet.token() == token) {
            return;
          }
        } catch (SemtechUdpException e) {
          // not for us
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("gateway " + gatewayEui + ": no " + type.getSimpleName() + " for token " + token);
    }
  }

  /** Reads what is left in the socket (downlinks sent before now), for at most {@code ms} of silence. */
  public void drain(int ms) {
    try {
      socket.setSoTimeout(ms);
      while (true) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        try {
          if (codec.decode(p.getData(), p.getOffset(), p.getLength()) instanceof SemtechPacket.PullResp r) {
            record(r);
          }
        } catch (SemtechUdpException e) {
          // not for us
        }
      }
    } catch (SocketTimeoutException e) {
      // drained
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The highest FCnt of the data downlinks received, by DevAddr (8 hex digits). */
  public Map<String, Long> downlinkFCnts() {
    return Map.copyOf(downlinkFCnts);
  }

  private void record(SemtechPacket.PullResp r) {
    try {
      if (PhyPayloadCodec.decode(r.txpk().data().toArray()) instanceof DataFrame f && !f.uplink()) {
        downlinkFCnts.merge(f.devAddr().toString(), (long) f.fCnt(), Math::max);
      }
    } catch (RuntimeException e) {
      // a join-accept or something undecodable: not a data downlink
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
