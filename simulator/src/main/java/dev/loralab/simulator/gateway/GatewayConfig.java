package dev.loralab.simulator.gateway;

import dev.loralab.lorawan.Eui64;
import dev.loralab.simulator.radio.Position;
import java.time.Duration;

/**
 * Settings of a simulated gateway; defaults follow the reference packet forwarder.
 *
 * @param eui gateway EUI
 * @param position position in the simulation plane
 * @param latitude reported latitude
 * @param longitude reported longitude
 * @param altitude reported altitude in metres
 * @param protocolVersion 2 (current forwarders) or 1
 * @param keepalive PULL_DATA interval (default 5 s)
 * @param statInterval status interval (default 30 s)
 * @param jitQueueSize downlinks the gateway can hold (32 in the reference forwarder)
 */
public record GatewayConfig(Eui64 eui, Position position, double latitude, double longitude, int altitude,
    int protocolVersion, Duration keepalive, Duration statInterval, int jitQueueSize) {

  /** Validates. */
  public GatewayConfig {
    if (eui == null || position == null || keepalive == null || statInterval == null) {
      throw new IllegalArgumentException("gateway: eui, position, keepalive and stat interval expected");
    }
    if (protocolVersion != 1 && protocolVersion != 2) {
      throw new IllegalArgumentException("gateway protocol version: 1 or 2 expected, found " + protocolVersion);
    }
    if (keepalive.isNegative() || keepalive.isZero() || statInterval.isNegative() || statInterval.isZero()) {
      throw new IllegalArgumentException("gateway keepalive and stat interval: positive durations expected");
    }
    if (jitQueueSize < 1) {
      throw new IllegalArgumentException("gateway JIT queue size: at least 1 expected, found " + jitQueueSize);
    }
  }

  /** A protocol-v2 gateway with the reference forwarder's defaults. */
  public static GatewayConfig of(Eui64 eui, Position position, double latitude, double longitude) {
    return new GatewayConfig(eui, position, latitude, longitude, 0, 2, Duration.ofSeconds(5),
        Duration.ofSeconds(30), 32);
  }
}
