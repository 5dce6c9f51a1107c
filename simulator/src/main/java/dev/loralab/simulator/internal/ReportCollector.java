package dev.loralab.simulator.internal;

import dev.loralab.lorawan.DevAddr;
import dev.loralab.simulator.Scenario;
import dev.loralab.simulator.SimulationProgress;
import dev.loralab.simulator.SimulationReport;
import dev.loralab.simulator.device.Activation;
import dev.loralab.simulator.device.DeviceListener;
import dev.loralab.simulator.device.SimulatedDevice;
import dev.loralab.simulator.gateway.SimulatedGateway;
import dev.loralab.simulator.radio.Reception;
import dev.loralab.simulator.radio.Transmission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects the figures of a run as devices and the radio model report them, and builds the
 * {@link SimulationReport}. Simulation thread only.
 */
public final class ReportCollector implements DeviceListener {

  private final Scenario scenario;
  private final String mode;
  private final Instant startedAt;
  private final int perUplinkLimit;

  private final Map<Long, Pending> pendingUplinks = new HashMap<>();
  private final List<SimulationReport.UplinkRecord> records = new ArrayList<>();
  private boolean truncated;
  private final Map<String, long[]> perSf = new TreeMap<>();
  private final Map<String, long[]> perDistance = new LinkedHashMap<>();
  private final Map<SimulatedDevice, long[]> deliveredPerDevice = new HashMap<>();
  private final List<Long> latencies = new ArrayList<>();
  private final List<Long> joinLatencies = new ArrayList<>();
  private long sent;
  private long delivered;
  private long belowFloor;
  private long lostToCollisions;
  private long collisions;
  private long retransmissions;
  private long confirmed;
  private long downlinksReceived;
  private long downlinksTransmitted;
  private long downlinksLostOnAir;
  private long downlinksNotListening;
  private long downlinksRejected;
  private int joinedDevices;
  // load mode
  private double rate;
  private long loadStart = -1;
  private long loadEnd = -1;
  private long loadSent;
  private long loadSkipped;

  private record Pending(SimulatedDevice device, UplinkInfo info) {}

  /**
   * @param scenario the effective scenario
   * @param mode run mode label
   * @param startedAt wall-clock start
   * @param perUplinkLimit how many per-uplink records to keep
   */
  public ReportCollector(Scenario scenario, String mode, Instant startedAt, int perUplinkLimit) {
    this.scenario = scenario;
    this.mode = mode;
    this.startedAt = startedAt;
    this.perUplinkLimit = perUplinkLimit;
    for (String b : SimulationReport.DISTANCE_BANDS) {
      perDistance.put(b, new long[2]);
    }
  }

  @Override
  public void joined(SimulatedDevice device, DevAddr devAddr, int attempts, long latencyNanos) {
    joinedDevices++;
    joinLatencies.add(latencyNanos);
  }

  @Override
  public void uplinkSent(SimulatedDevice device, UplinkInfo uplink, Transmission t) {
    pendingUplinks.put(t.id(), new Pending(device, uplink));
    sent++;
    if (uplink.transmission() > 1) {
      retransmissions++;
    }
    if (uplink.confirmed()) {
      confirmed++;
    }
  }

  @Override
  public void downlinkReceived(SimulatedDevice device, DownlinkInfo downlink) {
    downlinksReceived++;
    latencies.add(downlink.latencyNanos());
  }

  @Override
  public void downlinkRejected(SimulatedDevice device, String reason) {
    downlinksRejected++;
  }

