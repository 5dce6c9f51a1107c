package dev.loralab.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.AppAsGrpc;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationRegistryGrpc;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.Event;
import dev.loralab.api.v3.EventsGrpc;
import dev.loralab.api.v3.GetApplicationRequest;
import dev.loralab.api.v3.StreamEventsRequest;
import dev.loralab.cli.config.StackConfig;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack's single gRPC server: registries, Events and AppAs behind API key authentication. */
class StackGrpcTest {

  @TempDir Path dir;

  private Stack stack;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    stack = Stack.builder(StackConfig.defaults().forTests(dir.resolve("data"))).build();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", stack.grpcPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
    stack.close();
  }

  private Metadata auth(String key) {
    Metadata m = new Metadata();
    m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return m;
  }

  @Test
  void registryAndEventsNeedAValidKey() {
    CliRun cli = new CliRun(stack.httpUrl(), stack.config().data().dir());
    assertThat(cli.run("applications", "create", "app1", "--name", "Over gRPC").exit()).isZero();

    var registry = ApplicationRegistryGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth(stack.adminApiKey())))
        .withDeadlineAfter(60, TimeUnit.SECONDS);
    GetApplicationRequest get = GetApplicationRequest.newBuilder()
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1")).build();
    assertThat(registry.get(get).getName()).isEqualTo("Over gRPC");

    var anonymous = ApplicationRegistryGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    assertThatThrownBy(() -> anonymous.get(get)).isInstanceOf(StatusRuntimeException.class)
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    var wrongKey = ApplicationRegistryGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth("NNSXS.WRONG.KEY")))
        .withDeadlineAfter(60, TimeUnit.SECONDS);
    assertThatThrownBy(() -> wrongKey.get(get))
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);

    var events = EventsGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth(stack.adminApiKey())))
        .withDeadlineAfter(60, TimeUnit.SECONDS);
    Iterator<Event> stream = events.stream(StreamEventsRequest.newBuilder()
        .addIdentifiers(EntityKeys.entity(ApplicationIdentifiers.newBuilder().setApplicationId("app1").build()))
        .setTail(10).build());
    assertThat(stream.next().getName()).isEqualTo("events.stream.start");
    assertThat(stream.next().getName()).isEqualTo("application.create");
  }

  @Test
  void appAsChecksRights() {
    CliRun cli = new CliRun(stack.httpUrl(), stack.config().data().dir());
    assertThat(cli.run("applications", "create", "app1").exit()).isZero();
    CliRun.Result key = cli.run("applications", "api-keys", "create", "--application-id", "app1",
        "--right-application-info");
    assertThat(key.exit()).as(key.err()).isZero();
    EndDeviceIdentifiers dev = EndDeviceIdentifiers.newBuilder().setDeviceId("dev1")
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1")).build();
    var weak = AppAsGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth(key.json().get("key").asText())))
        .withDeadlineAfter(60, TimeUnit.SECONDS);
    assertThatThrownBy(() -> weak.downlinkQueueList(dev))
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    var anonymous = AppAsGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    assertThatThrownBy(() -> anonymous.downlinkQueueList(dev))
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }
}
