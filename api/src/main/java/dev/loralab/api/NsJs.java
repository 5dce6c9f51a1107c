package dev.loralab.api;

import dev.loralab.api.v3.JoinRequest;
import dev.loralab.api.v3.JoinResponse;
import java.util.concurrent.CompletableFuture;

/** Network Server to Join Server, in process ({@code ttn.lorawan.v3.NsJs} over gRPC). */
public interface NsJs {
  /** gRPC full method name of {@link #handleJoin}, for correlation IDs. */
  String HANDLE_JOIN = "/ttn.lorawan.v3.NsJs/HandleJoin";

  /**
   * Handles a join-request: verifies the MIC and DevNonce, derives the session keys and returns
   * the encrypted join-accept. Refusals complete exceptionally with {@link ApiException}.
   */
  CompletableFuture<JoinResponse> handleJoin(JoinRequest req);
}
