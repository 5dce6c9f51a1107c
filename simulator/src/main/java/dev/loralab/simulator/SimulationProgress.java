package dev.loralab.simulator;

import java.util.Locale;

/**
 * A snapshot for the live progress line.
 *
 * @param simulatedSeconds simulation time
 * @param devicesJoined devices with a session
 * @param devices all devices
 * @param uplinksSent data uplink transmissions
 * @param uplinksDelivered transmissions heard by at least one gateway
 * @param downlinksReceived valid downlinks received by devices
 */
public record SimulationProgress(double simulatedSeconds, int devicesJoined, int devices, long uplinksSent,
    long uplinksDelivered, long downlinksReceived) {

  /** Delivery ratio so far (1 if nothing was sent). */
  public double deliveryRatio() {
    return uplinksSent == 0 ? 1 : (double) uplinksDelivered / uplinksSent;
  }

  /** One line, e.g. {@code t=120s joined 3/4 up 12 delivered 11 (91.7%) down 2}. */
  public String line() {
    return String.format(Locale.ROOT, "t=%.0fs joined %d/%d up %d delivered %d (%.1f%%) down %d", simulatedSeconds,
        devicesJoined, devices, uplinksSent, uplinksDelivered, 100 * deliveryRatio(), downlinksReceived);
  }
}
