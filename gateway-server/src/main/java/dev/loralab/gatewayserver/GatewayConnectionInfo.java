package dev.loralab.gatewayserver;

import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.lorawan.Eui64;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of one gateway connection.
 *
 * @param ids gateway identifiers
 * @param eui gateway EUI
 * @param frequencyPlanId its frequency plan
 * @param correlationId the {@code gs:conn:} correlation ID of this connection
 * @param connectedAt first datagram of this connection
 * @param lastSeen latest datagram
 * @param downlinkAddress source address of the latest PULL_DATA, if any yet
 * @param protocolVersion Semtech UDP protocol version of the latest datagram (1 or 2)
 * @param roundTrip latest PULL_RESP to TX_ACK round-trip time, if measured
 * @param uplinks uplink frames received
 * @param downlinks downlinks sent
 */
public record GatewayConnectionInfo(GatewayIdentifiers ids, Eui64 eui, String frequencyPlanId,
    String correlationId, Instant connectedAt, Instant lastSeen,
    Optional<InetSocketAddress> downlinkAddress, int protocolVersion,
    Optional<Duration> roundTrip, long uplinks, long downlinks) {
}
