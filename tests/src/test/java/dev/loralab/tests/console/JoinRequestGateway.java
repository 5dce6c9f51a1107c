package dev.loralab.tests.console;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.frame.JoinRequest;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Semtech UDP (protocol 2) packet forwarder for the console test: PULL_DATA to open the
 * downlink path, PUSH_DATA carrying a join-request, and TX_ACK for every PULL_RESP it receives.
 * The server address can change (a restarted stack on the same port keeps working).
 */
final class JoinRequestGateway implements AutoCloseable {

  private static final byte VERSION = 2;
  private static final byte PUSH_DATA = 0;
  private static final byte PULL_DATA = 2;
  private static final byte PULL_RESP = 3;
  private static final byte TX_ACK = 5;

  private final Eui64 eui;
  private final InetSocketAddress server;
  private final DatagramSocket socket;
  private final Thread receiver;
  private final AtomicInteger token = new AtomicInteger(1);
  private final AtomicInteger pullResponses = new AtomicInteger();
  private volatile boolean closed;

  JoinRequestGateway(Eui64 eui, InetSocketAddress server) {
    this.eui = eui;
    this.server = server;
    try {
      this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
      socket.setSoTimeout(200);
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
    this.receiver = new Thread(this::receive, "console-test-gateway");
    receiver.setDaemon(true);
    receiver.start();
  }

  /** PULL_DATA: the gateway server learns where to send downlinks. */
  void pullData() {
    send(header(PULL_DATA, new byte[0]));
  }

  /** PUSH_DATA with one rxpk carrying a join-request signed with {@code appKey} (LoRaWAN 1.0.x). */
  void pushJoinRequest(Eui64 joinEui, Eui64 devEui, AesKey appKey, int devNonce) {
    JoinRequest unsigned = new JoinRequest(joinEui, devEui, new DevNonce(devNonce), new Mic(0));
    Mic mic = Mics.joinRequestMic(appKey, PhyPayloadCodec.encodeWithoutMic(unsigned));
    byte[] phy = PhyPayloadCodec.encode(unsigned.withMic(mic));
    long tmst = (System.nanoTime() / 1000) & 0xFFFFFFFFL;
    String json = "{\"rxpk\":[{\"tmst\":" + tmst + ",\"chan\":0,\"rfch\":0,\"freq\":868.1,\"stat\":1,"
        + "\"modu\":\"LORA\",\"datr\":\"SF7BW125\",\"codr\":\"4/5\",\"rssi\":-42,\"lsnr\":9.5,\"size\":"
        + phy.length + ",\"data\":\"" + Base64.getEncoder().encodeToString(phy) + "\"}]}";
    send(header(PUSH_DATA, json.getBytes(StandardCharsets.UTF_8)));
  }

  /** PULL_RESP datagrams received (downlinks such as the join-accept). */
  int pullResponses() {
    return pullResponses.get();
  }

  // version | token (2) | type | gateway EUI (8, big endian) | payload
  private byte[] header(byte type, byte[] payload) {
    int t = token.getAndIncrement();
    byte[] out = new byte[12 + payload.length];
    out[0] = VERSION;
    out[1] = (byte) (t >> 8);
    out[2] = (byte) t;
    out[3] = type;
    System.arraycopy(eui.toBigEndianBytes(), 0, out, 4, 8);
    System.arraycopy(payload, 0, out, 12, payload.length);
    return out;
  }

  private void send(byte[] datagram) {
    try {
      socket.send(new DatagramPacket(datagram, datagram.length, server));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void receive() {
    byte[] buf = new byte[65_535];
    while (!closed) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (SocketTimeoutException e) {
        continue;
      } catch (IOException e) {
        return;
      }
      if (p.getLength() >= 4 && buf[0] == VERSION && buf[3] == PULL_RESP) {
        pullResponses.incrementAndGet();
        // TX_ACK with the PULL_RESP's token and no error
        byte[] ack = new byte[12];
        ack[0] = VERSION;
        ack[1] = buf[1];
        ack[2] = buf[2];
        ack[3] = TX_ACK;
        System.arraycopy(eui.toBigEndianBytes(), 0, ack, 4, 8);
        try {
          socket.send(new DatagramPacket(ack, ack.length, p.getSocketAddress()));
        } catch (IOException e) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    socket.close();
    try {
      receiver.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
