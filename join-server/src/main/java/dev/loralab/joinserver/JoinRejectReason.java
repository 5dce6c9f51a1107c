package dev.loralab.joinserver;

import io.grpc.Status;

/**
 * Why the Join Server refused a join-request: the error name ({@code ApiException#name()}) and
 * {@code reason} attribute of the {@code ApiException}, the name of the {@code js.join.reject} error details and the tag of the
 * {@code js.join.rejected} metric.
 */
public enum JoinRejectReason {
  /** The JoinRequest message or its PHYPayload is malformed. */
  MALFORMED_REQUEST("malformed_request", Status.Code.INVALID_ARGUMENT),
  /** This Join Server does not serve the JoinEUI. */
  JOIN_EUI_NOT_SERVED("join_eui_not_served", Status.Code.NOT_FOUND),
  /** No device with this JoinEUI and DevEUI. */
  UNKNOWN_DEVICE("unknown_device", Status.Code.NOT_FOUND),
  /** The stored device record is unusable (e.g. a 1.1 device without NwkKey). */
  DEVICE_MISCONFIGURED("device_misconfigured", Status.Code.FAILED_PRECONDITION),
  /** The Network Server selected a LoRaWAN version the device does not implement. */
  MAC_VERSION_MISMATCH("mac_version_mismatch", Status.Code.INVALID_ARGUMENT),
  /** The join-request MIC does not verify with the device's root key. */
  MIC_MISMATCH("mic_mismatch", Status.Code.INVALID_ARGUMENT),
  /** LoRaWAN 1.0.0–1.0.3: the DevNonce was used before by this device. */
  DEV_NONCE_REUSED("dev_nonce_reused", Status.Code.INVALID_ARGUMENT),
  /** LoRaWAN 1.0.4 and 1.1: the DevNonce is not greater than the last accepted one. */
  DEV_NONCE_TOO_SMALL("dev_nonce_too_small", Status.Code.INVALID_ARGUMENT),
  /** The 24-bit JoinNonce counter of the device is at its maximum. */
  JOIN_NONCE_EXHAUSTED("join_nonce_exhausted", Status.Code.RESOURCE_EXHAUSTED),
  /** Too many join-requests of this device are waiting to be processed. */
  TOO_MANY_PENDING("too_many_pending_joins", Status.Code.RESOURCE_EXHAUSTED),
  /** The device's nonce state changed under this join (another Join Server on the same store). */
  CONCURRENT_UPDATE("concurrent_update", Status.Code.ABORTED),
  /** The store failed. */
  STORE_FAILURE("store_failure", Status.Code.UNAVAILABLE);

  private final String tag;
  private final Status.Code code;

  JoinRejectReason(String tag, Status.Code code) {
    this.tag = tag;
    this.code = code;
  }

  /** Lower-case name, e.g. {@code "mic_mismatch"}. */
  public String tag() {
    return tag;
  }

  /** The gRPC status code of the refusal. */
  public Status.Code code() {
    return code;
  }
}
