package dev.loralab.tests.reliability.support;

import dev.loralab.gatewayserver.udp.Rxpk;
import dev.loralab.gatewayserver.udp.SemtechPacket;
import dev.loralab.gatewayserver.udp.SemtechUdpCodec;
import dev.loralab.gatewayserver.udp.SemtechUdpException;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import dev.loralab.tests.support.Radio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Optional;

/**
 * A minimal packet forwarder for load: PUSH_DATA only (no downlink path), from its own loopback
 * source address (the gateway server rate-limits per address), each uplink acknowledged before the
 * next is sent. Not thread-safe.
 */
public final class UplinkSender implements AutoCloseable {

  private static final int ACK_TIMEOUT_MS = 30_000;

  private final Eui64 gatewayEui;
  private final InetSocketAddress server;
  private final DatagramSocket socket;
  private final SemtechUdpCodec codec = new SemtechUdpCodec();
  private final byte[] buf = new byte[65_536];
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

  /** Sends one uplink and waits for its PUSH_ACK. */
  public void push(byte[] phyPayload, Radio radio) {
    token = token >= 0xFFFF ? 1 : token + 1;
    tmst = (tmst + 100_000) & 0xFFFF_FFFFL;
    Rxpk rxpk = Rxpk.lora(tmst, radio.frequencyHz(), radio.spreadingFactor(), radio.bandwidthHz(), -50, 9,
        Bytes.of(phyPayload));
    byte[] d = codec.encode(new SemtechPacket.PushData(2, token, gatewayEui, List.of(rxpk), Optional.empty()));
    try {
      socket.send(new DatagramPacket(d, d.length, server));
      while (true) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        try {
          if (codec.decode(p.getData(), p.getOffset(), p.getLength()) instanceof SemtechPacket.PushAck a
              && a.token() == token) {
            return;
          }
        } catch (SemtechUdpException e) {
          // not for us
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("gateway " + gatewayEui + ": no PUSH_ACK for token " + token);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
