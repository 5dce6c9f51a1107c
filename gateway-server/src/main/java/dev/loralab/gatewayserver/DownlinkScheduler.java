package dev.loralab.gatewayserver;

import dev.loralab.frequencyplans.Band;
import dev.loralab.frequencyplans.DataRate;
import dev.loralab.frequencyplans.DutyCycleLedger;
import dev.loralab.frequencyplans.FrequencyPlan;
import dev.loralab.frequencyplans.FrequencyPlanException;
import dev.loralab.frequencyplans.TimeOnAir;
import dev.loralab.gatewayserver.DownlinkRequest.TxParameters;
import dev.loralab.gatewayserver.ScheduleException.Attempt;
import dev.loralab.gatewayserver.ScheduleException.Reason;
import dev.loralab.gatewayserver.udp.Datr;
import dev.loralab.gatewayserver.udp.Modulation;
import dev.loralab.gatewayserver.udp.Txpk;
import dev.loralab.lorawan.Eui64;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides when and how a downlink goes out on a gateway, or refuses it with a reason. Pure logic:
 * no I/O; time comes from the injected {@link Clock}. {@link #check} answers as {@link #schedule}
 * would, on the same code path, without reserving anything.
 *
 * <p>Class A: RX1 at uplink {@code tmst} + RECEIVE_DELAY1 on the RX1 frequency and data rate of the
 * band (same frequency, or uplink channel mod 8 in US915/AU915; RX1DROffset table), then RX2 one
 * second later on the plan's RX2 settings. Class C: at an absolute time (needs a synchronised
 * concentrator clock) or in the first free slot.
 *
 * <p>Refusals: too late for the gateway (half the measured round-trip time plus a queue margin,
 * or the configured schedule-ahead margin when no round trip is known), too far ahead, dwell time,
 * payload size, an overlap with a downlink already scheduled on the gateway (time on air plus the
 * plan's time off air plus a guard margin), and the sub-band duty cycle over a rolling window.
 *
 * <p>Overlaps are checked where the gateway checks them: on its concentrator counter
 * ({@code tmst}, wrapping every 2^32 µs). A class A downlink sits at the uplink's {@code tmst} plus
 * the receive delay; an absolute or as-soon-as-possible one at the counter value its server time
 * maps to. Server time ({@code received_at} plus delay) would let two downlinks look separate
 * when UDP delivered their uplinks with different delays, and the gateway would refuse the second
 * one (COLLISION_PACKET). Server time is still used for the lead check, the duty-cycle ledger and
 * to forget past downlinks, and for downlinks whose counter value is unknown.
 *
 * <p>State (scheduled emissions, duty-cycle ledger) is kept per gateway and guarded by that
 * gateway's own lock; different gateways never contend.
 */
public final class DownlinkScheduler {

  /** EIRP to ERP (dipole gain), subtracted to get the conducted TX power. */
  static final double EIRP_TO_ERP_DB = 2.15;
  private static final String LORA_DOWNLINK_CODING_RATE = "4/5";
  /** How long after its (estimated) end a downlink is still checked for overlaps. */
  private static final Duration FORGET_AFTER = Duration.ofSeconds(5);

  private final GatewayServerConfig config;
  private final Clock clock;
  private final Map<Eui64, GatewaySchedule> schedules = new ConcurrentHashMap<>();

  /** A scheduler using {@code config}'s margins and duty-cycle settings. */
  public DownlinkScheduler(GatewayServerConfig config, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Schedules a downlink or refuses it.
   *
   * @throws ScheduleException with the reason of every refused attempt
   */
  public ScheduledDownlink schedule(GatewayTiming gateway, DownlinkRequest request) {
    return plan(gateway, request, true);
  }

  /**
   * What {@link #schedule} would do now, without reserving anything: the same checks (lead,
   * overlaps, duty cycle, dwell time, payload size) on the same state, which stays unchanged.
   *
   * @return the downlink as {@link #schedule} would place it now
   * @throws ScheduleException as {@link #schedule} would
   */
  public ScheduledDownlink check(GatewayTiming gateway, DownlinkRequest request) {
    return plan(gateway, request, false);
  }

  /** Schedules ({@code reserve}) or only checks a downlink: one code path for both. */
  private ScheduledDownlink plan(GatewayTiming gateway, DownlinkRequest request,
      boolean reserve) {
    Instant now = clock.instant();
    GatewaySchedule schedule = scheduleOf(gateway.eui(), gateway.plan());
    if (request.uplinkToken().isPresent()) {
      return scheduleClassA(gateway, request, request.uplinkToken().get(), schedule, now,
          reserve);
    }
    return scheduleAbsolute(gateway, request, schedule, now, reserve);
  }

  /** Airtime recorded for the gateway in the sub-band of {@code frequencyHz} in the window. */
  public Duration dutyCycleUsed(Eui64 gateway, long frequencyHz) {
    GatewaySchedule s = schedules.get(gateway);
    return s == null ? Duration.ZERO : s.ledger.used(frequencyHz, clock.instant());
  }

  private GatewaySchedule scheduleOf(Eui64 eui, FrequencyPlan plan) {
    GatewaySchedule current = schedules.get(eui);
    if (current != null && current.plan.id().equals(plan.id())) {
      return current; // the usual case, without locking the map's bin
    }
    return schedules.compute(eui, (k, existing) ->
        existing != null && existing.plan.id().equals(plan.id()) ? existing
            : new GatewaySchedule(plan, new DutyCycleLedger(plan.subBands(),
                config.dutyCycleWindow(), clock)));
  }

  private ScheduledDownlink scheduleClassA(GatewayTiming gw, DownlinkRequest req, UplinkToken token,
      GatewaySchedule schedule, Instant now, boolean reserve) {
    List<Attempt> refused = new ArrayList<>();
    if (req.tryRx1()) {
      try {
        TxParameters rx1 = req.rx1().orElseGet(() -> rx1Parameters(gw.plan(), token,
            req.rx1DataRateOffset()));
        return attempt(gw, schedule, req, RxWindow.RX1, rx1, req.rx1Delay(), token, now,
            reserve);
      } catch (ScheduleException e) {
        refused.addAll(e.attempts());
      }
    }
    if (req.tryRx2()) {
      try {
        TxParameters rx2 = req.rx2().orElseGet(() -> planRx2(gw.plan()));
        return attempt(gw, schedule, req, RxWindow.RX2, rx2,
            req.rx1Delay().plusSeconds(1), token, now, reserve);
      } catch (ScheduleException e) {
        refused.addAll(e.attempts());
      }
    }
    throw new ScheduleException(refused);
  }

  private ScheduledDownlink attempt(GatewayTiming gw, GatewaySchedule schedule,
      DownlinkRequest req, RxWindow window, TxParameters tx, Duration delay, UplinkToken token,
      Instant now, boolean reserve) {
    Instant transmitAt = token.receivedAt().plus(delay);
    long tmst = ConcentratorClock.add(token.tmst(), delay);
    Emission e = emission(gw, req, window, tx, transmitAt, Optional.of(tmst));
    checkLead(gw, window, transmitAt, now);
    schedule.commit(e, gw.enforceDutyCycle() && config.enforceDutyCycle(), now, reserve);
    return result(gw, e, Optional.of(tmst), req);
  }

  private ScheduledDownlink scheduleAbsolute(GatewayTiming gw, DownlinkRequest req,
      GatewaySchedule schedule, Instant now, boolean reserve) {
    RxWindow window = RxWindow.ABSOLUTE;
    TxParameters tx = req.rx2().orElseGet(() -> planRx2(gw.plan()));
    if (req.absoluteTime().isPresent()) {
      Instant at = req.absoluteTime().get();
      if (!gw.clock().synced()) {
        throw new ScheduleException(window, Reason.NO_CLOCK_SYNC,
            "no uplink has synchronised the gateway clock yet");
      }
      Emission e = emission(gw, req, window, tx, at, gw.clock().toTimestamp(at));
      checkLead(gw, window, at, now);
      schedule.commit(e, gw.enforceDutyCycle() && config.enforceDutyCycle(), now, reserve);
      return result(gw, e, e.tmst, req);
    }
    // As soon as possible: the first slot after the minimum lead that overlaps nothing.
    Instant at = now.plus(minimumLead(gw));
    Emission e = emission(gw, req, window, tx, at, gw.clock().toTimestamp(at));
    Emission placed = schedule.commitFirstFree(e,
        gw.enforceDutyCycle() && config.enforceDutyCycle(), now, now.plus(config.maxScheduleAhead()),
        gw.clock().synced(), reserve);
    return result(gw, placed, placed.tmst, req);
  }

  private Emission emission(GatewayTiming gw, DownlinkRequest req, RxWindow window,
      TxParameters tx, Instant start, Optional<Long> tmst) {
    FrequencyPlan plan = gw.plan();
    Band band;
    int drIndex;
    try {
      band = plan.band();
      drIndex = band.dataRateIndex(tx.dataRate()).orElseThrow(() -> new ScheduleException(window,
          Reason.INVALID_SETTINGS, "data rate " + tx.dataRate().name() + " not in band "
              + plan.bandId()));
    } catch (FrequencyPlanException ex) {
      throw new ScheduleException(window, Reason.INVALID_SETTINGS, ex.getMessage());
    }
    if (plan.findSubBand(tx.frequencyHz()).isEmpty()) {
      throw new ScheduleException(window, Reason.INVALID_SETTINGS,
          "frequency " + tx.frequencyHz() + " Hz outside every sub-band of " + plan.id());
    }
    boolean dwell = plan.dwellTime().downlinks();
    int maxPhy = band.maxMacPayloadSize(drIndex, dwell) + 5;
    if (req.payload().length() > maxPhy) {
      throw new ScheduleException(window, Reason.PAYLOAD_TOO_LARGE,
          req.payload().length() + " bytes > " + maxPhy + " at DR" + drIndex);
    }
    Duration airtime;
    try {
      airtime = TimeOnAir.downlink(req.payload().length(), tx.dataRate());
    } catch (FrequencyPlanException ex) {
      throw new ScheduleException(window, Reason.INVALID_SETTINGS, ex.getMessage());
    }
    if (dwell && airtime.compareTo(plan.dwellTime().duration()) > 0) {
      throw new ScheduleException(window, Reason.DWELL_TIME,
          "time on air " + airtime.toMillis() + " ms > " + plan.dwellTime().duration().toMillis()
              + " ms");
    }
    Duration offAir = plan.timeOffAir().after(airtime);
    return new Emission(window, tx, drIndex, start, tmst, airtime,
        offAir.plus(config.downlinkGuardMargin()));
  }

  private Duration minimumLead(GatewayTiming gw) {
    return gw.roundTrip().map(rtt -> rtt.dividedBy(2).plus(config.gatewayQueueMargin()))
        .orElse(config.scheduleAheadMargin());
  }

  private void checkLead(GatewayTiming gw, RxWindow window, Instant transmitAt, Instant now) {
    Duration lead = Duration.between(now, transmitAt);
    Duration min = minimumLead(gw);
    if (lead.compareTo(min) < 0) {
      throw new ScheduleException(window, Reason.TOO_LATE,
          "starts in " + lead.toMillis() + " ms, needs at least " + min.toMillis() + " ms");
    }
    if (lead.compareTo(config.maxScheduleAhead()) > 0) {
      throw new ScheduleException(window, Reason.TOO_FAR_AHEAD,
          "starts in " + lead.toSeconds() + " s, at most " + config.maxScheduleAhead().toSeconds()
              + " s allowed");
    }
  }

  private ScheduledDownlink result(GatewayTiming gw, Emission e, Optional<Long> tmst,
      DownlinkRequest req) {
    DataRate dr = e.tx.dataRate();
    double eirp = gw.plan().maxEirpDbm(e.tx.frequencyHz());
    // 1e-6 absorbs binary rounding (16.15 - 2.15 is 13.99999...).
    int power = (int) Math.floor(eirp - EIRP_TO_ERP_DB - gw.antennaGainDb() + 1e-6);
    Txpk txpk;
    if (dr.modulation() == DataRate.Modulation.FSK) {
      txpk = new Txpk(tmst.isEmpty(), tmst.orElse(null), null, e.tx.frequencyHz(), 0, power,
          Modulation.FSK, new Datr.Fsk(dr.fskBitRate()), null, dr.fskBitRate() / 2, false, null,
          req.payload(), true, null, null);
    } else {
      txpk = new Txpk(tmst.isEmpty(), tmst.orElse(null), null, e.tx.frequencyHz(), 0, power,
          Modulation.LORA, new Datr.LoRa(dr.spreadingFactor(), dr.bandwidthHz()),
          LORA_DOWNLINK_CODING_RATE, null, true, null, req.payload(), true, null, null);
    }
    return new ScheduledDownlink(e.window, txpk, e.start, e.airtime, e.dataRateIndex);
  }

  /** RX1 frequency and data rate from the band rules (RP002 §2.x "RX1 ... data rate" tables). */
  static TxParameters rx1Parameters(FrequencyPlan plan, UplinkToken token, int offset) {
    try {
      Band band = plan.band();
      DataRate up = token.lora()
          ? DataRate.lora(token.spreadingFactor(), token.bandwidthOrBitRate())
          : DataRate.fsk(token.bandwidthOrBitRate());
      int upIndex = band.dataRateIndex(up).orElseThrow(() -> new ScheduleException(RxWindow.RX1,
          Reason.INVALID_SETTINGS, "uplink data rate " + up.name() + " not in band " + band.id()));
      int rx1Dr = band.rx1DataRate(upIndex, offset, plan.dwellTime().downlinks());
      long frequency;
      if (band.channelPlan() == Band.ChannelPlan.FIXED_72) {
        int channel = band.uplinkChannelIndex(token.uplinkFrequencyHz())
            .orElseThrow(() -> new ScheduleException(RxWindow.RX1, Reason.INVALID_SETTINGS,
                "uplink frequency " + token.uplinkFrequencyHz() + " Hz is not a channel of "
                    + band.id()));
        frequency = band.rx1Frequency(token.uplinkFrequencyHz(), channel);
      } else {
        frequency = band.rx1Frequency(token.uplinkFrequencyHz(), 0);
      }
      return new TxParameters(frequency, band.dataRate(rx1Dr));
    } catch (FrequencyPlanException e) {
      throw new ScheduleException(RxWindow.RX1, Reason.INVALID_SETTINGS, e.getMessage());
    }
  }

  static TxParameters planRx2(FrequencyPlan plan) {
    try {
      return new TxParameters(plan.rx2Channel().frequencyHz(),
          plan.band().dataRate(plan.rx2Channel().dataRate()));
    } catch (FrequencyPlanException e) {
      throw new ScheduleException(RxWindow.RX2, Reason.INVALID_SETTINGS, e.getMessage());
    }
  }

  /**
   * One transmission on a gateway: [start, start + airtime) then time off air (which includes
   * the guard margin). {@code start} is server time; {@code tmst} the gateway's counter value at
   * the start, when known.
   */
  private static final class Emission {
    final RxWindow window;
    final TxParameters tx;
    final int dataRateIndex;
    final Instant start;
    final Optional<Long> tmst;
    final Duration airtime;
    final Duration offAir;

    Emission(RxWindow window, TxParameters tx, int dataRateIndex, Instant start,
        Optional<Long> tmst, Duration airtime, Duration offAir) {
      this.window = window;
      this.tx = tx;
      this.dataRateIndex = dataRateIndex;
      this.start = start;
      this.tmst = tmst;
      this.airtime = airtime;
      this.offAir = offAir;
    }

    Instant end() {
      return start.plus(airtime);
    }

    Instant blockedUntil() {
      return end().plus(offAir);
    }

    /** µs from this start to the end of the time off air. */
    long blockedMicros() {
      return ConcentratorClock.micros(airtime.plus(offAir));
    }

    /**
     * Whether the two keep each other's air and time off air (guard included) free: on the
     * gateway's counter when both values are known (signed, wrapping difference), else on server
     * time. The guard is on both sides, as it is part of each one's time off air.
     */
    boolean overlaps(Emission o) {
      if (tmst.isPresent() && o.tmst.isPresent()) {
        long d = ConcentratorClock.signedDelta(o.tmst.get(), tmst.get()); // o.start - start
        return d < blockedMicros() && -d < o.blockedMicros();
      }
      return start.isBefore(o.blockedUntil()) && o.start.isBefore(blockedUntil());
    }

    /** This transmission moved to start right after {@code o}'s time off air. */
    Emission after(Emission o) {
      long shift;
      if (tmst.isPresent() && o.tmst.isPresent()) {
        shift = ConcentratorClock.signedDelta(o.tmst.get(), tmst.get()) + o.blockedMicros();
      } else {
        shift = ConcentratorClock.micros(Duration.between(start, o.blockedUntil()));
      }
      shift = Math.max(1, shift);
      Duration d = Duration.ofNanos(shift * 1000);
      return new Emission(window, tx, dataRateIndex, start.plus(d),
          tmst.map(t -> ConcentratorClock.add(t, d)), airtime, offAir);
    }
  }

  /**
   * Per-gateway state; every method runs under this object's monitor. With {@code reserve}
   * false, {@link #commit} and {@link #commitFirstFree} only check: they record nothing (they
   * may still forget emissions that have ended).
   */
  private static final class GatewaySchedule {
    final FrequencyPlan plan;
    final DutyCycleLedger ledger;
    private final List<Emission> emissions = new ArrayList<>();

    GatewaySchedule(FrequencyPlan plan, DutyCycleLedger ledger) {
      this.plan = plan;
      this.ledger = ledger;
    }

    synchronized void commit(Emission e, boolean dutyCycle, Instant now, boolean reserve) {
      prune(now);
      for (Emission other : emissions) {
        if (e.overlaps(other)) {
          throw new ScheduleException(e.window, Reason.CONFLICT, "overlaps a "
              + other.window.tag() + " downlink at " + other.start
              + other.tmst.map(t -> " (tmst " + t + ")").orElse("") + " lasting "
              + other.airtime.toMillis() + " ms");
        }
      }
      if (dutyCycle && !(reserve ? ledger.tryRecord(e.tx.frequencyHz(), e.start, e.airtime)
          : ledger.fits(e.tx.frequencyHz(), e.start, e.airtime))) {
        throw new ScheduleException(e.window, Reason.DUTY_CYCLE,
            "sub-band " + ledger.subBand(e.tx.frequencyHz()) + " budget spent; "
                + ledger.remaining(e.tx.frequencyHz(), e.end()).toMillis() + " ms left");
      }
      if (reserve) {
        emissions.add(e);
      }
    }

    synchronized Emission commitFirstFree(Emission e, boolean dutyCycle, Instant now,
        Instant latest, boolean movable, boolean reserve) {
      prune(now);
      Emission candidate = e;
      boolean moved = true;
      while (moved) {
        moved = false;
        for (Emission other : emissions) {
          if (candidate.overlaps(other)) {
            if (!movable) {
              throw new ScheduleException(e.window, Reason.CONFLICT,
                  "overlaps a downlink and the gateway clock is not synchronised");
            }
            candidate = candidate.after(other);
            moved = true;
          }
        }
        if (candidate.start.isAfter(latest)) {
          throw new ScheduleException(e.window, Reason.TOO_FAR_AHEAD,
              "no free slot before " + latest);
        }
      }
      commit(candidate, dutyCycle, now, reserve);
      return candidate;
    }

    private void prune(Instant now) {
      for (Iterator<Emission> it = emissions.iterator(); it.hasNext(); ) {
        // server time of class A downlinks is only an estimate (UDP delay of their uplink):
        // keep them a little longer so that the counter-based check still sees them
        if (it.next().blockedUntil().plus(FORGET_AFTER).isBefore(now)) {
          it.remove();
        }
      }
    }
  }
}
