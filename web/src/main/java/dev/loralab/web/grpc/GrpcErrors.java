package dev.loralab.web.grpc;

import dev.loralab.api.ApiException;
import dev.loralab.api.auth.PermissionDenied;
import dev.loralab.api.auth.Unauthenticated;
import dev.loralab.web.ErrorMapping;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;

/**
 * Maps exceptions to gRPC statuses: {@link ApiException} keeps its code and message (with
 * {@code ErrorDetails} in the trailers), {@link Unauthenticated} and {@link PermissionDenied} map
 * to their codes, status exceptions pass through, and anything else is {@code INTERNAL} with a
 * generic description. Causes and stack traces never reach the client.
 */
public final class GrpcErrors {

  private GrpcErrors() {
  }

  /** The status exception to send for {@code t}. */
  public static StatusRuntimeException toStatusRuntimeException(Throwable t) {
    Throwable u = ErrorMapping.unwrap(t);
    if (u instanceof ApiException api) {
      StatusRuntimeException sre = api.toStatusRuntimeException();
      return Status.fromCode(api.code()).withDescription(api.getMessage()).asRuntimeException(sre.getTrailers());
    }
    if (u instanceof Unauthenticated) {
      return Status.UNAUTHENTICATED.withDescription("unauthenticated: " + u.getMessage()).asRuntimeException();
    }
    if (u instanceof PermissionDenied) {
      return Status.PERMISSION_DENIED.withDescription(u.getMessage()).asRuntimeException();
    }
    if (u instanceof StatusRuntimeException sre) {
      return Status.fromCode(sre.getStatus().getCode()).withDescription(sre.getStatus().getDescription())
          .asRuntimeException(sre.getTrailers() == null ? new Metadata() : sre.getTrailers());
    }
    if (u instanceof StatusException se) {
      return Status.fromCode(se.getStatus().getCode()).withDescription(se.getStatus().getDescription())
          .asRuntimeException(se.getTrailers() == null ? new Metadata() : se.getTrailers());
    }
    return Status.INTERNAL.withDescription("internal error").asRuntimeException();
  }

  /** Whether the throwable is an expected client error rather than a bug. */
  public static boolean isClientError(Throwable t) {
    Throwable u = ErrorMapping.unwrap(t);
    return ErrorMapping.isClientError(u) || u instanceof StatusRuntimeException || u instanceof StatusException;
  }
}
