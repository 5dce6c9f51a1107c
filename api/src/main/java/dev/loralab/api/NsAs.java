package dev.loralab.api;

import dev.loralab.api.v3.ApplicationUp;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Network Server to Application Server, in process ({@code ttn.lorawan.v3.NsAs} over gRPC). */
public interface NsAs {
  /** gRPC full method name of {@link #handleUplink}, for correlation IDs. */
  String HANDLE_UPLINK = "/ttn.lorawan.v3.NsAs/HandleUplink";

  /** Delivers application messages (uplinks, join-accepts, downlink events) in order. */
  CompletableFuture<Void> handleUplink(List<ApplicationUp> ups);
}
