package dev.loralab.web.grpc;

import dev.loralab.api.ApiException;
import dev.loralab.api.v3.ErrorDetails;
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

  /**
   * The longest description sent. Descriptions may echo client input (an ID of 5000 characters);
   * with the error details in the trailers they must stay within what clients accept (gRPC Java
   * refuses trailers over 8 KiB by default and reports INTERNAL instead of the real status).
   */
  public static final int MAX_DESCRIPTION_CHARS = 1024;

  private GrpcErrors() {
  }

  /** The status exception to send for {@code t}. */
  public static StatusRuntimeException toStatusRuntimeException(Throwable t) {
    Throwable u = ErrorMapping.unwrap(t);
    if (u instanceof ApiException api) {
      StatusRuntimeException sre = api.toStatusRuntimeException();
      return Status.fromCode(api.code()).withDescription(cap(api.getMessage()))
          .asRuntimeException(bounded(sre.getTrailers()));
    }
    if (u instanceof Unauthenticated) {
      return Status.UNAUTHENTICATED.withDescription(cap("unauthenticated: " + u.getMessage())).asRuntimeException();
    }
    if (u instanceof PermissionDenied) {
      return Status.PERMISSION_DENIED.withDescription(cap(u.getMessage())).asRuntimeException();
    }
    if (u instanceof StatusRuntimeException sre) {
      return Status.fromCode(sre.getStatus().getCode()).withDescription(cap(sre.getStatus().getDescription()))
          .asRuntimeException(bounded(sre.getTrailers()));
    }
    if (u instanceof StatusException se) {
      return Status.fromCode(se.getStatus().getCode()).withDescription(cap(se.getStatus().getDescription()))
          .asRuntimeException(bounded(se.getTrailers()));
    }
    return Status.INTERNAL.withDescription("internal error").asRuntimeException();
  }

  private static String cap(String description) {
    if (description == null || description.length() <= MAX_DESCRIPTION_CHARS) {
      return description;
    }
    return description.substring(0, MAX_DESCRIPTION_CHARS) + "... (" + description.length() + " characters)";
  }

  /** The trailers, with error details that echo too much input cut down to their name and code. */
  private static Metadata bounded(Metadata trailers) {
    if (trailers == null) {
      return new Metadata();
    }
    ErrorDetails details = trailers.get(ApiException.ERROR_DETAILS_KEY);
    if (details != null && details.getSerializedSize() > MAX_DESCRIPTION_CHARS) {
      trailers.removeAll(ApiException.ERROR_DETAILS_KEY);
      trailers.put(ApiException.ERROR_DETAILS_KEY, ErrorDetails.newBuilder().setNamespace(details.getNamespace())
          .setName(details.getName()).setCode(details.getCode()).setMessageFormat(cap(details.getMessageFormat()))
          .setCorrelationId(details.getCorrelationId()).build());
    }
    return trailers;
  }

  /** Whether the throwable is an expected client error rather than a bug. */
  public static boolean isClientError(Throwable t) {
    Throwable u = ErrorMapping.unwrap(t);
    return ErrorMapping.isClientError(u) || u instanceof StatusRuntimeException || u instanceof StatusException;
  }
}
