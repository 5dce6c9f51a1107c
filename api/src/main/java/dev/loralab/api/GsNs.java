package dev.loralab.api;

import dev.loralab.api.v3.GatewayTxAcknowledgment;
import dev.loralab.api.v3.UplinkMessage;
import java.util.concurrent.CompletableFuture;

/**
 * Gateway Server to Network Server, in process ({@code ttn.lorawan.v3.GsNs} over gRPC).
 * Failures complete the future exceptionally with {@link ApiException}.
 */
public interface GsNs {
  /** gRPC full method name of {@link #handleUplink}, for correlation IDs. */
  String HANDLE_UPLINK = "/ttn.lorawan.v3.GsNs/HandleUplink";
  /** gRPC full method name of {@link #reportTxAcknowledgment}. */
  String REPORT_TX_ACKNOWLEDGMENT = "/ttn.lorawan.v3.GsNs/ReportTxAcknowledgment";

  /** Hands an uplink (one gateway's reception) to the Network Server. */
  CompletableFuture<Void> handleUplink(UplinkMessage up);

  /** Reports the gateway's TX acknowledgment of a downlink. */
  CompletableFuture<Void> reportTxAcknowledgment(GatewayTxAcknowledgment ack);
}
