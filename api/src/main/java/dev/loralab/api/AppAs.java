package dev.loralab.api;

import dev.loralab.api.v3.ApplicationDownlinks;
import dev.loralab.api.v3.DownlinkQueueRequest;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import java.util.concurrent.CompletableFuture;

/**
 * Application to Application Server: the user-facing downlink queue, plaintext FRMPayload or
 * decoded_payload ({@code ttn.lorawan.v3.AppAs} over gRPC).
 */
public interface AppAs {
  /** Appends downlinks to the queue. */
  CompletableFuture<Void> downlinkQueuePush(DownlinkQueueRequest req);

  /** Replaces the queue. */
  CompletableFuture<Void> downlinkQueueReplace(DownlinkQueueRequest req);

  /** Lists the queue. */
  CompletableFuture<ApplicationDownlinks> downlinkQueueList(EndDeviceIdentifiers ids);
}
