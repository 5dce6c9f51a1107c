package dev.loralab.networkserver.internal;

import dev.loralab.api.ApiException;
import io.grpc.Status;

/**
 * Why an uplink was dropped: a metric label and the error put in {@code ns.up.*.drop} events.
 */
public final class UplinkDrop {

  private UplinkDrop() {}

  /** An error with a reason attribute, e.g. {@code f_cnt_too_low}. */
  public static ApiException error(Status.Code code, String reason, String message) {
    return new ApiException(code, message).withAttribute("reason", reason);
  }

  /** The reason attribute of a drop error, or {@code other}. */
  public static String reason(ApiException e) {
    var v = e.attributes().getFieldsMap().get("reason");
    return v == null ? "other" : v.getStringValue();
  }
}
