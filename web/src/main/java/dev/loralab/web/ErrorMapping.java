package dev.loralab.web;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.loralab.api.ApiException;
import dev.loralab.api.auth.PermissionDenied;
import dev.loralab.api.auth.Unauthenticated;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Maps exceptions to JSON error responses {@code {"code": <gRPC code>, "message": "...", "details": [...]}}.
 *
 * <p>{@link ApiException} keeps its code, status and message; {@link Unauthenticated} is 401,
 * {@link PermissionDenied} 403; anything else is a 500 with a generic message (never a stack trace).
 */
public final class ErrorMapping {

  /** gRPC code numbers used by the web layer itself. */
  public static final int INVALID_ARGUMENT = 3;
  public static final int NOT_FOUND = 5;
  public static final int PERMISSION_DENIED = 7;
  public static final int RESOURCE_EXHAUSTED = 8;
  public static final int UNIMPLEMENTED = 12;
  public static final int INTERNAL = 13;
  public static final int UNAVAILABLE = 14;
  public static final int UNAUTHENTICATED = 16;

  private ErrorMapping() {
  }

  /** Unwraps {@link CompletionException}/{@link ExecutionException} layers. */
  public static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
      cur = cur.getCause();
    }
    return cur;
  }

  /** Whether the throwable (after unwrapping) is an expected, client-caused error. */
  public static boolean isClientError(Throwable t) {
    Throwable u = unwrap(t);
    return u instanceof ApiException || u instanceof Unauthenticated || u instanceof PermissionDenied;
  }

  /** The error response for any throwable. */
  public static Response toResponse(Throwable t) {
    Throwable u = unwrap(t);
    if (u instanceof ApiException api) {
      return Response.json(api.httpStatus(), api.toErrorJson());
    }
    if (u instanceof Unauthenticated) {
      return Response.json(401, json(UNAUTHENTICATED, "unauthenticated: " + u.getMessage()));
    }
    if (u instanceof PermissionDenied) {
      return Response.json(403, json(PERMISSION_DENIED, u.getMessage()));
    }
    return Response.json(500, json(INTERNAL, "internal error"));
  }

  /** The error JSON object for any throwable (as used in-band in streams). */
  public static String toErrorJson(Throwable t) {
    Throwable u = unwrap(t);
    if (u instanceof ApiException api) {
      return api.toErrorJson();
    }
    return toResponse(u).bodyUtf8();
  }

  /** An error JSON object with the given gRPC code and message, and no details. */
  public static String json(int grpcCode, String message) {
    String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(message));
    return "{\"code\":" + grpcCode + ",\"message\":\"" + escaped + "\",\"details\":[]}";
  }

  /** An error response with the given HTTP status, gRPC code and message. */
  public static Response response(int httpStatus, int grpcCode, String message) {
    return Response.json(httpStatus, json(grpcCode, message));
  }
}
