package dev.loralab.joinserver.internal;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.loralab.api.ApiException;
import dev.loralab.api.v3.ErrorDetails;
import dev.loralab.joinserver.JoinRejectReason;

/**
 * A refused join-request: the reason and, for malformed fields, the field, what was expected and
 * what was found. Converted to an {@link ApiException} (error name the reason tag, attributes
 * {@code reason}, {@code field}, {@code expected}, {@code found}) at the API boundary.
 */
public final class JoinRejection extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Namespace of the error details in {@code js.join.reject} events. */
  public static final String NAMESPACE = "loralab/joinserver";

  private final JoinRejectReason reason;
  private final String field;
  private final String expected;
  private final String found;

  /** A rejection about one field: message {@code "<field>: expected <expected>, found <found>"}. */
  public JoinRejection(JoinRejectReason reason, String field, String expected, String found) {
    super(reason.tag() + ": " + field + ": expected " + expected + ", found " + found);
    this.reason = reason;
    this.field = field;
    this.expected = expected;
    this.found = found;
  }

  /** A rejection with a free-form message. */
  public JoinRejection(JoinRejectReason reason, String message) {
    super(reason.tag() + ": " + message);
    this.reason = reason;
    this.field = null;
    this.expected = null;
    this.found = null;
  }

  /** The reason. */
  public JoinRejectReason reason() {
    return reason;
  }

  /** The offending field, or null. */
  public String field() {
    return field;
  }

  /** The attributes: reason and, if known, field, expected and found. */
  public Struct attributes() {
    Struct.Builder b = Struct.newBuilder().putFields("reason", string(reason.tag()));
    if (field != null) {
      b.putFields("field", string(field))
          .putFields("expected", string(expected))
          .putFields("found", string(found));
    }
    return b.build();
  }

  /** The refusal as returned to the caller: error name = reason tag (e.g. {@code mic_mismatch}). */
  public ApiException toApiException() {
    return new ApiException(reason.code(), getMessage(), attributes(), null)
        .withName(reason.tag());
  }

  /** The data of the {@code js.join.reject} event: name = reason tag. */
  public ErrorDetails toErrorDetails() {
    return ErrorDetails.newBuilder().setNamespace(NAMESPACE).setName(reason.tag())
        .setMessageFormat(getMessage()).setAttributes(attributes())
        .setCode(reason.code().value()).build();
  }

  private static Value string(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }
}
