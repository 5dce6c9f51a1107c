package dev.loralab.identityserver;

import com.google.protobuf.Empty;
import dev.loralab.api.auth.Caller;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.APIKey;
import dev.loralab.api.v3.APIKeys;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationAccessGrpc;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationRegistryGrpc;
import dev.loralab.api.v3.Applications;
import dev.loralab.api.v3.CreateApplicationAPIKeyRequest;
import dev.loralab.api.v3.CreateApplicationRequest;
import dev.loralab.api.v3.CreateEndDeviceRequest;
import dev.loralab.api.v3.CreateGatewayAPIKeyRequest;
import dev.loralab.api.v3.CreateGatewayRequest;
import dev.loralab.api.v3.CreateUserAPIKeyRequest;
import dev.loralab.api.v3.DeleteApplicationAPIKeyRequest;
import dev.loralab.api.v3.DeleteGatewayAPIKeyRequest;
import dev.loralab.api.v3.DeleteUserAPIKeyRequest;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EndDeviceRegistryGrpc;
import dev.loralab.api.v3.EndDevices;
import dev.loralab.api.v3.Gateway;
import dev.loralab.api.v3.GatewayAccessGrpc;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.GatewayRegistryGrpc;
import dev.loralab.api.v3.Gateways;
import dev.loralab.api.v3.GetApplicationAPIKeyRequest;
import dev.loralab.api.v3.GetApplicationRequest;
import dev.loralab.api.v3.GetEndDeviceRequest;
import dev.loralab.api.v3.GetGatewayAPIKeyRequest;
import dev.loralab.api.v3.GetGatewayRequest;
import dev.loralab.api.v3.GetUserAPIKeyRequest;
import dev.loralab.api.v3.GetUserRequest;
import dev.loralab.api.v3.ListApplicationAPIKeysRequest;
import dev.loralab.api.v3.ListApplicationsRequest;
import dev.loralab.api.v3.ListEndDevicesRequest;
import dev.loralab.api.v3.ListGatewayAPIKeysRequest;
import dev.loralab.api.v3.ListGatewaysRequest;
import dev.loralab.api.v3.ListUserAPIKeysRequest;
import dev.loralab.api.v3.UpdateApplicationRequest;
import dev.loralab.api.v3.UpdateEndDeviceRequest;
import dev.loralab.api.v3.UpdateGatewayRequest;
import dev.loralab.api.v3.User;
import dev.loralab.api.v3.UserAccessGrpc;
import dev.loralab.api.v3.UserRegistryGrpc;
import dev.loralab.identityserver.internal.IdentityApi;
import dev.loralab.web.grpc.GrpcAuth;
import dev.loralab.web.grpc.GrpcErrors;
import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity server's gRPC services, thin adapters over the same API semantics as the HTTP
 * routes. The caller comes from {@link GrpcAuth}; failures become gRPC statuses through {@link
 * GrpcErrors}. Lists are paged with {@code limit}/{@code page} like HTTP (without a total).
 */
