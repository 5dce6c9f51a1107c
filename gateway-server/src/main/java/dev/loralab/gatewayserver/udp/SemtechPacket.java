package dev.loralab.gatewayserver.udp;

import dev.loralab.lorawan.Eui64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoded Semtech UDP datagram (PROTOCOL.TXT §3–5). {@code version} is 1 or 2; {@code token}
 * is the 16-bit value of bytes 1–2, read big-endian.
 */
public sealed interface SemtechPacket {

  /** The protocol version byte (1 or 2). */
  int version();

  /** The 16-bit token, 0..65535. */
  int token();

  /** The packet type. */
  PacketType type();

  /**
   * PUSH_DATA: frames and/or status from a gateway.
   *
   * @param version protocol version
   * @param token token to echo in the PUSH_ACK
   * @param gatewayEui the gateway
   * @param rxpk received frames (may be empty)
   * @param stat status, if present
   */
  record PushData(int version, int token, Eui64 gatewayEui, List<Rxpk> rxpk, Optional<Stat> stat)
      implements SemtechPacket {
    /** Validates the header fields. */
    public PushData {
      SemtechUdpCodec.checkHeader(version, token);
      Objects.requireNonNull(gatewayEui, "gatewayEui");
      rxpk = List.copyOf(rxpk);
      Objects.requireNonNull(stat, "stat");
    }

    @Override
    public PacketType type() {
      return PacketType.PUSH_DATA;
    }
  }

  /**
   * PUSH_ACK.
   *
   * @param version protocol version
   * @param token the PUSH_DATA's token
   */
  record PushAck(int version, int token) implements SemtechPacket {
    /** Validates the header fields. */
    public PushAck {
      SemtechUdpCodec.checkHeader(version, token);
    }

    @Override
    public PacketType type() {
      return PacketType.PUSH_ACK;
    }
  }

  /**
   * PULL_DATA: keepalive opening the downlink path.
   *
   * @param version protocol version
   * @param token token to echo in the PULL_ACK
   * @param gatewayEui the gateway
   */
  record PullData(int version, int token, Eui64 gatewayEui) implements SemtechPacket {
    /** Validates the header fields. */
    public PullData {
      SemtechUdpCodec.checkHeader(version, token);
      Objects.requireNonNull(gatewayEui, "gatewayEui");
    }

    @Override
    public PacketType type() {
      return PacketType.PULL_DATA;
    }
  }

  /**
   * PULL_RESP: a downlink. With version 1 the token bytes are unused and written as zero.
   *
   * @param version protocol version
   * @param token fresh token (v2) that the TX_ACK will carry
   * @param txpk the transmission
   */
  record PullResp(int version, int token, Txpk txpk) implements SemtechPacket {
    /** Validates the header fields. */
    public PullResp {
      SemtechUdpCodec.checkHeader(version, token);
      Objects.requireNonNull(txpk, "txpk");
    }

    @Override
    public PacketType type() {
      return PacketType.PULL_RESP;
    }
  }

  /**
   * PULL_ACK.
   *
   * @param version protocol version
   * @param token the PULL_DATA's token
   */
  record PullAck(int version, int token) implements SemtechPacket {
    /** Validates the header fields. */
    public PullAck {
      SemtechUdpCodec.checkHeader(version, token);
    }

    @Override
    public PacketType type() {
      return PacketType.PULL_ACK;
    }
  }

  /**
   * TX_ACK (protocol v2 only).
   *
   * @param version protocol version (2)
   * @param token the PULL_RESP's token
   * @param gatewayEui the gateway
   * @param ack the {@code txpk_ack} object, absent when the gateway sent no JSON
   */
  record TxAck(int version, int token, Eui64 gatewayEui, Optional<TxpkAck> ack)
      implements SemtechPacket {
    /** Validates the header fields. */
    public TxAck {
      SemtechUdpCodec.checkHeader(version, token);
      if (version < 2) {
        throw new SemtechUdpException(DropReason.UNSUPPORTED_VERSION, "version",
            "2 for TX_ACK", Integer.toString(version));
      }
      Objects.requireNonNull(gatewayEui, "gatewayEui");
      Objects.requireNonNull(ack, "ack");
    }

    /** The classified result. */
    public TxAckResult result() {
      return TxAckResult.of(ack);
    }

    @Override
    public PacketType type() {
      return PacketType.TX_ACK;
    }
  }
}
