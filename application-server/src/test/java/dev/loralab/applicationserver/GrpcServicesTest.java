package dev.loralab.applicationserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.auth.StaticAccessControl;
import dev.loralab.api.v3.AppAsGrpc;
import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationWebhook;
import dev.loralab.api.v3.ApplicationWebhookRegistryGrpc;
import dev.loralab.api.v3.DownlinkQueueRequest;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.ListApplicationWebhooksRequest;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.SetApplicationWebhookRequest;
import dev.loralab.applicationserver.webhooks.ApplicationWebhookRegistry;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.web.grpc.GrpcAuth;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GrpcServicesTest {

  private final AsTestFixture f = new AsTestFixture();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    EntityIdentifiers app1 = EntityIdentifiers.newBuilder()
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1")).build();
    StaticAccessControl ac = StaticAccessControl.builder()
        .token("full", "k1", app1, RightSet.of(Right.RIGHT_APPLICATION_ALL))
        .token("read", "k2", app1, RightSet.of(Right.RIGHT_APPLICATION_TRAFFIC_READ)).build();
    GrpcAuth auth = new GrpcAuth(ac);
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(new AppAsGrpcService(f.as, ac), auth))
        .addService(ServerInterceptors.intercept(
            new ApplicationWebhookRegistryGrpcService(f.as.webhooks(), ac), auth))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    f.store.putSession(AsTestFixture.ids(), new AsSession(ByteString.copyFromUtf8("s"),
        AesKey.parse(UplinkTest.KEY), DevAddr.parse("01020304"), 0));
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    f.close();
  }

  private Metadata token(String t) {
    Metadata m = new Metadata();
    m.put(GrpcAuth.AUTHORIZATION, "Bearer " + t);
    return m;
  }

  private AppAsGrpc.AppAsBlockingStub appAs(String t) {
    AppAsGrpc.AppAsBlockingStub s = AppAsGrpc.newBlockingStub(channel);
    return t == null ? s : s.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token(t)));
  }

  @Test
  void pushAndListWithRights() {
    DownlinkQueueRequest req = DownlinkQueueRequest.newBuilder()
        .setEndDeviceIds(AsTestFixture.ids()).addDownlinks(ApplicationDownlink.newBuilder()
            .setFPort(1).setFrmPayload(ByteString.copyFrom(new byte[] {1, 2, 3, 4}))).build();
    appAs("full").downlinkQueuePush(req);
    assertThat(f.ns.pushes).hasSize(1);
    assertThat(appAs("read").downlinkQueueList(AsTestFixture.ids()).getDownlinks(0)
        .getFrmPayload().toByteArray()).containsExactly(1, 2, 3, 4);
    assertThatThrownBy(() -> appAs("read").downlinkQueuePush(req))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
            .isEqualTo(Status.Code.PERMISSION_DENIED));
    assertThatThrownBy(() -> appAs(null).downlinkQueuePush(req))
        .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
            .isEqualTo(Status.Code.UNAUTHENTICATED));
    DownlinkQueueRequest bad = req.toBuilder().setDownlinks(0, req.getDownlinks(0).toBuilder()
        .setFPort(0)).build();
    assertThatThrownBy(() -> appAs("full").downlinkQueuePush(bad))
        .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
            .isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void webhookRegistry() {
    ApplicationWebhookRegistryGrpc.ApplicationWebhookRegistryBlockingStub s =
        ApplicationWebhookRegistryGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token("full")));
    s.set(SetApplicationWebhookRequest.newBuilder().setWebhook(ApplicationWebhook.newBuilder()
        .setIds(ApplicationWebhookRegistry.ids("app1", "wh1")).setBaseUrl("http://localhost/x"))
        .build());
    assertThat(s.list(ListApplicationWebhooksRequest.newBuilder().setApplicationIds(
        ApplicationIdentifiers.newBuilder().setApplicationId("app1")).build()).getWebhooksCount())
        .isEqualTo(1);
    s.delete(ApplicationWebhookRegistry.ids("app1", "wh1"));
    assertThatThrownBy(() -> s.delete(ApplicationWebhookRegistry.ids("app1", "wh1")))
        .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
            .isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void errorsEchoingHugeIdsAreCapped() {
    ApplicationWebhookRegistryGrpc.ApplicationWebhookRegistryBlockingStub s =
        ApplicationWebhookRegistryGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token("full")));
    assertThatThrownBy(() -> s.delete(ApplicationWebhookRegistry.ids("app1", "x".repeat(5000))))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getDescription())
            .hasSizeLessThan(dev.loralab.web.grpc.GrpcErrors.MAX_DESCRIPTION_CHARS + 40));
  }
}
