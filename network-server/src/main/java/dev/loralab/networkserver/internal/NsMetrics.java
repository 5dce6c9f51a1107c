package dev.loralab.networkserver.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;

/** The Network Server's counters ({@code ns_*}). */
public final class NsMetrics {

  private final MeterRegistry registry;
  private final Counter uplinkReceived;
  private final Counter uplinkProcessed;
  private final Counter duplicates;
  private final Counter downlinkScheduled;
  private final Counter downlinkFailed;
  private final Counter downlinkCheckRefused;
  private final Counter downlinkAttemptsDeferred;
  private final Counter joinAccepted;
  /** {@code ns_uplink_dropped_total{reason="overloaded"}}, created on first use. */
  private volatile Counter overloaded;
  /** {@code ns_uplink_dropped_total} by reason, each created on first use. */
  private final ConcurrentHashMap<String, Counter> dropped = new ConcurrentHashMap<>();
  /** {@code ns_adr_shed_uplinks_credited_total}, created on first use. */
  private volatile Counter shedCredited;
  /** {@code ns_downlink_skipped_total{reason="rx_windows_passed"}}, created on first use. */
  private volatile Counter windowsMissed;

  NsMetrics(MeterRegistry registry) {
    this.registry = registry;
    uplinkReceived = registry.counter("ns_uplink_received_total");
    uplinkProcessed = registry.counter("ns_uplink_processed_total");
    duplicates = registry.counter("ns_uplink_duplicates_total");
    downlinkScheduled = registry.counter("ns_downlink_scheduled_total");
    downlinkFailed = registry.counter("ns_downlink_failed_total");
    downlinkCheckRefused = registry.counter("ns_downlink_check_refused_total");
    // registered at once, so that dashboards see 0 rather than no series
    downlinkAttemptsDeferred = Counter.builder("ns_downlink_attempts_deferred_total")
        .description("class A downlinks with only network-initiated MAC requests not attempted:"
            + " the device is backing off after the Gateway Server refused such downlinks")
        .register(registry);
    joinAccepted = registry.counter("ns_join_accepted_total");
  }

  /** One copy received from a gateway. */
  public void uplinkReceived() {
    uplinkReceived.increment();
  }

  /** One deduplicated uplink processed. */
  public void uplinkProcessed() {
    uplinkProcessed.increment();
  }

  /** One late copy dropped. */
  public void duplicate() {
    duplicates.increment();
  }

  /** One uplink dropped, by reason (e.g. {@code f_cnt_too_low}). */
  public void uplinkDropped(String reason) {
    // no meter lookup (and its Meter.Id) per drop once the reason was counted
    Counter c = dropped.get(reason);
    if (c == null) {
      c = dropped.computeIfAbsent(reason,
          r -> registry.counter("ns_uplink_dropped_total", "reason", r));
    }
    c.increment();
  }

  /**
   * One uplink dropped because the Network Server is overloaded: counted as
   * {@code ns_uplink_dropped_total{reason="overloaded"}} without a meter lookup per drop.
   */
  public void uplinkOverloaded() {
    Counter c = overloaded;
    if (c == null) {
      c = registry.counter("ns_uplink_dropped_total", "reason", "overloaded");
      overloaded = c;
    }
    c.increment();
  }

  /**
   * {@code n} uplinks the Network Server shed (overloaded) credited to their device's ADR
   * history as received: {@code ns_adr_shed_uplinks_credited_total}.
   */
  public void adrShedUplinksCredited(int n) {
    Counter c = shedCredited;
    if (c == null) {
      c = registry.counter("ns_adr_shed_uplinks_credited_total");
      shedCredited = c;
    }
    c.increment(n);
  }

  /** The gauge {@code ns_uplinks_in_flight}: data uplinks being processed now. */
  void uplinksInFlight(InFlightUplinks inFlight) {
    Gauge.builder("ns_uplinks_in_flight", inFlight, InFlightUplinks::count)
        .description("data uplinks accepted for processing whose processing has not ended")
        .strongReference(true)
        .register(registry);
  }

  /** One downlink accepted by the Gateway Server. */
  public void downlinkScheduled() {
    downlinkScheduled.increment();
  }

  /**
   * One downlink refused by the Gateway Server, when scheduling it (after its state was stored,
   * which is then given back).
   */
  public void downlinkFailed() {
    downlinkFailed.increment();
  }

  /**
   * One downlink refused by the Gateway Server's check, before anything was stored: counted in
   * {@code ns_downlink_failed_total} (all refusals) and {@code ns_downlink_check_refused_total}
   * (those that cost no write).
   */
  public void downlinkRefusedByCheck() {
    downlinkFailed.increment();
    downlinkCheckRefused.increment();
  }

  /** One class A downlink not attempted because both receive windows had passed. */
  public void downlinkWindowsMissed() {
    Counter c = windowsMissed;
    if (c == null) {
      c = registry.counter("ns_downlink_skipped_total", "reason", "rx_windows_passed");
      windowsMissed = c;
    }
    c.increment();
  }

  /**
   * One class A downlink carrying only MAC requests the Network Server queued itself not
   * attempted, because the Gateway Server refused the device's previous such downlinks
   * ({@code ns_downlink_attempts_deferred_total}).
   */
  public void downlinkAttemptDeferred() {
    downlinkAttemptsDeferred.increment();
  }

  /** One join accepted by the Join Server and scheduled. */
  public void joinAccepted() {
    joinAccepted.increment();
  }

  /** Count of late duplicates so far. */
  public double duplicates() {
    return duplicates.count();
  }
}
