package dev.loralab.api;

import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.ScheduleDownlinkResponse;
import java.util.concurrent.CompletableFuture;

/** Network Server to Gateway Server, in process ({@code ttn.lorawan.v3.NsGs} over gRPC). */
public interface NsGs {
  /** gRPC full method name of {@link #scheduleDownlink}, for correlation IDs. */
  String SCHEDULE_DOWNLINK = "/ttn.lorawan.v3.NsGs/ScheduleDownlink";

  /**
   * Schedules a downlink on one of the paths of its {@code request}. A refusal (too late, no
   * path, duty cycle, gateway not connected) completes exceptionally with {@link ApiException},
   * whose attributes may describe the per-path errors.
   */
  CompletableFuture<ScheduleDownlinkResponse> scheduleDownlink(DownlinkMessage down);

  /**
   * Whether {@link #scheduleDownlink} would schedule {@code down} on one of its paths now, without
   * reserving anything or sending it: completes normally if it would, and otherwise
   * exceptionally with the {@link ApiException} that scheduling would fail with. LoRaLab-specific
   * (not part of {@code ttn.lorawan.v3.NsGs}): it lets the Network Server skip the durable frame
   * counter write of a downlink the gateways cannot carry.
   *
   * <p>An accepted check does not promise the scheduling that follows: another downlink may take
   * the slot in between. The default accepts everything (e.g. a Gateway Server across gRPC, which
   * has no such call), so callers behave as without the check.
   */
  default CompletableFuture<Void> checkDownlink(DownlinkMessage down) {
    return CompletableFuture.completedFuture(null);
  }
}
