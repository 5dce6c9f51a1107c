package dev.loralab.simulator.radio;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The shared radio channel: it remembers every frame recently on the air and decides, for a
 * frame and a receiver, the RSSI, the SNR and whether it was demodulated.
 *
 * <p>Reception rules: the SNR must reach the demodulation floor of the SF; a receiver that is
 * transmitting during the frame hears nothing; a frame overlapping in time another frame on the
 * same frequency, SF and bandwidth is lost unless capture is enabled and it is at least the
 * capture threshold stronger than every such interferer at that receiver. Frames on other
 * channels or SFs do not interfere (LoRa SFs are treated as orthogonal).
 *
 * <p>Not thread-safe: use it from the simulation thread only. Deterministic for a seed and a
 * sequence of calls.
 */
public final class Medium {

  private final RadioParameters parameters;
  private final long seed;
  private final SplittableRandom fading;
  private final List<Transmission> onAir = new ArrayList<>();
  private final Map<String, Double> shadowing = new LinkedHashMap<>();
  private long nextId = 1;
  private long longestNanos;

  /**
   * @param parameters propagation and capture parameters
   * @param seed seeds shadowing (per link) and fading (per frame)
   */
  public Medium(RadioParameters parameters, long seed) {
    this.parameters = parameters;
    this.seed = seed;
    this.fading = new SplittableRandom(seed ^ 0x5DEECE66DL);
  }

  /** The model parameters. */
  public RadioParameters parameters() {
    return parameters;
  }

  /**
   * Puts a frame on the air (it may start in the future, e.g. a scheduled downlink) and returns
   * it with its id assigned.
   */
  public Transmission transmit(RadioNode transmitter, long frequencyHz, int spreadingFactor, int bandwidthHz,
      double txPowerDbm, long startNanos, long endNanos, Object payload) {
    Transmission t = new Transmission(nextId++, transmitter, frequencyHz, spreadingFactor, bandwidthHz,
        txPowerDbm, startNanos, endNanos, payload);
    onAir.add(t);
    longestNanos = Math.max(longestNanos, endNanos - startNanos);
    return t;
  }

  /**
   * Decides whether {@code receiver} demodulated {@code t}. Call it once the frame has ended, so
   * that every overlapping frame is known. Each call draws fresh fading.
   */
  public Reception receive(Transmission t, RadioNode receiver) {
    return receive(t, receiver, true);
  }

  /**
   * Like {@link #receive(Transmission, RadioNode)}; with {@code interference} false only the
   * demodulation floor applies (load mode, where the point is to load the server).
   */
  public Reception receive(Transmission t, RadioNode receiver, boolean interference) {
    double distance = t.transmitter().position().distanceTo(receiver.position());
    double rssi = rssiDbm(t, receiver, distance) - fadingDb();
    double snr = rssi - parameters.noiseFloorDbm(t.bandwidthHz());
    if (snr < RadioParameters.demodulationFloorSnrDb(t.spreadingFactor())) {
      return new Reception(receiver, t, Reception.Outcome.BELOW_FLOOR, rssi, snr, distance);
    }
    for (Transmission o : interference ? onAir : List.<Transmission>of()) {
      if (o.id() == t.id() || !o.overlaps(t)) {
        continue;
      }
      if (o.transmitter().id().equals(receiver.id())) {
        return new Reception(receiver, t, Reception.Outcome.RECEIVER_BUSY, rssi, snr, distance);
      }
      if (!o.sameChannelAndSf(t)) {
        continue;
      }
      if (!parameters.captureEnabled()) {
        return new Reception(receiver, t, Reception.Outcome.COLLIDED, rssi, snr, distance);
      }
      double interferer = rssiDbm(o, receiver, o.transmitter().position().distanceTo(receiver.position()));
      if (rssi - interferer < parameters.captureThresholdDb()) {
        return new Reception(receiver, t, Reception.Outcome.COLLIDED, rssi, snr, distance);
      }
    }
    return new Reception(receiver, t, Reception.Outcome.RECEIVED, rssi, snr, distance);
  }

  /** Decides reception of {@code t} at each of {@code receivers}. */
  public List<Reception> receiveAll(Transmission t, Collection<RadioNode> receivers) {
    List<Reception> out = new ArrayList<>(receivers.size());
    for (RadioNode r : receivers) {
      if (!r.id().equals(t.transmitter().id())) {
        out.add(receive(t, r));
      }
    }
    return out;
  }

  /**
   * Mean received power plus the link's shadowing (no fading): TX power + both antenna gains −
   * path loss − shadowing.
   */
  public double rssiDbm(Transmission t, RadioNode receiver, double distanceM) {
    RadioNode tx = t.transmitter();
    double gains = gain(tx) + gain(receiver);
    return t.txPowerDbm() + gains - parameters.meanPathLossDb(distanceM) - linkShadowingDb(tx, receiver);
  }

  /**
   * The shadowing of the link between two nodes: drawn once from N(0, sigma) with a generator
   * seeded by the run seed and the two ids (order-independent), so it is the same in both
   * directions and across runs with the same seed.
   */
  public double linkShadowingDb(RadioNode a, RadioNode b) {
    if (parameters.shadowingSigmaDb() == 0) {
      return 0;
    }
    String x = a.id().compareTo(b.id()) <= 0 ? a.id() + "|" + b.id() : b.id() + "|" + a.id();
    return shadowing.computeIfAbsent(x, k -> {
      long h = seed * 0x9E3779B97F4A7C15L + k.hashCode();
      h = new SplittableRandom(h).nextLong();
      return new SplittableRandom(h).nextGaussian() * parameters.shadowingSigmaDb();
    });
  }

  /**
   * Forgets frames that ended before {@code nowNanos} minus the longest frame seen, which can no
   * longer overlap a frame still to be evaluated.
   */
  public void prune(long nowNanos) {
    long horizon = nowNanos - 2 * longestNanos - 1;
    for (Iterator<Transmission> it = onAir.iterator(); it.hasNext(); ) {
      if (it.next().endNanos() < horizon) {
        it.remove();
      }
    }
  }

  /** Number of frames remembered. */
  public int framesRemembered() {
    return onAir.size();
  }

  private double fadingDb() {
    return parameters.fadingSigmaDb() == 0 ? 0 : fading.nextGaussian() * parameters.fadingSigmaDb();
  }

  private double gain(RadioNode n) {
    return n.kind() == RadioNode.Kind.GATEWAY ? parameters.gatewayAntennaGainDbi() : parameters.deviceAntennaGainDbi();
  }
}