final class IdentityGrpcServices {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityGrpcServices.class);

  private IdentityGrpcServices() {}

  static List<BindableService> all(IdentityApi api) {
    return List.<BindableService>of(new ApplicationRegistryService(api), new GatewayRegistryService(api),
        new EndDeviceRegistryService(api), new ApplicationAccessService(api), new GatewayAccessService(api),
        new UserAccessService(api), new UserRegistryService(api)).stream().map(IdentifierValidation::wrap).toList();
  }

  /** Runs one unary call: authenticates, answers, maps failures. */
  static <T> void unary(StreamObserver<T> out, Function<Caller, T> body) {
    T result;
    try {
      result = body.apply(GrpcAuth.requireCaller());
    } catch (RuntimeException e) {
      if (!GrpcErrors.isClientError(e)) {
        LOG.warn("identity gRPC call failed", e);
      } else {
        LOG.debug("identity gRPC call refused: {}", e.getMessage());
      }
      out.onError(GrpcErrors.toStatusRuntimeException(e));
      return;
    }
    out.onNext(result);
    out.onCompleted();
  }

  private static final class ApplicationRegistryService extends ApplicationRegistryGrpc.ApplicationRegistryImplBase {
    private final IdentityApi api;

    ApplicationRegistryService(IdentityApi api) {
      this.api = api;
    }

    @Override
    public void create(CreateApplicationRequest r, StreamObserver<Application> o) {
      unary(o, c -> api.createApplication(c, r));
    }

    @Override
    public void get(GetApplicationRequest r, StreamObserver<Application> o) {
      unary(o, c -> api.getApplication(c, r.getApplicationIds(), r.getFieldMask()));
    }

    @Override
    public void list(ListApplicationsRequest r, StreamObserver<Applications> o) {
      unary(o, c -> Applications.newBuilder().addAllApplications(api.listApplications(c,
          r.getCollaborator(), r.getFieldMask(), (int) r.getLimit(), (int) r.getPage()).items()).build());
    }

    @Override
    public void update(UpdateApplicationRequest r, StreamObserver<Application> o) {
      unary(o, c -> api.updateApplication(c, r.getApplication(), r.getFieldMask()));
    }

    @Override
    public void delete(ApplicationIdentifiers r, StreamObserver<Empty> o) {
      unary(o, c -> {
        api.deleteApplication(c, r);
        return Empty.getDefaultInstance();
      });
    }
  }

  private static final class GatewayRegistryService extends GatewayRegistryGrpc.GatewayRegistryImplBase {
    private final IdentityApi api;

    GatewayRegistryService(IdentityApi api) {
      this.api = api;
    }

    @Override
    public void create(CreateGatewayRequest r, StreamObserver<Gateway> o) {
      unary(o, c -> api.createGateway(c, r));
    }

    @Override
    public void get(GetGatewayRequest r, StreamObserver<Gateway> o) {
      unary(o, c -> api.getGateway(c, r.getGatewayIds(), r.getFieldMask()));
    }

    @Override
    public void list(ListGatewaysRequest r, StreamObserver<Gateways> o) {
      unary(o, c -> Gateways.newBuilder().addAllGateways(api.listGateways(c,
          r.getCollaborator(), r.getFieldMask(), (int) r.getLimit(), (int) r.getPage()).items()).build());
    }

    @Override
    public void update(UpdateGatewayRequest r, StreamObserver<Gateway> o) {
      unary(o, c -> api.updateGateway(c, r.getGateway(), r.getFieldMask()));
    }

    @Override
    public void delete(GatewayIdentifiers r, StreamObserver<Empty> o) {
      unary(o, c -> {
        api.deleteGateway(c, r);
        return Empty.getDefaultInstance();
      });
    }
  }

  private static final class EndDeviceRegistryService extends EndDeviceRegistryGrpc.EndDeviceRegistryImplBase {
    private final IdentityApi api;

    EndDeviceRegistryService(IdentityApi api) {
      this.api = api;
    }

    @Override
    public void create(CreateEndDeviceRequest r, StreamObserver<EndDevice> o) {
      unary(o, c -> api.createEndDevice(c, r));
    }

    @Override
    public void get(GetEndDeviceRequest r, StreamObserver<EndDevice> o) {
      unary(o, c -> api.getEndDevice(c, r.getEndDeviceIds(), r.getFieldMask()));
    }

    @Override
    public void list(ListEndDevicesRequest r, StreamObserver<EndDevices> o) {
      unary(o, c -> EndDevices.newBuilder().addAllEndDevices(api.listEndDevices(c,
          r.getApplicationIds(), r.getFieldMask(), (int) r.getLimit(), (int) r.getPage()).items()).build());
    }

    @Override
    public void update(UpdateEndDeviceRequest r, StreamObserver<EndDevice> o) {
      unary(o, c -> api.updateEndDevice(c, r.getEndDevice(), r.getFieldMask()));
    }

    @Override
    public void delete(EndDeviceIdentifiers r, StreamObserver<Empty> o) {
      unary(o, c -> {
        api.deleteEndDevice(c, r);
        return Empty.getDefaultInstance();
      });
    }
  }

  private static final class ApplicationAccessService extends ApplicationAccessGrpc.ApplicationAccessImplBase {
    private final IdentityApi api;

    ApplicationAccessService(IdentityApi api) {
      this.api = api;
    }

    @Override
    public void createAPIKey(CreateApplicationAPIKeyRequest r, StreamObserver<APIKey> o) {
      unary(o, c -> api.createApiKey(c, EntityKeys.entity(r.getApplicationIds()), r.getName(),
          r.getRightsList(), r.getExpiresAt(), r.hasExpiresAt()));
    }

    @Override
    public void listAPIKeys(ListApplicationAPIKeysRequest r, StreamObserver<APIKeys> o) {
      unary(o, c -> APIKeys.newBuilder().addAllApiKeys(api.listApiKeys(c,
          EntityKeys.entity(r.getApplicationIds()), (int) r.getLimit(), (int) r.getPage()).items()).build());
    }

    @Override
    public void getAPIKey(GetApplicationAPIKeyRequest r, StreamObserver<APIKey> o) {
      unary(o, c -> api.getApiKey(c, EntityKeys.entity(r.getApplicationIds()), r.getKeyId()));
    }

    @Override
    public void deleteAPIKey(DeleteApplicationAPIKeyRequest r, StreamObserver<Empty> o) {
      unary(o, c -> {
        api.deleteApiKey(c, EntityKeys.entity(r.getApplicationIds()), r.getKeyId());
        return Empty.getDefaultInstance();
      });
    }
  }

  private static final class GatewayAccessService extends GatewayAccessGrpc.GatewayAccessImplBase {
    private final IdentityApi api;

    GatewayAccessService(IdentityApi api) {
      this.api = api;
    }

    private static dev.loralab.api.v3.EntityIdentifiers gtw(GatewayIdentifiers ids) {
      return EntityKeys.gateway(ids.getGatewayId());
    }

    @Override
    public void createAPIKey(CreateGatewayAPIKeyRequest r, StreamObserver<APIKey> o) {
      unary(o, c -> api.createApiKey(c, gtw(r.getGatewayIds()), r.getName(),
          r.getRightsList(), r.getExpiresAt(), r.hasExpiresAt()));
    }

    @Override
    public void listAPIKeys(ListGatewayAPIKeysRequest r, StreamObserver<APIKeys> o) {
      unary(o, c -> APIKeys.newBuilder().addAllApiKeys(api.listApiKeys(c,
          gtw(r.getGatewayIds()), (int) r.getLimit(), (int) r.getPage()).items()).build());
    }

    @Override
    public void getAPIKey(GetGatewayAPIKeyRequest r, StreamObserver<APIKey> o) {
      unary(o, c -> api.getApiKey(c, gtw(r.getGatewayIds()), r.getKeyId()));
    }

    @Override
    public void deleteAPIKey(DeleteGatewayAPIKeyRequest r, StreamObserver<Empty> o) {
      unary(o, c -> {
        api.deleteApiKey(c, gtw(r.getGatewayIds()), r.getKeyId());
        return Empty.getDefaultInstance();
      });
    }
  }

  private static final class UserAccessService extends UserAccessGrpc.UserAccessImplBase {
    private final IdentityApi api;

    UserAccessService(IdentityApi api) {
      this.api = api;
    }

    @Override
    public void createAPIKey(CreateUserAPIKeyRequest r, StreamObserver<APIKey> o) {
      unary(o, c -> api.createApiKey(c, EntityKeys.entity(r.getUserIds()), r.getName(),
          r.getRightsList(), r.getExpiresAt(), r.hasExpiresAt()));
    }

    @Override
    public void listAPIKeys(ListUserAPIKeysRequest r, StreamObserver<APIKeys> o) {
      unary(o, c -> APIKeys.newBuilder().addAllApiKeys(api.listApiKeys(c,
          EntityKeys.entity(r.getUserIds()), (int) r.getLimit(), (int) r.getPage()).items()).build());
    }

    @Override
    public void getAPIKey(GetUserAPIKeyRequest r, StreamObserver<APIKey> o) {
      unary(o, c -> api.getApiKey(c, EntityKeys.entity(r.getUserIds()), r.getKeyId()));
    }

    @Override
    public void deleteAPIKey(DeleteUserAPIKeyRequest r, StreamObserver<Empty> o) {
      unary(o, c -> {
        api.deleteApiKey(c, EntityKeys.entity(r.getUserIds()), r.getKeyId());
        return Empty.getDefaultInstance();
      });
    }
  }

  private static final class UserRegistryService extends UserRegistryGrpc.UserRegistryImplBase {
    private final IdentityApi api;

    UserRegistryService(IdentityApi api) {
      this.api = api;
    }

    @Override
    public void get(GetUserRequest r, StreamObserver<User> o) {
      unary(o, c -> api.getUser(c, r.getUserIds()));
    }
  }
}
