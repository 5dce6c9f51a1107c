package dev.loralab.web.grpc;

import dev.loralab.api.auth.AccessControl;
import dev.loralab.api.auth.Caller;
import dev.loralab.api.auth.Unauthenticated;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gRPC authentication: a {@link ServerInterceptor} that reads {@code authorization: Bearer <key>}
 * metadata, authenticates it through {@link AccessControl} and exposes the {@link Caller} in
 * {@link #CALLER}. Calls without the header proceed without a caller (services that need one call
 * {@link #requireCaller()}); calls with an invalid key are closed with {@code UNAUTHENTICATED}.
 */
public final class GrpcAuth implements ServerInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(GrpcAuth.class);

  /** The authenticated caller of the current call, or {@code null}. */
  public static final Context.Key<Caller> CALLER = Context.key("loralab-caller");

  /** The {@code authorization} metadata key. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final AccessControl accessControl;

  /** @param accessControl authenticates bearer tokens */
  public GrpcAuth(AccessControl accessControl) {
    this.accessControl = Objects.requireNonNull(accessControl, "accessControl");
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String auth = headers.get(AUTHORIZATION);
    if (auth == null) {
      return next.startCall(call, headers);
    }
    Caller caller;
    try {
      caller = accessControl.authenticate(auth);
    } catch (Unauthenticated e) {
      LOG.debug("rejecting {}: {}", call.getMethodDescriptor().getFullMethodName(), e.getMessage());
      call.close(Status.UNAUTHENTICATED.withDescription("unauthenticated: " + e.getMessage()), new Metadata());
      return new ServerCall.Listener<>() { };
    } catch (RuntimeException e) {
      LOG.warn("authentication of {} failed", call.getMethodDescriptor().getFullMethodName(), e);
      call.close(Status.UNAVAILABLE.withDescription("authentication unavailable"), new Metadata());
      return new ServerCall.Listener<>() { };
    }
    return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
  }

  /** The current caller, if the call was authenticated. */
  public static Optional<Caller> caller() {
    return Optional.ofNullable(CALLER.get());
  }

  /**
   * The current caller.
   *
   * @throws StatusRuntimeException {@code UNAUTHENTICATED} when the call carried no credentials
   */
  public static Caller requireCaller() {
    Caller c = CALLER.get();
    if (c == null) {
      throw Status.UNAUTHENTICATED.withDescription("unauthenticated: missing authorization metadata")
          .asRuntimeException();
    }
    return c;
  }
}
