package dev.loralab.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.ApiException;
import dev.loralab.api.AsNs;
import dev.loralab.api.GsNs;
import dev.loralab.api.NsAs;
import dev.loralab.api.NsGs;
import dev.loralab.api.NsJs;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.ApplicationDownlinks;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.DownlinkQueueRequest;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.GatewayTxAcknowledgment;
import dev.loralab.api.v3.JoinResponse;
import dev.loralab.api.v3.ScheduleDownlinkResponse;
import dev.loralab.api.v3.UplinkMessage;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterGrpcAdaptersTest {
  private final List<UplinkMessage> uplinks = new CopyOnWriteArrayList<>();
  private final List<ApplicationUp> ups = new CopyOnWriteArrayList<>();
  private Server server;
  private ManagedChannel channel;

  private final GsNs gsNs = new GsNs() {
    @Override
    public CompletableFuture<Void> handleUplink(UplinkMessage up) {
      uplinks.add(up);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> reportTxAcknowledgment(GatewayTxAcknowledgment ack) {
      throw new IllegalStateException("boom");
    }
  };

  private final NsGs nsGs = down -> down.getCorrelationIdsCount() == 0
      ? CompletableFuture.failedFuture(
          ApiException.invalidArgument("correlation_ids", "expected at least one, found 0"))
      : CompletableFuture.completedFuture(ScheduleDownlinkResponse.newBuilder().setRx1(true)
          .build());

  private final NsJs nsJs = req -> CompletableFuture.failedFuture(
      ApiException.unavailable("join server down"));

  private final NsAs nsAs = list -> {
    ups.addAll(list);
    return CompletableFuture.completedFuture(null);
  };

  private final AsNs asNs = new AsNs() {
    @Override
    public CompletableFuture<Void> downlinkQueuePush(DownlinkQueueRequest req) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> downlinkQueueReplace(DownlinkQueueRequest req) {
      return CompletableFuture.failedFuture(ApiException.notFound("device:app1/dev1"));
    }

    @Override
    public CompletableFuture<ApplicationDownlinks> downlinkQueueList(EndDeviceIdentifiers ids) {
      return CompletableFuture.completedFuture(ApplicationDownlinks.newBuilder()
          .addDownlinks(ApplicationDownlink.newBuilder().setFPort(7)).build());
    }
  };

  @BeforeEach
  void start() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ClusterGrpcAdapters.gsNsService(gsNs))
        .addService(ClusterGrpcAdapters.nsGsService(nsGs))
        .addService(ClusterGrpcAdapters.nsJsService(nsJs))
        .addService(ClusterGrpcAdapters.nsAsService(nsAs))
        .addService(ClusterGrpcAdapters.asNsService(asNs))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    channel.awaitTermination(30, TimeUnit.SECONDS);
    server.awaitTermination(30, TimeUnit.SECONDS);
  }

  @Test
  void uplinkCrosses() {
    UplinkMessage up = UplinkMessage.newBuilder().addCorrelationIds("gs:uplink:1").build();
    ClusterGrpcAdapters.gsNsClient(channel).handleUplink(up).join();
    assertThat(uplinks).containsExactly(up);
  }

  @Test
  void synchronousThrowBecomesInternal() {
    CompletableFuture<Void> f = ClusterGrpcAdapters.gsNsClient(channel)
        .reportTxAcknowledgment(GatewayTxAcknowledgment.getDefaultInstance());
    assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(Status.Code.INTERNAL));
  }

  @Test
  void scheduleDownlinkSuccessAndRefusal() {
    NsGs client = ClusterGrpcAdapters.nsGsClient(channel);
    assertThat(client.scheduleDownlink(DownlinkMessage.newBuilder().addCorrelationIds("x").build())
        .join().getRx1()).isTrue();
    CompletableFuture<ScheduleDownlinkResponse> f =
        client.scheduleDownlink(DownlinkMessage.getDefaultInstance());
    Throwable t = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, f::join)
        .getCause();
    assertThat(t).isInstanceOf(ApiException.class);
    ApiException e = (ApiException) t;
    assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getMessage()).contains("correlation_ids");
    assertThat(e.attributes().getFieldsOrThrow("field").getStringValue())
        .isEqualTo("correlation_ids");
  }

  @Test
  void joinFailureKeepsCode() {
    CompletableFuture<JoinResponse> f = ClusterGrpcAdapters.nsJsClient(channel)
        .handleJoin(dev.loralab.api.v3.JoinRequest.getDefaultInstance());
    Throwable t = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, f::join)
        .getCause();
    assertThat(((ApiException) t).code()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void applicationUpsCross() {
    ApplicationUp up = ApplicationUp.newBuilder()
        .setEndDeviceIds(EntityKeys.device("app1", "dev1").getDeviceIds()).build();
    ClusterGrpcAdapters.nsAsClient(channel).handleUplink(List.of(up, up)).join();
    assertThat(ups).containsExactly(up, up);
  }

  @Test
  void downlinkQueue() {
    AsNs client = ClusterGrpcAdapters.asNsClient(channel);
    client.downlinkQueuePush(DownlinkQueueRequest.getDefaultInstance()).join();
    assertThat(client.downlinkQueueList(EndDeviceIdentifiers.getDefaultInstance()).join()
        .getDownlinks(0).getFPort()).isEqualTo(7);
    Throwable t = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        client.downlinkQueueReplace(DownlinkQueueRequest.getDefaultInstance())::join).getCause();
    assertThat(((ApiException) t).code()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void unavailableServerIsUnavailable() {
    ManagedChannel nowhere = InProcessChannelBuilder.forName("nowhere-" + System.nanoTime())
        .directExecutor().build();
    try {
      Throwable t = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
          ClusterGrpcAdapters.gsNsClient(nowhere)
              .handleUplink(UplinkMessage.getDefaultInstance())::join).getCause();
      assertThat(((ApiException) t).code()).isEqualTo(Status.Code.UNAVAILABLE);
    } finally {
      nowhere.shutdownNow();
    }
  }
}
