package dev.loralab.frequencyplans;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A resolved gateway/network frequency plan (The Things Network YAML format) with its
 * {@code base-id} overlays applied and band defaults filled in: sub-bands and downlink channels
 * fall back to the band's when the plan has none, RX2 to the band's default (possibly with the
 * plan's {@code rx2-default-data-rate}), max EIRP to the band's default.
 *
 * @param id plan ID, e.g. {@code EU_863_870_TTN}
 * @param bandId band ID, e.g. {@code EU_863_870}
 * @param name human-readable name from the index
 * @param description description from the index
 * @param baseFrequencyMhz base frequency in MHz from the index (433, 470, 868, 915, 2450)
 * @param subBands sub-bands with duty cycle (the plan's, else the band's)
 * @param uplinkChannels uplink channels, with radio
 * @param downlinkChannels downlink channels (the plan's, else the band's)
 * @param loraStandardChannel single-data-rate LoRa channel, if any
 * @param fskChannel FSK channel, if any
 * @param rx2Channel RX2 frequency and data rate
 * @param timeOffAir minimum time off air after each transmission
 * @param dwellTime dwell-time limits
 * @param listenBeforeTalk listen-before-talk parameters, if required
 * @param maxEirpDbm plan-wide maximum EIRP (a sub-band's own limit takes precedence)
 * @param pingSlot Class B ping-slot channel, if the plan sets one
 * @param radios gateway radio configuration
 * @param clockSource gateway clock-source radio
 */
public record FrequencyPlan(
    String id,
    String bandId,
    String name,
    String description,
    int baseFrequencyMhz,
    List<SubBand> subBands,
    List<Channel> uplinkChannels,
    List<Channel> downlinkChannels,
    Optional<SingleDataRateChannel> loraStandardChannel,
    Optional<SingleDataRateChannel> fskChannel,
    SingleDataRateChannel rx2Channel,
    TimeOffAir timeOffAir,
    DwellTime dwellTime,
    Optional<ListenBeforeTalk> listenBeforeTalk,
    double maxEirpDbm,
    Optional<SingleDataRateChannel> pingSlot,
    List<Radio> radios,
    int clockSource) {

  /** A channel that uses one data rate (LoRa standard, FSK, RX2, ping slot). */
  public record SingleDataRateChannel(long frequencyHz, int dataRate, int radio) {
    /** Validates the fields. */
    public SingleDataRateChannel {
      if (frequencyHz <= 0 || dataRate < 0 || dataRate > 15 || radio < 0) {
        throw new FrequencyPlanException(
            "channel: positive frequency, data rate 0..15 and radio >= 0 expected, found " + frequencyHz + "/" + dataRate + "/" + radio);
      }
    }
  }

  /**
   * Time off air after an emission: {@code max(airtime · fraction, duration)}.
   *
   * @param fraction fraction of the emission's airtime, ≥ 0
   * @param duration minimum time off air
   */
  public record TimeOffAir(double fraction, Duration duration) {
    /** Validates the fields. */
    public TimeOffAir {
      if (!(fraction >= 0) || duration == null || duration.isNegative()) {
        throw new FrequencyPlanException("time-off-air: fraction >= 0 and non-negative duration expected");
      }
    }

    /** No time off air. */
    public static TimeOffAir none() {
      return new TimeOffAir(0, Duration.ZERO);
    }

    /** Time off air after an emission of the given airtime. */
    public Duration after(Duration airtime) {
      Duration proportional = Duration.ofNanos(Math.round(airtime.toNanos() * fraction));
      return proportional.compareTo(duration) > 0 ? proportional : duration;
    }
  }

  /** Dwell-time limits for uplinks and downlinks (e.g. 400 ms in US915 and AS923). */
  public record DwellTime(boolean uplinks, boolean downlinks, Duration duration) {
    /** Validates the fields. */
    public DwellTime {
      if ((uplinks || downlinks) && (duration == null || duration.isZero() || duration.isNegative())) {
        throw new FrequencyPlanException("dwell-time: positive duration expected when uplinks or downlinks is on");
      }
      if (duration == null) {
        duration = Duration.ZERO;
      }
    }

    /** No dwell-time limit. */
    public static DwellTime off() {
      return new DwellTime(false, false, Duration.ZERO);
    }
  }

  /** Listen-before-talk parameters. */
  public record ListenBeforeTalk(double rssiTargetDbm, double rssiOffsetDb, Duration scanTime) {
    /** Validates the fields. */
    public ListenBeforeTalk {
      if (scanTime == null || scanTime.isNegative()) {
        throw new FrequencyPlanException("listen-before-talk: non-negative scan-time expected");
      }
    }
  }

  /** One gateway radio (RF chain). */
  public record Radio(
      boolean enable, String chipType, long frequencyHz, double rssiOffset, OptionalLong txMinFrequencyHz, OptionalLong txMaxFrequencyHz) {
    /** Validates the fields. */
    public Radio {
      chipType = chipType == null ? "" : chipType;
      txMinFrequencyHz = txMinFrequencyHz == null ? OptionalLong.empty() : txMinFrequencyHz;
      txMaxFrequencyHz = txMaxFrequencyHz == null ? OptionalLong.empty() : txMaxFrequencyHz;
      if (frequencyHz <= 0) {
        throw new FrequencyPlanException("radio: positive frequency expected, found " + frequencyHz);
      }
    }
  }

  /** Copies the lists. */
  public FrequencyPlan {
    subBands = List.copyOf(subBands);
    uplinkChannels = List.copyOf(uplinkChannels);
    downlinkChannels = List.copyOf(downlinkChannels);
    radios = List.copyOf(radios);
    if (id == null || bandId == null || rx2Channel == null || timeOffAir == null || dwellTime == null) {
      throw new FrequencyPlanException("frequency plan: id, band, RX2, time-off-air and dwell-time expected");
    }
    name = name == null ? "" : name;
    description = description == null ? "" : description;
  }

  /** The plan's band. */
  public Band band() {
    return Bands.byId(bandId);
  }

  /** The sub-band containing a frequency, if any. */
  public Optional<SubBand> findSubBand(long frequencyHz) {
    return subBands.stream().filter(s -> s.contains(frequencyHz)).findFirst();
  }

  /**
   * The sub-band containing a frequency.
   *
   * @throws FrequencyPlanException if the frequency is outside every sub-band
   */
  public SubBand subBandFor(long frequencyHz) {
    return findSubBand(frequencyHz)
        .orElseThrow(() -> new FrequencyPlanException(
            "plan " + id + ": frequency " + frequencyHz + " is outside every sub-band"));
  }

  /**
   * Whether a transmission of this airtime respects the plan's dwell time in its direction (always
   * true when dwell time is off for that direction).
   */
  public boolean respectsDwellTime(boolean uplink, Duration airtime) {
    boolean limited = uplink ? dwellTime.uplinks() : dwellTime.downlinks();
    return !limited || airtime.compareTo(dwellTime.duration()) <= 0;
  }

  /** Maximum EIRP at a frequency: the sub-band's limit if it has one, else the plan's. */
  public double maxEirpDbm(long frequencyHz) {
    OptionalDouble sub = findSubBand(frequencyHz).map(SubBand::maxEirpDbm).orElse(OptionalDouble.empty());
    return sub.orElse(maxEirpDbm);
  }
}
