package dev.loralab.api;

import dev.loralab.api.v3.ApplicationDownlinks;
import dev.loralab.api.v3.DownlinkQueueRequest;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import java.util.concurrent.CompletableFuture;

/**
 * Application Server to Network Server: the device's downlink queue, with FRMPayload already
 * encrypted and FCntDown assigned ({@code ttn.lorawan.v3.AsNs} over gRPC).
 */
public interface AsNs {
  /** gRPC full method name of {@link #downlinkQueuePush}. */
  String DOWNLINK_QUEUE_PUSH = "/ttn.lorawan.v3.AsNs/DownlinkQueuePush";
  /** gRPC full method name of {@link #downlinkQueueReplace}. */
  String DOWNLINK_QUEUE_REPLACE = "/ttn.lorawan.v3.AsNs/DownlinkQueueReplace";
  /** gRPC full method name of {@link #downlinkQueueList}. */
  String DOWNLINK_QUEUE_LIST = "/ttn.lorawan.v3.AsNs/DownlinkQueueList";

  /** Appends downlinks to the queue. */
  CompletableFuture<Void> downlinkQueuePush(DownlinkQueueRequest req);

  /** Replaces the queue. */
  CompletableFuture<Void> downlinkQueueReplace(DownlinkQueueRequest req);

  /** Lists the queue. */
  CompletableFuture<ApplicationDownlinks> downlinkQueueList(EndDeviceIdentifiers ids);
}
