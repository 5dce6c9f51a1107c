package dev.loralab.identityserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.FieldMask;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationAccessGrpc;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationRegistryGrpc;
import dev.loralab.api.v3.CreateApplicationAPIKeyRequest;
import dev.loralab.api.v3.CreateApplicationRequest;
import dev.loralab.api.v3.CreateEndDeviceRequest;
import dev.loralab.api.v3.CreateGatewayAPIKeyRequest;
import dev.loralab.api.v3.CreateGatewayRequest;
import dev.loralab.api.v3.CreateUserAPIKeyRequest;
import dev.loralab.api.v3.DeleteApplicationAPIKeyRequest;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EndDeviceRegistryGrpc;
import dev.loralab.api.v3.Gateway;
import dev.loralab.api.v3.GatewayAccessGrpc;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.GatewayRegistryGrpc;
import dev.loralab.api.v3.GetApplicationRequest;
import dev.loralab.api.v3.GetEndDeviceRequest;
import dev.loralab.api.v3.GetGatewayRequest;
import dev.loralab.api.v3.GetUserRequest;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.ListApplicationAPIKeysRequest;
import dev.loralab.api.v3.ListApplicationsRequest;
import dev.loralab.api.v3.ListEndDevicesRequest;
import dev.loralab.api.v3.ListGatewaysRequest;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.OrganizationOrUserIdentifiers;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.RootKeys;
import dev.loralab.api.v3.UpdateApplicationRequest;
import dev.loralab.api.v3.UpdateEndDeviceRequest;
import dev.loralab.api.v3.UpdateGatewayRequest;
import dev.loralab.api.v3.User;
import dev.loralab.api.v3.UserAccessGrpc;
import dev.loralab.api.v3.UserIdentifiers;
import dev.loralab.api.v3.UserRegistryGrpc;
import dev.loralab.web.grpc.GrpcAuth;
import io.grpc.BindableService;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractStub;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same semantics over gRPC (in-process transport, GrpcAuth interceptor). */
class IdentityGrpcTest {
  @TempDir Path dir;
  IdentityServer identity;
  Server server;
  ManagedChannel channel;
  String admin;

