package dev.loralab.gatewayserver;

import dev.loralab.api.v3.GatewayIdentifiers;
import java.util.Objects;

/**
 * A gateway as the registry knows it.
 *
 * @param ids gateway ID and EUI
 * @param frequencyPlanId its frequency plan, e.g. {@code EU_863_870_TTN}
 * @param enforceDutyCycle false disables duty-cycle checks for this gateway
 * @param antennaGainDb antenna gain subtracted from the EIRP to get the TX power
 * @param scheduleDownlinkLate hold each PULL_RESP until shortly before its transmission (for
 *     forwarders without a just-in-time queue; protocol-v1 gateways are always treated so)
 */
public record RegisteredGateway(GatewayIdentifiers ids, String frequencyPlanId,
    boolean enforceDutyCycle, double antennaGainDb, boolean scheduleDownlinkLate) {

  /** Validates the fields. */
  public RegisteredGateway {
    Objects.requireNonNull(ids, "ids");
    if (ids.getGatewayId().isEmpty() || ids.getEui().isEmpty()) {
      throw new IllegalArgumentException("ids: expected gateway_id and eui, found " + ids);
    }
    Objects.requireNonNull(frequencyPlanId, "frequencyPlanId");
    if (!(antennaGainDb >= -10 && antennaGainDb <= 30)) {
      throw new IllegalArgumentException("antennaGainDb: expected -10..30, found " + antennaGainDb);
    }
  }

  /** A gateway with duty cycle enforced, no antenna gain and immediate downlink sending. */
  public static RegisteredGateway of(GatewayIdentifiers ids, String frequencyPlanId) {
    return new RegisteredGateway(ids, frequencyPlanId, true, 0, false);
  }
}
