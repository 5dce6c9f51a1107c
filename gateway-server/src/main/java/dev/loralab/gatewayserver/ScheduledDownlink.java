package dev.loralab.gatewayserver;

import dev.loralab.gatewayserver.udp.Txpk;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An accepted downlink.
 *
 * @param window the receive window used
 * @param txpk what to send to the gateway (timing, frequency, data rate, power, polarity)
 * @param transmitAt server time at which the transmission starts
 * @param airtime time on air
 * @param dataRateIndex the band's data-rate index
 */
public record ScheduledDownlink(RxWindow window, Txpk txpk, Instant transmitAt, Duration airtime,
    int dataRateIndex) {

  /** Validates presence. */
  public ScheduledDownlink {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(txpk, "txpk");
    Objects.requireNonNull(transmitAt, "transmitAt");
    Objects.requireNonNull(airtime, "airtime");
  }
}