  /** The radio model decided who heard an uplink (join-requests are not counted as uplinks). */
  public void uplinkEvaluated(Transmission t, List<Reception> receptions) {
    Pending p = pendingUplinks.remove(t.id());
    if (p == null) {
      return; // a join-request
    }
    int heard = 0;
    boolean collided = false;
    double bestRssi = Double.NEGATIVE_INFINITY;
    double bestSnr = Double.NEGATIVE_INFINITY;
    for (Reception r : receptions) {
      if (r.received()) {
        heard++;
      }
      if (r.outcome() == Reception.Outcome.COLLIDED) {
        collided = true;
        collisions++;
      }
      if (r.rssiDbm() > bestRssi) {
        bestRssi = r.rssiDbm();
        bestSnr = r.snrDb();
      }
    }
    boolean ok = heard > 0;
    String outcome = ok ? "RECEIVED" : collided ? "COLLIDED" : "BELOW_FLOOR";
    if (ok) {
      delivered++;
    } else if (collided) {
      lostToCollisions++;
    } else {
      belowFloor++;
    }
    String sf = "SF" + t.spreadingFactor();
    long[] s = perSf.computeIfAbsent(sf, k -> new long[2]);
    s[0]++;
    long[] d = perDistance.get(SimulationReport.distanceBand(nearest(p.device(), receptions)));
    d[0]++;
    long[] dev = deliveredPerDevice.computeIfAbsent(p.device(), k -> new long[1]);
    if (ok) {
      s[1]++;
      d[1]++;
      dev[0]++;
    }
    if (records.size() < perUplinkLimit) {
      UplinkInfo u = p.info();
      records.add(new SimulationReport.UplinkRecord(p.device().identity().devEui().toString(),
          String.valueOf(u.devAddr()), u.fCnt(), u.fPort(), u.confirmed(), u.transmission(), u.dataRate(),
          t.spreadingFactor(), u.frequencyHz(), t.startNanos() / 1_000_000, ok, heard, round(bestRssi),
          round(bestSnr), outcome));
    } else {
      truncated = true;
    }
  }

  private static double nearest(SimulatedDevice d, List<Reception> rs) {
    double m = Double.MAX_VALUE;
    for (Reception r : rs) {
      m = Math.min(m, r.distanceM());
    }
    return m;
  }

  /** A gateway put a downlink on the air. */
  public void downlinkTransmitted() {
    downlinksTransmitted++;
  }

  /** A downlink was heard by no listening device. */
  public void downlinkLostOnAir() {
    downlinksLostOnAir++;
  }

  /** A downlink started when no device listened on its channel. */
  public void downlinkNotListening() {
    downlinksNotListening++;
  }

  /** Load mode started. */
  public void loadStarted(double uplinksPerSecond, long nowNanos) {
    rate = uplinksPerSecond;
    loadStart = nowNanos;
  }

  /** Load mode ended. */
  public void loadEnded(long nowNanos) {
    if (loadEnd < 0) {
      loadEnd = nowNanos;
    }
  }

  /** Uplinks the load driver should have sent by now. */
  public long loadTarget(long nowNanos) {
    return (long) (rate * (nowNanos - loadStart) / 1e9);
  }

  /** Uplinks the load driver sent. */
  public long loadSent() {
    return loadSent;
  }

  /** The load driver sent one. */
  public void loadUplink() {
    loadSent++;
  }

  /** The load driver found no idle device. */
  public void loadSkipped() {
    loadSkipped++;
  }

  /** A progress snapshot. */
  public SimulationProgress progress(double seconds, List<SimulatedDevice> devices) {
    int joined = 0;
    for (SimulatedDevice d : devices) {
      if (d.joined()) {
        joined++;
      }
    }
    return new SimulationProgress(seconds, joined, devices.size(), sent, delivered, downlinksReceived);
  }

