package dev.loralab.gatewayserver;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** A downlink the scheduler refused, with the reason (and, for class A, one per RX window). */
public final class ScheduleException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why a downlink could not be scheduled. */
  public enum Reason {
    /** Too close to now to reach the gateway in time. */
    TOO_LATE,
    /** Further ahead than the configured maximum. */
    TOO_FAR_AHEAD,
    /** Overlaps a downlink already scheduled on the gateway (time on air plus time off air). */
    CONFLICT,
    /** The sub-band's duty-cycle budget is spent. */
    DUTY_CYCLE,
    /** The time on air exceeds the plan's downlink dwell time. */
    DWELL_TIME,
    /** The PHYPayload exceeds the data rate's maximum. */
    PAYLOAD_TOO_LARGE,
    /** Frequency or data rate not usable in the gateway's frequency plan. */
    INVALID_SETTINGS,
    /** An absolute time was asked for but the gateway's clock is not synchronised. */
    NO_CLOCK_SYNC,
    /** The gateway is not connected or has no downlink path. */
    NOT_CONNECTED;

    /** Lower-case name, e.g. {@code duty_cycle}. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One refused attempt, e.g. the RX1 window. */
  public record Attempt(RxWindow window, Reason reason, String detail) {
    /** Validates presence. */
    public Attempt {
      Objects.requireNonNull(window, "window");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
      return window.tag() + ": " + reason.tag() + " (" + detail + ")";
    }
  }

  private final List<Attempt> attempts;

  /** A refusal of one or more attempts; the last one's reason is {@link #reason()}. */
  public ScheduleException(List<Attempt> attempts) {
    super(String.join("; ", attempts.stream().map(Attempt::toString).toList()), null, false,
        false);
    if (attempts.isEmpty()) {
      throw new IllegalArgumentException("attempts: expected at least one");
    }
    this.attempts = List.copyOf(attempts);
  }

  /** A refusal of a single attempt. */
  public ScheduleException(RxWindow window, Reason reason, String detail) {
    this(List.of(new Attempt(window, reason, detail)));
  }

  /** The reason of the last attempt. */
  public Reason reason() {
    return attempts.get(attempts.size() - 1).reason();
  }

  /** Every refused attempt, in order. */
  public List<Attempt> attempts() {
    return attempts;
  }
}
