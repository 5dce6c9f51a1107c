package dev.loralab.gatewayserver;

import dev.loralab.api.GsNs;
import dev.loralab.api.v3.GatewayTxAcknowledgment;
import dev.loralab.api.v3.UplinkMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Network Server that records what the Gateway Server hands it. */
final class RecordingNetworkServer implements GsNs {

  final List<UplinkMessage> uplinks = new CopyOnWriteArrayList<>();
  final List<GatewayTxAcknowledgment> txAcks = new CopyOnWriteArrayList<>();

  @Override
  public CompletableFuture<Void> handleUplink(UplinkMessage up) {
    uplinks.add(up);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> reportTxAcknowledgment(GatewayTxAcknowledgment ack) {
    txAcks.add(ack);
    return CompletableFuture.completedFuture(null);
  }
}
