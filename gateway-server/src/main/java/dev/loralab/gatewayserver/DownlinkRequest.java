package dev.loralab.gatewayserver;

import dev.loralab.frequencyplans.DataRate;
import dev.loralab.lorawan.Bytes;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the Network Server asks the scheduler for. With an uplink token it is a class A downlink in
 * RX1 and/or RX2; without, a class C downlink at {@code absoluteTime} or as soon as possible.
 *
 * @param payload the PHYPayload
 * @param uplinkToken the uplink it answers (class A)
 * @param rx1Delay RECEIVE_DELAY1 (1 s for data, 5 s for join-accept)
 * @param rx1DataRateOffset RX1DROffset, used when {@code rx1} is not given
 * @param rx1 explicit RX1 settings; empty: computed from the plan and the uplink
 * @param rx2 explicit RX2 (and class C) settings; empty: the plan's RX2
 * @param tryRx1 whether RX1 may be used
 * @param tryRx2 whether RX2 may be used
 * @param absoluteTime class B/C transmission time; empty with no uplink token: as soon as possible
 */
public record DownlinkRequest(
    Bytes payload,
    Optional<UplinkToken> uplinkToken,
    Duration rx1Delay,
    int rx1DataRateOffset,
    Optional<TxParameters> rx1,
    Optional<TxParameters> rx2,
    boolean tryRx1,
    boolean tryRx2,
    Optional<Instant> absoluteTime) {

  /**
   * A frequency and data rate.
   *
   * @param frequencyHz centre frequency
   * @param dataRate modulation
   */
  public record TxParameters(long frequencyHz, DataRate dataRate) {
    /** Validates the fields. */
    public TxParameters {
      if (frequencyHz <= 0) {
        throw new IllegalArgumentException("frequencyHz: expected > 0, found " + frequencyHz);
      }
      Objects.requireNonNull(dataRate, "dataRate");
    }
  }

  /** Validates the fields. */
  public DownlinkRequest {
    Objects.requireNonNull(payload, "payload");
    if (payload.isEmpty() || payload.length() > 255) {
      throw new IllegalArgumentException("payload: expected 1..255 bytes, found " + payload.length());
    }
    Objects.requireNonNull(uplinkToken, "uplinkToken");
    Objects.requireNonNull(rx1Delay, "rx1Delay");
    if (rx1Delay.compareTo(Duration.ofSeconds(1)) < 0 || rx1Delay.compareTo(Duration.ofSeconds(15)) > 0) {
      throw new IllegalArgumentException("rx1Delay: expected 1..15 s, found " + rx1Delay);
    }
    if (rx1DataRateOffset < 0 || rx1DataRateOffset > 7) {
      throw new IllegalArgumentException("rx1DataRateOffset: expected 0..7, found "
          + rx1DataRateOffset);
    }
    Objects.requireNonNull(rx1, "rx1");
    Objects.requireNonNull(rx2, "rx2");
    Objects.requireNonNull(absoluteTime, "absoluteTime");
    if (uplinkToken.isPresent() && !tryRx1 && !tryRx2) {
      throw new IllegalArgumentException("class A: expected RX1 and/or RX2");
    }
  }

  /** Class A in RX1, falling back to RX2, with settings from the plan. */
  public static DownlinkRequest classA(Bytes payload, UplinkToken token, Duration rx1Delay,
      int rx1DataRateOffset) {
    return new DownlinkRequest(payload, Optional.of(token), rx1Delay, rx1DataRateOffset,
        Optional.empty(), Optional.empty(), true, true, Optional.empty());
  }

  /** Class C as soon as possible on the plan's RX2 settings. */
  public static DownlinkRequest classC(Bytes payload, Optional<Instant> absoluteTime) {
    return new DownlinkRequest(payload, Optional.empty(), Duration.ofSeconds(1), 0,
        Optional.empty(), Optional.empty(), false, true, absoluteTime);
  }
}
