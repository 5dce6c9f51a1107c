package dev.loralab.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of a run: join success, packet delivery overall, per SF and per distance band,
 * collisions, downlinks and their latency, per-gateway, per-device and per-uplink figures. Every
 * uplink record says whether the radio model delivered it to at least one gateway, with DevEUI,
 * DevAddr and FCnt, so that tests can match it against a network server's events.
 *
 * @param scenario scenario name
 * @param seed the seed used
 * @param mode {@code real-time}, {@code virtual} or {@code load}
 * @param startedAt wall-clock start (ISO-8601)
 * @param simulatedSeconds simulated duration
 * @param wallSeconds real duration of the run
 * @param devices number of devices
 * @param gateways number of gateways
 * @param joins join figures
 * @param uplinks uplink figures
 * @param perSpreadingFactor delivery per SF ({@code SF7} ...)
 * @param perDistance delivery per distance to the nearest gateway ({@code 0-1km} ...)
 * @param downlinks downlink figures
 * @param load load-mode figures, null unless the run was in load mode
 * @param gatewayCounts per gateway
 * @param deviceCounts per device
 * @param uplinkRecords per uplink transmission (may be capped, see {@link #uplinkRecordsTruncated})
 * @param uplinkRecordsTruncated true if records were left out
 */
public record SimulationReport(String scenario, long seed, String mode, String startedAt, double simulatedSeconds,
    double wallSeconds, int devices, int gateways, Joins joins, Uplinks uplinks, Map<String, Delivery> perSpreadingFactor,
    Map<String, Delivery> perDistance, Downlinks downlinks, Load load, List<GatewayCounts> gatewayCounts,
    List<DeviceCounts> deviceCounts, List<UplinkRecord> uplinkRecords, boolean uplinkRecordsTruncated) {

  private static final ObjectMapper JSON = new ObjectMapper()
      .setDefaultPropertyInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** Copies the collections. */
  public SimulationReport {
    perSpreadingFactor = Map.copyOf(perSpreadingFactor);
    perDistance = Map.copyOf(perDistance);
    gatewayCounts = List.copyOf(gatewayCounts);
    deviceCounts = List.copyOf(deviceCounts);
    uplinkRecords = List.copyOf(uplinkRecords);
  }

  /**
   * Join figures.
   *
   * @param otaaDevices devices that must join
   * @param joinedDevices of those, devices that joined
   * @param joinRequests join-requests sent
   * @param joinAccepts join-accepts accepted
   * @param successRate joinedDevices / otaaDevices (1 without OTAA devices)
   * @param meanLatencyMillis mean time from first join-request to join-accept
   */
  public record Joins(int otaaDevices, int joinedDevices, long joinRequests, long joinAccepts, double successRate,
      double meanLatencyMillis) {}

  /**
   * Uplink figures; each transmission counts, retransmissions included.
   *
   * @param sent transmissions
   * @param delivered transmissions the radio model delivered to at least one gateway
   * @param deliveryRatio delivered / sent
   * @param lostBelowFloor lost because no gateway heard them above the demodulation floor
   * @param lostToCollisions lost because every gateway that could have heard them had a collision
   * @param collisions receptions (transmission × gateway) destroyed by collisions
   * @param retransmissions retransmissions (same FCnt)
   * @param confirmed confirmed transmissions
   * @param acknowledged confirmed uplinks acknowledged
   */
  public record Uplinks(long sent, long delivered, double deliveryRatio, long lostBelowFloor, long lostToCollisions,
      long collisions, long retransmissions, long confirmed, long acknowledged) {}

  /** Delivery within a category. @param sent sent @param delivered delivered @param ratio delivered / sent */
  public record Delivery(long sent, long delivered, double ratio) {}

  /**
   * Downlink figures.
   *
   * @param scheduled PULL_RESPs the gateways accepted
   * @param rejectedByGateways TX_ACK errors per error name
   * @param transmitted downlinks put on the air
   * @param received valid downlinks received by devices (join-accepts included)
   * @param lostOnAir heard in a window but lost below the floor or in a collision
   * @param notListening transmitted while no device was listening on that channel
   * @param rejectedByDevices heard but rejected (MIC, counter, address)
   * @param latencyMeanMillis mean time from the end of the uplink to the end of the downlink
   * @param latencyP50Millis median
   * @param latencyP95Millis 95th percentile
   * @param latencyMaxMillis maximum
   */
  public record Downlinks(long scheduled, Map<String, Long> rejectedByGateways, long transmitted, long received,
      long lostOnAir, long notListening, long rejectedByDevices, double latencyMeanMillis, double latencyP50Millis,
      double latencyP95Millis, double latencyMaxMillis) {}

  /**
   * Load-mode figures.
   *
   * @param requestedRate requested uplinks per second
   * @param achievedRate uplinks per second actually sent
   * @param sent uplinks sent by the load driver
   * @param skipped times no idle device was available
   */
  public record Load(double requestedRate, double achievedRate, long sent, long skipped) {}

  /**
   * Per-gateway figures.
   *
   * @param eui gateway EUI
   * @param received frames heard
   * @param pushDataSent PUSH_DATA sent
   * @param pushAcks PUSH_ACKs received
   * @param pullAcks PULL_ACKs received
   * @param downlinksReceived PULL_RESPs received
   * @param downlinksSent downlinks transmitted
   * @param tooLate TX_ACK TOO_LATE
   * @param tooEarly TX_ACK TOO_EARLY
   * @param collisionPacket TX_ACK COLLISION_PACKET
   */
  public record GatewayCounts(String eui, long received, long pushDataSent, long pushAcks, long pullAcks,
      long downlinksReceived, long downlinksSent, long tooLate, long tooEarly, long collisionPacket) {}

  /**
   * Per-device figures.
   *
   * @param name device name
   * @param devEui DevEUI
   * @param devAddr DevAddr, empty before joining
   * @param joined whether it has a session
   * @param joinRequests join-requests sent
   * @param uplinks data transmissions
   * @param delivered of those, delivered to at least one gateway
   * @param downlinks valid downlinks received
   * @param acknowledged confirmed uplinks acknowledged
   * @param micFailures downlinks with a wrong MIC
   * @param dataRate data rate at the end
   * @param txPowerIndex TXPower index at the end
   * @param distanceM distance to the nearest gateway
   */
  public record DeviceCounts(String name, String devEui, String devAddr, boolean joined, long joinRequests, long uplinks,
      long delivered, long downlinks, long acknowledged, long micFailures, int dataRate, int txPowerIndex,
      double distanceM) {}

  /**
   * One uplink transmission.
   *
   * @param devEui DevEUI
   * @param devAddr DevAddr
   * @param fCnt 32-bit FCntUp
   * @param fPort FPort
   * @param confirmed confirmed data up
   * @param transmission 1 for the first transmission of this FCnt
   * @param dataRate data-rate index
   * @param spreadingFactor SF
   * @param frequencyHz channel
   * @param timeMillis simulation time of the start of the frame
   * @param delivered heard by at least one gateway
   * @param gateways number of gateways that heard it
   * @param bestRssi best RSSI among receiving gateways (or the best attempt)
   * @param bestSnr best SNR
   * @param outcome RECEIVED, BELOW_FLOOR or COLLIDED
   */
  public record UplinkRecord(String devEui, String devAddr, long fCnt, int fPort, boolean confirmed, int transmission,
      int dataRate, int spreadingFactor, long frequencyHz, long timeMillis, boolean delivered, int gateways,
      double bestRssi, double bestSnr, String outcome) {}

  /** Pretty-printed JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report not serializable: " + e.getOriginalMessage(), e);
    }
  }

  /** A readable multi-line summary. */
  public String summary() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "Scenario %s (seed %d, %s): %.0f s simulated in %.1f s, %d devices, %d gateways%n",
        scenario, seed, mode, simulatedSeconds, wallSeconds, devices, gateways));
    b.append(String.format(Locale.ROOT, "Joins:      %d/%d OTAA devices joined (%.1f%%), %d join-requests, mean latency %.0f ms%n",
        joins.joinedDevices(), joins.otaaDevices(), 100 * joins.successRate(), joins.joinRequests(),
        joins.meanLatencyMillis()));
    b.append(String.format(Locale.ROOT, "Uplinks:    %d sent, %d delivered (PDR %.1f%%), %d below floor, %d lost to collisions (%d colliding receptions), %d retransmissions%n",
        uplinks.sent(), uplinks.delivered(), 100 * uplinks.deliveryRatio(), uplinks.lostBelowFloor(),
        uplinks.lostToCollisions(), uplinks.collisions(), uplinks.retransmissions()));
    if (uplinks.confirmed() > 0) {
      b.append(String.format(Locale.ROOT, "Confirmed:  %d sent, %d acknowledged%n", uplinks.confirmed(),
          uplinks.acknowledged()));
    }
    b.append("PDR per SF:       ");
    perSpreadingFactor.entrySet().stream().sorted(Map.Entry.comparingByKey(
        (x, y) -> Integer.compare(Integer.parseInt(x.substring(2)), Integer.parseInt(y.substring(2)))))
        .forEach(e -> b.append(String.format(Locale.ROOT, "%s %.1f%% (%d)  ", e.getKey(), 100 * e.getValue().ratio(),
            e.getValue().sent())));
    b.append(System.lineSeparator()).append("PDR per distance: ");
    for (String band : DISTANCE_BANDS) {
      Delivery d = perDistance.get(band);
      if (d != null) {
        b.append(String.format(Locale.ROOT, "%s %.1f%% (%d)  ", band, 100 * d.ratio(), d.sent()));
      }
    }
    b.append(System.lineSeparator());
    b.append(String.format(Locale.ROOT, "Downlinks:  %d scheduled, %d transmitted, %d received, %d lost on air, %d rejected by gateways %s%n",
        downlinks.scheduled(), downlinks.transmitted(), downlinks.received(), downlinks.lostOnAir(),
        downlinks.rejectedByGateways().values().stream().mapToLong(Long::longValue).sum(), downlinks.rejectedByGateways()));
    b.append(String.format(Locale.ROOT, "Latency:    mean %.0f ms, p50 %.0f ms, p95 %.0f ms, max %.0f ms (uplink end to downlink end)%n",
        downlinks.latencyMeanMillis(), downlinks.latencyP50Millis(), downlinks.latencyP95Millis(),
        downlinks.latencyMaxMillis()));
    Optional.ofNullable(load).ifPresent(l -> b.append(String.format(Locale.ROOT, "Load:       requested %.1f/s, achieved %.1f/s (%d sent, %d skipped)%n",
        l.requestedRate(), l.achievedRate(), l.sent(), l.skipped())));
    b.append("Devices:").append(System.lineSeparator());
    int shown = 0;
    for (DeviceCounts d : deviceCounts) {
      if (shown++ == 20) {
        b.append(String.format(Locale.ROOT, "  ... %d more in the JSON report%n", deviceCounts.size() - 20));
        break;
      }
      b.append(String.format(Locale.ROOT, "  %-16s %s %-8s %s up %d/%d down %d DR%d %.0f m%n", d.name(), d.devEui(),
          d.devAddr(), d.joined() ? "joined" : "not joined", d.delivered(), d.uplinks(), d.downlinks(), d.dataRate(),
          d.distanceM()));
    }
    return b.toString();
  }

  /** Distance band labels in order. */
  public static final List<String> DISTANCE_BANDS = List.of("0-1km", "1-2km", "2-5km", "5-10km", "10km+");

  /** The distance band of a distance in metres. */
  public static String distanceBand(double m) {
    if (m < 1000) {
      return "0-1km";
    } else if (m < 2000) {
      return "1-2km";
    } else if (m < 5000) {
      return "2-5km";
    } else if (m < 10_000) {
      return "5-10km";
    }
    return "10km+";
  }
}
