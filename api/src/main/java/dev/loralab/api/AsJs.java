package dev.loralab.api;

import dev.loralab.api.v3.AppSKeyResponse;
import dev.loralab.api.v3.SessionKeyRequest;
import java.util.concurrent.CompletableFuture;

/** Application Server to Join Server, in process ({@code ttn.lorawan.v3.AsJs} over gRPC). */
public interface AsJs {
  /** gRPC full method name of {@link #getAppSKey}, for correlation IDs. */
  String GET_APP_S_KEY = "/ttn.lorawan.v3.AsJs/GetAppSKey";

  /** Returns the AppSKey of a session. NOT_FOUND if the session key ID is unknown. */
  CompletableFuture<AppSKeyResponse> getAppSKey(SessionKeyRequest req);
}
