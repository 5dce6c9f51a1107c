package dev.loralab.gatewayserver.udp;

import java.net.InetSocketAddress;

/**
 * Receives what the {@link SemtechUdpHandler} decodes. Called on the Netty event loop: must not
 * block.
 */
public interface SemtechUdpListener {

  /**
   * A well-formed datagram of an upstream type (PUSH_DATA, PULL_DATA, TX_ACK). Called inside
   * the channel's read: what the listener writes to the channel here (without flushing) is
   * flushed by the handler when the read completes.
   */
  void onPacket(SemtechPacket packet, InetSocketAddress sender);

  /**
   * The read that delivered the last {@link #onPacket} calls is complete (after the handler
   * flushed what was written during it).
   */
  default void onReadComplete() {}

  /** A datagram was dropped; {@code detail} is the precise reason (for a DEBUG log line). */
  void onDrop(DropReason reason, InetSocketAddress sender, String detail);
}