  /** Builds the report. */
  public SimulationReport report(double simulatedSeconds, double wallSeconds, List<SimulatedDevice> devices,
      Map<SimulatedDevice, Double> distance, List<SimulatedGateway> gateways) {
    int otaa = 0;
    int otaaJoined = 0;
    long joinRequests = 0;
    long joinAccepts = 0;
    long acknowledged = 0;
    List<SimulationReport.DeviceCounts> perDevice = new ArrayList<>();
    for (SimulatedDevice d : devices) {
      SimulatedDevice.Counters c = d.counters();
      if (d.identity().activation() == Activation.OTAA) {
        otaa++;
        if (d.joined()) {
          otaaJoined++;
        }
      }
      joinRequests += c.joinRequests;
      joinAccepts += c.joinAccepts;
      acknowledged += c.acknowledged;
      perDevice.add(new SimulationReport.DeviceCounts(d.identity().name(), d.identity().devEui().toString(),
          d.devAddr().map(String::valueOf).orElse(""), d.joined(), c.joinRequests, c.uplinks,
          deliveredPerDevice.getOrDefault(d, new long[1])[0], c.downlinks, c.acknowledged, c.micFailures,
          d.dataRate(), d.txPowerIndex(), round(distance.getOrDefault(d, 0.0))));
    }
    SimulationReport.Joins joins = new SimulationReport.Joins(otaa, otaaJoined, joinRequests, joinAccepts,
        otaa == 0 ? 1 : (double) otaaJoined / otaa, millis(mean(joinLatencies)));
    SimulationReport.Uplinks up = new SimulationReport.Uplinks(sent, delivered, ratio(delivered, sent), belowFloor,
        lostToCollisions, collisions, retransmissions, confirmed, acknowledged);
    Map<String, SimulationReport.Delivery> sf = new TreeMap<>();
    perSf.forEach((k, v) -> sf.put(k, new SimulationReport.Delivery(v[0], v[1], ratio(v[1], v[0]))));
    Map<String, SimulationReport.Delivery> dist = new LinkedHashMap<>();
    perDistance.forEach((k, v) -> {
      if (v[0] > 0) {
        dist.put(k, new SimulationReport.Delivery(v[0], v[1], ratio(v[1], v[0])));
      }
    });
    long scheduled = 0;
    long tooLate = 0;
    long tooEarly = 0;
    long collisionPacket = 0;
    List<SimulationReport.GatewayCounts> gws = new ArrayList<>();
    for (SimulatedGateway g : gateways) {
      SimulatedGateway.Counters c = g.counters();
      scheduled += c.downlinksReceived() - c.tooLate() - c.tooEarly() - c.collisionPacket();
      tooLate += c.tooLate();
      tooEarly += c.tooEarly();
      collisionPacket += c.collisionPacket();
      gws.add(new SimulationReport.GatewayCounts(g.config().eui().toString(), c.received(), c.pushDataSent(),
          c.pushAcks(), c.pullAcks(), c.downlinksReceived(), c.downlinksSent(), c.tooLate(), c.tooEarly(),
          c.collisionPacket()));
    }
    Map<String, Long> rejected = new TreeMap<>();
    if (tooLate > 0) {
      rejected.put("TOO_LATE", tooLate);
    }
    if (tooEarly > 0) {
      rejected.put("TOO_EARLY", tooEarly);
    }
    if (collisionPacket > 0) {
      rejected.put("COLLISION_PACKET", collisionPacket);
    }
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    SimulationReport.Downlinks down = new SimulationReport.Downlinks(scheduled, rejected, downlinksTransmitted,
        downlinksReceived, downlinksLostOnAir, downlinksNotListening, downlinksRejected, millis(mean(latencies)),
        millis(percentile(sorted, 0.5)), millis(percentile(sorted, 0.95)),
        millis(sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)));
    SimulationReport.Load load = null;
    if (loadStart >= 0) {
      long end = loadEnd >= 0 ? loadEnd : (long) (simulatedSeconds * 1e9);
      double secs = Math.max(1e-9, (end - loadStart) / 1e9);
      load = new SimulationReport.Load(rate, round(loadSent / secs), loadSent, loadSkipped);
    }
    return new SimulationReport(scenario.name(), scenario.seed(), mode, startedAt.toString(), round(simulatedSeconds),
        round(wallSeconds), devices.size(), gateways.size(), joins, up, sf, dist, down, load, gws, perDevice, records,
        truncated);
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0 : round((double) a / b);
  }

  private static double mean(List<Long> l) {
    return l.stream().mapToLong(Long::longValue).average().orElse(0);
  }

  private static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static double millis(double nanos) {
    return round(nanos / 1e6);
  }

  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : 0;
  }
}
