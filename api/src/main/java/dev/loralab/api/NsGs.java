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
}
