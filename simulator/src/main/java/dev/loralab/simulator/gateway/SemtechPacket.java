package dev.loralab.simulator.gateway;

import dev.loralab.lorawan.Eui64;
import java.util.List;
import java.util.Optional;

/**
 * A Semtech UDP packet-forwarder datagram (PROTOCOL.TXT v1/v2): {@code version(1) | token(2) |
 * type(1) | [gateway EUI(8)] | [JSON]}. Encode and decode with {@link SemtechUdpCodec}.
 */
public sealed interface SemtechPacket {

  /** Protocol version 1 or 2. */
  int version();

  /** The 16-bit token, big-endian on the wire. */
  int token();

  /** Type identifier 0..5. */
  int type();

  /**
   * PUSH_DATA (0x00), gateway to server: received frames and/or status.
   *
   * @param version protocol version
   * @param token random token
   * @param gatewayEui gateway EUI
   * @param rxpk received frames (possibly none)
   * @param stat status (optional)
   */
  record PushData(int version, int token, Eui64 gatewayEui, List<RxPacket> rxpk, Optional<GatewayStat> stat)
      implements SemtechPacket {
    /** Validates and copies. */
    public PushData {
      SemtechUdpCodec.checkHeader(version, token);
      if (gatewayEui == null || rxpk == null || stat == null) {
        throw new SemtechUdpException("PUSH_DATA", "gateway EUI, rxpk list and stat", "null");
      }
      rxpk = List.copyOf(rxpk);
    }

    @Override
    public int type() {
      return SemtechUdpCodec.PUSH_DATA;
    }
  }

  /** PUSH_ACK (0x01), server to gateway. @param version version @param token echoed token */
  record PushAck(int version, int token) implements SemtechPacket {
    /** Validates. */
    public PushAck {
      SemtechUdpCodec.checkHeader(version, token);
    }

    @Override
    public int type() {
      return SemtechUdpCodec.PUSH_ACK;
    }
  }

  /** PULL_DATA (0x02), gateway keepalive. @param version version @param token token @param gatewayEui EUI */
  record PullData(int version, int token, Eui64 gatewayEui) implements SemtechPacket {
    /** Validates. */
    public PullData {
      SemtechUdpCodec.checkHeader(version, token);
      if (gatewayEui == null) {
        throw new SemtechUdpException("PULL_DATA.gatewayEui", "an EUI", "null");
      }
    }

    @Override
    public int type() {
      return SemtechUdpCodec.PULL_DATA;
    }
  }

  /**
   * PULL_RESP (0x03), server to gateway: one downlink. In v1 the token bytes are unused (0).
   *
   * @param version version
   * @param token token (v2) or 0
   * @param txpk the downlink
   */
  record PullResp(int version, int token, TxPacket txpk) implements SemtechPacket {
    /** Validates. */
    public PullResp {
      SemtechUdpCodec.checkHeader(version, token);
      if (txpk == null) {
        throw new SemtechUdpException("PULL_RESP.txpk", "a txpk object", "null");
      }
    }

    @Override
    public int type() {
      return SemtechUdpCodec.PULL_RESP;
    }
  }

  /** PULL_ACK (0x04), server to gateway. @param version version @param token echoed token */
  record PullAck(int version, int token) implements SemtechPacket {
    /** Validates. */
    public PullAck {
      SemtechUdpCodec.checkHeader(version, token);
    }

    @Override
    public int type() {
      return SemtechUdpCodec.PULL_ACK;
    }
  }

  /**
   * TX_ACK (0x05, v2 only), gateway to server. Success ({@link TxAckError#NONE}) is encoded
   * without JSON, as the reference forwarder does.
   *
   * @param version version (2)
   * @param token the PULL_RESP token
   * @param gatewayEui gateway EUI
   * @param error the result
   */
  record TxAck(int version, int token, Eui64 gatewayEui, TxAckError error) implements SemtechPacket {
    /** Validates. */
    public TxAck {
      SemtechUdpCodec.checkHeader(version, token);
      if (gatewayEui == null || error == null) {
        throw new SemtechUdpException("TX_ACK", "gateway EUI and error", "null");
      }
    }

    @Override
    public int type() {
      return SemtechUdpCodec.TX_ACK;
    }
  }
}
