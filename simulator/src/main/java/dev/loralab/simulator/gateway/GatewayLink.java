package dev.loralab.simulator.gateway;

/**
 * The path from a simulated gateway to a network server: UDP ({@link UdpGatewayLink}) or, in
 * tests, an in-memory server. Downstream datagrams are handed to
 * {@link SimulatedGateway#onDatagram(byte[])} on the simulation thread.
 */
public interface GatewayLink extends AutoCloseable {

  /** Sends one upstream datagram; must not block. */
  void send(byte[] datagram);

  /** Releases the link. */
  @Override
  void close();
}
