package dev.loralab.gatewayserver;

import dev.loralab.frequencyplans.FrequencyPlan;
import dev.loralab.lorawan.Eui64;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the scheduler needs to know about one connected gateway.
 *
 * @param eui the gateway
 * @param plan its frequency plan
 * @param enforceDutyCycle whether duty-cycle limits apply to it
 * @param antennaGainDb antenna gain
 * @param roundTrip measured round-trip time (PULL_RESP to TX_ACK), if known
 * @param clock a copy of its concentrator clock mapping
 */
public record GatewayTiming(Eui64 eui, FrequencyPlan plan, boolean enforceDutyCycle,
    double antennaGainDb, Optional<Duration> roundTrip, ConcentratorClock clock) {

  /** Validates presence. */
  public GatewayTiming {
    Objects.requireNonNull(eui, "eui");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(roundTrip, "roundTrip");
    Objects.requireNonNull(clock, "clock");
  }
}
