package dev.loralab.applicationserver;

import com.google.protobuf.Empty;
import dev.loralab.api.ApiException;
import dev.loralab.api.auth.AccessControl;
import dev.loralab.api.auth.Caller;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationWebhook;
import dev.loralab.api.v3.ApplicationWebhookIdentifiers;
import dev.loralab.api.v3.ApplicationWebhookRegistryGrpc;
import dev.loralab.api.v3.ApplicationWebhooks;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.GetApplicationWebhookRequest;
import dev.loralab.api.v3.ListApplicationWebhooksRequest;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.SetApplicationWebhookRequest;
import dev.loralab.applicationserver.webhooks.ApplicationWebhookRegistry;
import dev.loralab.web.grpc.GrpcAuth;
import dev.loralab.web.grpc.GrpcErrors;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code ttn.lorawan.v3.ApplicationWebhookRegistry} over gRPC. Install behind {@link GrpcAuth};
 * every call needs {@code RIGHT_APPLICATION_SETTINGS_BASIC} on the application.
 */
public final class ApplicationWebhookRegistryGrpcService
    extends ApplicationWebhookRegistryGrpc.ApplicationWebhookRegistryImplBase {

  private final ApplicationWebhookRegistry registry;
  private final AccessControl accessControl;

  /**
   * @param registry validated webhook CRUD ({@link ApplicationServer#webhooks()})
   * @param accessControl rights lookup
   */
  public ApplicationWebhookRegistryGrpcService(ApplicationWebhookRegistry registry,
      AccessControl accessControl) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.accessControl = Objects.requireNonNull(accessControl, "accessControl");
  }

  @Override
  public void get(GetApplicationWebhookRequest request,
      StreamObserver<ApplicationWebhook> observer) {
    call(observer, request.getIds().getApplicationIds(),
        () -> registry.get(request.getIds(), request.getFieldMask()));
  }

  @Override
  public void list(ListApplicationWebhooksRequest request,
      StreamObserver<ApplicationWebhooks> observer) {
    call(observer, request.getApplicationIds(),
        () -> registry.list(request.getApplicationIds(), request.getFieldMask()));
  }

  @Override
  public void set(SetApplicationWebhookRequest request,
      StreamObserver<ApplicationWebhook> observer) {
    call(observer, request.getWebhook().getIds().getApplicationIds(), () -> registry.set(request));
  }

  @Override
  public void delete(ApplicationWebhookIdentifiers request, StreamObserver<Empty> observer) {
    call(observer, request.getApplicationIds(), () -> {
      registry.delete(request);
      return Empty.getDefaultInstance();
    });
  }

  private <T> void call(StreamObserver<T> observer, ApplicationIdentifiers app,
      Supplier<T> body) {
    T result;
    try {
      Caller caller = GrpcAuth.requireCaller();
      accessControl.requireAny(caller, EntityIdentifiers.newBuilder().setApplicationIds(app)
          .build(), List.of(Right.RIGHT_APPLICATION_SETTINGS_BASIC));
      result = body.get();
    } catch (StatusRuntimeException e) {
      observer.onError(GrpcErrors.toStatusRuntimeException(e));
      return;
    } catch (RuntimeException e) {
      // Through GrpcErrors: descriptions that echo huge client input are capped.
      observer.onError(GrpcErrors.toStatusRuntimeException(ApiException.from(e)));
      return;
    }
    observer.onNext(result);
    observer.onCompleted();
  }
}
