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
 */
public record RegisteredGateway(GatewayIdentifiers ids, String frequencyPlanId,
    boolean enforceDutyCycle, double antennaGainDb) {

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
}
