package dev.loralab.api;

import com.google.protobuf.Any;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.auth.PermissionDenied;
import dev.loralab.api.auth.Unauthenticated;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.ErrorDetails;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import java.util.Map;
import java.util.Objects;

/**
 * The one failure type at service boundaries (in-process interfaces, gRPC and HTTP).
 *
 * <p>Carries a gRPC status code, a message and optional attributes (a {@link Struct}, e.g. the
 * offending field). {@link #httpStatus()} maps the code to HTTP, {@link #toStatusRuntimeException()}
 * to gRPC (with {@link ErrorDetails} in the trailers), {@link #from(Throwable)} back, and
 * {@link #toErrorJson()} renders {@code {"code":<grpc code>,"message":"...","details":[...]}}.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Metadata key carrying {@link #toErrorDetails()} in gRPC trailers. */
  public static final Metadata.Key<ErrorDetails> ERROR_DETAILS_KEY =
      ProtoUtils.keyForProto(ErrorDetails.getDefaultInstance());

  private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile(
      "[a-z][a-z0-9_]{0,63}");

  private final Status.Code code;
  private final transient Struct attributes;
  /** The error name, or null for the lower-case code. */
  private final String name;

  /**
   * @param code the gRPC status code (not OK)
   * @param message human-readable message
   * @param attributes details, may be empty
   * @param cause underlying cause, may be null
   */
  public ApiException(Status.Code code, String message, Struct attributes, Throwable cause) {
    this(code, message, attributes, cause, null);
  }

  private ApiException(Status.Code code, String message, Struct attributes, Throwable cause,
      String name) {
    // A domain failure, not a bug: no stack trace (filling one costs microseconds per refusal on
    // hot paths such as downlink scheduling); a wrapped cause keeps its own.
    super(Objects.requireNonNull(message, "message"), cause, true, false);
    this.code = Objects.requireNonNull(code, "code");
    if (code == Status.Code.OK) {
      throw new IllegalArgumentException("ApiException code: expected an error code, found OK");
    }
    this.attributes = attributes == null ? Struct.getDefaultInstance() : attributes;
    if (name != null && !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("ApiException name: expected 1..64 of a-z, 0-9 and _"
          + " starting with a letter, found '" + name + "'");
    }
    this.name = name;
  }

  /** An exception with no attributes and no cause. */
  public ApiException(Status.Code code, String message) {
    this(code, message, null, null);
  }

  /** The gRPC status code. */
  public Status.Code code() {
    return code;
  }

  /** Details of the failure (possibly empty, never null). */
  public Struct attributes() {
    return attributes;
  }

  /**
   * The error name shown in {@link ErrorDetails#getName()}: the one set with
   * {@link #withName(String)}, else the lower-case code (e.g. {@code "not_found"}).
   */
  public String name() {
    return name != null ? name : defaultName(code);
  }

  private static String defaultName(Status.Code code) {
    return code.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Returns a copy with a specific error name (e.g. {@code "mic_mismatch"}) instead of the
   * lower-case code; kept through {@link #toErrorDetails()}, gRPC trailers and {@link #from}.
   *
   * @param name 1..64 of {@code a-z}, {@code 0-9} and {@code _}, starting with a letter
   * @throws IllegalArgumentException if the name is malformed
   */
  public ApiException withName(String name) {
    return new ApiException(code, getMessage(), attributes, getCause(),
        Objects.requireNonNull(name, "name"));
  }

  private static Struct attrs(Map<String, String> values) {
    Struct.Builder b = Struct.newBuilder();
    values.forEach((k, v) -> b.putFields(k, Value.newBuilder().setStringValue(v).build()));
    return b.build();
  }

  /** A request field is malformed: 400 / INVALID_ARGUMENT. */
  public static ApiException invalidArgument(String field, String reason) {
    return new ApiException(Status.Code.INVALID_ARGUMENT, "invalid " + field + ": " + reason,
        attrs(Map.of("field", field, "reason", reason)), null);
  }

  /** The entity does not exist: 404 / NOT_FOUND. {@code what} is e.g. an EntityKeys key. */
  public static ApiException notFound(String what) {
    return new ApiException(Status.Code.NOT_FOUND, what + " not found",
        attrs(Map.of("entity", what)), null);
  }

  /** The entity exists already: 409 / ALREADY_EXISTS. */
  public static ApiException alreadyExists(String what) {
    return new ApiException(Status.Code.ALREADY_EXISTS, what + " already exists",
        attrs(Map.of("entity", what)), null);
  }

  /** Insufficient rights: 403 / PERMISSION_DENIED. */
  public static ApiException permissionDenied(String message) {
    return new ApiException(Status.Code.PERMISSION_DENIED, message);
  }

  /** Insufficient rights on an entity: 403 / PERMISSION_DENIED, naming the entity. */
  public static ApiException permissionDenied(EntityIdentifiers entity, String reason) {
    String key = EntityKeys.of(entity);
    return new ApiException(Status.Code.PERMISSION_DENIED, "no rights on " + key + ": " + reason,
        attrs(Map.of("entity", key)), null);
  }

  /** Missing or invalid credentials: 401 / UNAUTHENTICATED. */
  public static ApiException unauthenticated(String message) {
    return new ApiException(Status.Code.UNAUTHENTICATED, message);
  }

  /** The system is not in a state for this operation: 400 / FAILED_PRECONDITION. */
  public static ApiException failedPrecondition(String message) {
    return new ApiException(Status.Code.FAILED_PRECONDITION, message);
  }

  /** A limit was hit (queue full, rate, duty cycle): 429 / RESOURCE_EXHAUSTED. */
  public static ApiException resourceExhausted(String message) {
    return new ApiException(Status.Code.RESOURCE_EXHAUSTED, message);
  }

  /** A dependency is not available (e.g. gateway not connected): 503 / UNAVAILABLE. */
  public static ApiException unavailable(String message) {
    return new ApiException(Status.Code.UNAVAILABLE, message);
  }

  /** A deadline passed: 504 / DEADLINE_EXCEEDED. */
  public static ApiException deadlineExceeded(String message) {
    return new ApiException(Status.Code.DEADLINE_EXCEEDED, message);
  }

  /** An operation was aborted (e.g. concurrent modification): 409 / ABORTED. */
  public static ApiException aborted(String message) {
    return new ApiException(Status.Code.ABORTED, message);
  }

  /** Not implemented: 501 / UNIMPLEMENTED. */
  public static ApiException unimplemented(String message) {
    return new ApiException(Status.Code.UNIMPLEMENTED, message);
  }

  /** A bug or unexpected failure: 500 / INTERNAL. */
  public static ApiException internal(String message, Throwable cause) {
    return new ApiException(Status.Code.INTERNAL, message, null, cause);
  }

  /** Returns a copy with an extra attribute. */
  public ApiException withAttribute(String key, String value) {
    Struct s = attributes.toBuilder()
        .putFields(key, Value.newBuilder().setStringValue(value).build()).build();
    return new ApiException(code, getMessage(), s, getCause(), name);
  }

  /**
   * The HTTP status for this code: 400 INVALID_ARGUMENT/OUT_OF_RANGE, 401, 403, 404, 409
   * ALREADY_EXISTS/ABORTED, 412 FAILED_PRECONDITION, 429, 499 CANCELLED, 500, 501, 503, 504.
   */
  public int httpStatus() {
    return httpStatus(code);
  }

  /** The HTTP status for a gRPC code. */
  public static int httpStatus(Status.Code code) {
    return switch (code) {
      case OK -> 200;
      case CANCELLED -> 499;
      case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
      case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
      case DEADLINE_EXCEEDED -> 504;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case PERMISSION_DENIED -> 403;
      case RESOURCE_EXHAUSTED -> 429;
      case FAILED_PRECONDITION -> 412;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      case UNAUTHENTICATED -> 401;
    };
  }

  /** A gRPC status exception carrying code, message and (in trailers) the error JSON. */
  public StatusRuntimeException toStatusRuntimeException() {
    Metadata trailers = new Metadata();
    trailers.put(ERROR_DETAILS_KEY, toErrorDetails());
    return Status.fromCode(code).withDescription(getMessage()).withCause(getCause())
        .asRuntimeException(trailers);
  }

  /**
   * Converts any throwable to an ApiException, unwrapping Completion/ExecutionException:
   * ApiExceptions are returned as-is, {@link Unauthenticated} becomes UNAUTHENTICATED,
   * {@link PermissionDenied} PERMISSION_DENIED, {@link ProtoJsonException} INVALID_ARGUMENT, gRPC
   * status exceptions keep their code and description (and attributes if carried), everything
   * else is INTERNAL.
   */
  public static ApiException from(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof java.util.concurrent.CompletionException
        || cur instanceof java.util.concurrent.ExecutionException) && cur.getCause() != null) {
      cur = cur.getCause();
    }
    if (cur instanceof ApiException e) {
      return e;
    }
    if (cur instanceof Unauthenticated e) {
      return new ApiException(Status.Code.UNAUTHENTICATED, e.getMessage(), null, e);
    }
    if (cur instanceof PermissionDenied e) {
      return new ApiException(Status.Code.PERMISSION_DENIED, e.getMessage(),
          attrs(Map.of("entity", e.entityKey())), e);
    }
    if (cur instanceof ProtoJsonException e) {
      return new ApiException(Status.Code.INVALID_ARGUMENT, e.getMessage(), null, e);
    }
    Status status = null;
    Metadata trailers = null;
    if (cur instanceof StatusRuntimeException sre) {
      status = sre.getStatus();
      trailers = sre.getTrailers();
    } else if (cur instanceof io.grpc.StatusException se) {
      status = se.getStatus();
      trailers = se.getTrailers();
    }
    if (status != null && status.getCode() != Status.Code.OK) {
      Struct attributes = null;
      String name = null;
      ErrorDetails details = trailers == null ? null : trailers.get(ERROR_DETAILS_KEY);
      if (details != null) {
        attributes = details.getAttributes();
        String n = details.getName();
        if (!n.equals(defaultName(status.getCode())) && NAME.matcher(n).matches()) {
          name = n;
        }
      }
      String msg = status.getDescription() == null ? status.getCode().name()
          : status.getDescription();
      return new ApiException(status.getCode(), msg, attributes, cur, name);
    }
    return internal(String.valueOf(cur), cur);
  }

  /**
   * This failure as {@link ErrorDetails}: namespace {@code "loralab"}, name {@link #name()} (the
   * lower-case code, e.g. {@code "not_found"}, unless set), message_format the message, the
   * attributes and the code.
   */
  public ErrorDetails toErrorDetails() {
    return ErrorDetails.newBuilder().setNamespace("loralab")
        .setName(name())
        .setMessageFormat(getMessage()).setAttributes(attributes).setCode(code.value()).build();
  }

  /**
   * {@code {"code":<grpc code number>,"message":"...","details":[{"@type":
   * "type.googleapis.com/ttn.lorawan.v3.ErrorDetails",...}]}}, the HTTP error body.
   */
  public String toErrorJson() {
    String message = ProtoJson.print(Value.newBuilder().setStringValue(getMessage()));
    String details = ProtoJson.print(Any.pack(toErrorDetails()));
    return "{\"code\":" + code.value() + ",\"message\":" + message + ",\"details\":["
        + details + "]}";
  }
}