  static CallCredentials bearer(String token) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata m = new Metadata();
        m.put(GrpcAuth.AUTHORIZATION, "Bearer " + token);
        applier.apply(m);
      }
    };
  }

  static <S extends AbstractStub<S>> S as(S stub, String token) {
    return stub.withCallCredentials(bearer(token)).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  static ApplicationIdentifiers app(String id) {
    return ApplicationIdentifiers.newBuilder().setApplicationId(id).build();
  }

  static OrganizationOrUserIdentifiers user(String id) {
    return OrganizationOrUserIdentifiers.newBuilder()
        .setUserIds(UserIdentifiers.newBuilder().setUserId(id)).build();
  }

  @BeforeEach
  void start() throws Exception {
    identity = IdentityServer.builder(IdentityServerConfig.defaults().withDataDirectory(dir)
        .withApiKeyHashIterations(1000)).random(new Random(3)).build();
    admin = identity.issuedAdminToken().orElseThrow();
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder b = InProcessServerBuilder.forName(name);
    GrpcAuth auth = new GrpcAuth(identity.accessControl());
    for (BindableService s : identity.grpcServices()) {
      b.addService(ServerInterceptors.intercept(s, auth));
    }
    server = b.build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow();
    server.awaitTermination(30, TimeUnit.SECONDS);
    identity.close();
  }

  static Status.Code code(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
    return Status.Code.OK;
  }

  @Test
  void crudOfEveryEntityOverGrpc() {
    identity.users().create(User.newBuilder().setIds(UserIdentifiers.newBuilder().setUserId("alice")).build());
    String alice = as(UserAccessGrpc.newBlockingStub(channel), admin).createAPIKey(
        CreateUserAPIKeyRequest.newBuilder().setUserIds(UserIdentifiers.newBuilder().setUserId("alice"))
            .addRights(Right.RIGHT_USER_ALL).build()).getKey();
    assertThat(as(UserRegistryGrpc.newBlockingStub(channel), alice).get(GetUserRequest.newBuilder()
        .setUserIds(UserIdentifiers.newBuilder().setUserId("alice")).build()).getIds().getUserId())
        .isEqualTo("alice");

    var apps = as(ApplicationRegistryGrpc.newBlockingStub(channel), alice);
    apps.create(CreateApplicationRequest.newBuilder().setCollaborator(user("alice"))
        .setApplication(Application.newBuilder().setIds(app("app1")).setName("One")).build());
    assertThat(code(() -> apps.create(CreateApplicationRequest.newBuilder().setCollaborator(user("alice"))
        .setApplication(Application.newBuilder().setIds(app("app1"))).build())))
        .isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(apps.get(GetApplicationRequest.newBuilder().setApplicationIds(app("app1")).build())
        .getName()).isEqualTo("One");
    apps.update(UpdateApplicationRequest.newBuilder()
        .setApplication(Application.newBuilder().setIds(app("app1")).setName("Uno"))
        .setFieldMask(FieldMask.newBuilder().addPaths("name")).build());
    assertThat(apps.list(ListApplicationsRequest.newBuilder().setCollaborator(user("alice")).build())
        .getApplications(0).getName()).isEqualTo("Uno");

    var devices = as(EndDeviceRegistryGrpc.newBlockingStub(channel), alice);
    EndDeviceIdentifiers dev1 = EndDeviceIdentifiers.newBuilder().setApplicationIds(app("app1"))
        .setDeviceId("dev1").setDevEui("0004A30B001C0530").setJoinEui("70B3D57ED0000000").build();
    devices.create(CreateEndDeviceRequest.newBuilder().setEndDevice(EndDevice.newBuilder()
        .setIds(dev1).setLorawanVersion(MACVersion.MAC_V1_0_3).setFrequencyPlanId("EU_863_870_TTN")
        .setSupportsJoin(true).setRootKeys(RootKeys.newBuilder()
            .setAppKey(KeyEnvelope.newBuilder().setKey("2B7E151628AED2A6ABF7158809CF4F3C")))).build());
    EndDevice got = devices.get(GetEndDeviceRequest.newBuilder().setEndDeviceIds(dev1).build());
    assertThat(got.hasRootKeys()).isFalse();
    assertThat(devices.get(GetEndDeviceRequest.newBuilder().setEndDeviceIds(dev1)
        .setFieldMask(FieldMask.newBuilder().addPaths("root_keys")).build()).getRootKeys().getAppKey()
        .getKey()).isEqualTo("2B7E151628AED2A6ABF7158809CF4F3C");
    devices.update(UpdateEndDeviceRequest.newBuilder()
        .setEndDevice(EndDevice.newBuilder().setIds(dev1).setSupportsClassC(true))
        .setFieldMask(FieldMask.newBuilder().addPaths("supports_class_c")).build());
    assertThat(devices.list(ListEndDevicesRequest.newBuilder().setApplicationIds(app("app1")).build())
        .getEndDevices(0).getSupportsClassC()).isTrue();
    assertThat(code(() -> devices.create(CreateEndDeviceRequest.newBuilder().setEndDevice(
        EndDevice.newBuilder().setIds(dev1.toBuilder().setDeviceId("dev2").setDevEui("zz"))).build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    devices.delete(dev1);
    assertThat(code(() -> devices.get(GetEndDeviceRequest.newBuilder().setEndDeviceIds(dev1).build())))
        .isEqualTo(Status.Code.NOT_FOUND);

    var gateways = as(GatewayRegistryGrpc.newBlockingStub(channel), alice);
    GatewayIdentifiers gtw = GatewayIdentifiers.newBuilder().setGatewayId("gtw1").setEui("B827EBFFFE000001").build();
    gateways.create(CreateGatewayRequest.newBuilder().setCollaborator(user("alice"))
        .setGateway(Gateway.newBuilder().setIds(gtw).setFrequencyPlanId("EU_863_870_TTN")).build());
    gateways.update(UpdateGatewayRequest.newBuilder()
        .setGateway(Gateway.newBuilder().setIds(gtw).setName("Roof"))
        .setFieldMask(FieldMask.newBuilder().addPaths("name")).build());
    assertThat(gateways.get(GetGatewayRequest.newBuilder().setGatewayIds(gtw).build()).getName())
        .isEqualTo("Roof");
    assertThat(gateways.list(ListGatewaysRequest.getDefaultInstance()).getGatewaysCount()).isEqualTo(1);
    String gtwKey = as(GatewayAccessGrpc.newBlockingStub(channel), alice).createAPIKey(
        CreateGatewayAPIKeyRequest.newBuilder().setGatewayIds(gtw).addRights(Right.RIGHT_GATEWAY_LINK)
            .build()).getKey();
    assertThat(as(GatewayRegistryGrpc.newBlockingStub(channel), gtwKey)
        .get(GetGatewayRequest.newBuilder().setGatewayIds(gtw).build()).getIds().getGatewayId())
        .isEqualTo("gtw1");
    gateways.delete(gtw);
    assertThat(code(() -> gateways.get(GetGatewayRequest.newBuilder().setGatewayIds(gtw).build())))
        .isIn(Status.Code.NOT_FOUND, Status.Code.PERMISSION_DENIED);

    var appAccess = as(ApplicationAccessGrpc.newBlockingStub(channel), alice);
    var key = appAccess.createAPIKey(CreateApplicationAPIKeyRequest.newBuilder()
        .setApplicationIds(app("app1")).addRights(Right.RIGHT_APPLICATION_INFO).build());
    assertThat(appAccess.listAPIKeys(ListApplicationAPIKeysRequest.newBuilder()
        .setApplicationIds(app("app1")).build()).getApiKeysList()).extracting(k -> k.getKey())
        .containsExactly("");
    appAccess.deleteAPIKey(DeleteApplicationAPIKeyRequest.newBuilder()
        .setApplicationIds(app("app1")).setKeyId(key.getId()).build());
    assertThat(code(() -> as(ApplicationRegistryGrpc.newBlockingStub(channel), key.getKey())
        .get(GetApplicationRequest.newBuilder().setApplicationIds(app("app1")).build())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);

    apps.delete(app("app1"));
    assertThat(code(() -> as(ApplicationRegistryGrpc.newBlockingStub(channel), admin)
        .get(GetApplicationRequest.newBuilder().setApplicationIds(app("app1")).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void rightsAndCredentialsAreEnforced() {
    identity.applications().create(Application.newBuilder().setIds(app("app-a")).build(),
        UserIdentifiers.newBuilder().setUserId("admin").build());
    identity.applications().create(Application.newBuilder().setIds(app("app-b")).build(),
        UserIdentifiers.newBuilder().setUserId("admin").build());
    String keyA = as(ApplicationAccessGrpc.newBlockingStub(channel), admin).createAPIKey(
        CreateApplicationAPIKeyRequest.newBuilder().setApplicationIds(app("app-a"))
            .addRights(Right.RIGHT_APPLICATION_ALL).build()).getKey();
    var asA = as(ApplicationRegistryGrpc.newBlockingStub(channel), keyA);
    assertThat(asA.get(GetApplicationRequest.newBuilder().setApplicationIds(app("app-a")).build())
        .getIds().getApplicationId()).isEqualTo("app-a");
    assertThat(code(() -> asA.get(GetApplicationRequest.newBuilder().setApplicationIds(app("app-b")).build())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(code(() -> asA.delete(app("app-b")))).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(code(() -> as(EndDeviceRegistryGrpc.newBlockingStub(channel), keyA)
        .list(ListEndDevicesRequest.newBuilder().setApplicationIds(app("app-b")).build())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(asA.list(ListApplicationsRequest.getDefaultInstance()).getApplicationsCount()).isEqualTo(1);
    assertThat(code(() -> ApplicationRegistryGrpc.newBlockingStub(channel)
        .get(GetApplicationRequest.newBuilder().setApplicationIds(app("app-a")).build())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(code(() -> as(ApplicationRegistryGrpc.newBlockingStub(channel), "NNSXS.AAAAAAAAAA.BBBBBBBBBBBBBBBBBBBB")
        .get(GetApplicationRequest.newBuilder().setApplicationIds(app("app-a")).build())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void invalidIdsInRequestsAreInvalidArgumentsLikeInHttpPaths() {
    var apps = as(ApplicationRegistryGrpc.newBlockingStub(channel), admin);
    var keys = as(ApplicationAccessGrpc.newBlockingStub(channel), admin);
    var devices = as(EndDeviceRegistryGrpc.newBlockingStub(channel), admin);
    for (String bad : java.util.List.of("UPPER", "..", "a/b", "-x", "x".repeat(5000))) {
      assertThat(code(() -> apps.get(GetApplicationRequest.newBuilder()
          .setApplicationIds(app(bad)).build()))).as("Get application '%s'", bad)
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(code(() -> keys.listAPIKeys(ListApplicationAPIKeysRequest.newBuilder()
          .setApplicationIds(app(bad)).build()))).as("ListAPIKeys of '%s'", bad)
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(code(() -> devices.get(GetEndDeviceRequest.newBuilder()
          .setEndDeviceIds(EndDeviceIdentifiers.newBuilder().setApplicationIds(app("app1"))
              .setDeviceId(bad)).build()))).as("Get device '%s'", bad).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
    try {
      apps.get(GetApplicationRequest.newBuilder().setApplicationIds(app("x".repeat(5000))).build());
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getDescription()).contains("application_ids.application_id").hasSizeLessThan(400);
    }
    // A well-formed ID that names nothing is still NOT_FOUND.
    assertThat(code(() -> apps.get(GetApplicationRequest.newBuilder()
        .setApplicationIds(app("no-such-app")).build()))).isEqualTo(Status.Code.NOT_FOUND);
  }
}
