package dev.loralab.applicationserver;

import com.google.protobuf.Empty;
import dev.loralab.api.ApiException;
import dev.loralab.api.auth.AccessControl;
import dev.loralab.api.auth.Caller;
import dev.loralab.api.v3.AppAsGrpc;
import dev.loralab.api.v3.ApplicationDownlinks;
import dev.loralab.api.v3.DownlinkQueueRequest;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Right;
import dev.loralab.web.grpc.GrpcAuth;
import dev.loralab.web.grpc.GrpcErrors;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * {@code ttn.lorawan.v3.AppAs} over gRPC: the downlink queue of an {@link ApplicationServer}. Install behind {@link GrpcAuth}.
 * Push and replace need {@code RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE}, list
 * {@code RIGHT_APPLICATION_TRAFFIC_READ} on the device's application.
 */
public final class AppAsGrpcService extends AppAsGrpc.AppAsImplBase {

  private final ApplicationServer as;
  private final AccessControl accessControl;

  /**
   * @param as the application server
   * @param accessControl rights lookup
   */
  public AppAsGrpcService(ApplicationServer as, AccessControl accessControl) {
    this.as = Objects.requireNonNull(as, "as");
    this.accessControl = Objects.requireNonNull(accessControl, "accessControl");
  }

  @Override
  public void downlinkQueuePush(DownlinkQueueRequest request, StreamObserver<Empty> observer) {
    call(observer, request.getEndDeviceIds(), Right.RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE,
        (ids, origin) -> as.downlinkQueuePush(request, origin)
            .thenApply(v -> Empty.getDefaultInstance()));
  }

  @Override
  public void downlinkQueueReplace(DownlinkQueueRequest request, StreamObserver<Empty> observer) {
    call(observer, request.getEndDeviceIds(), Right.RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE,
        (ids, origin) -> as.downlinkQueueReplace(request, origin)
            .thenApply(v -> Empty.getDefaultInstance()));
  }

  @Override
  public void downlinkQueueList(EndDeviceIdentifiers request,
      StreamObserver<ApplicationDownlinks> observer) {
    call(observer, request, Right.RIGHT_APPLICATION_TRAFFIC_READ,
        (ids, origin) -> as.downlinkQueueList(ids));
  }

  private <T> void call(StreamObserver<T> observer, EndDeviceIdentifiers ids, Right right,
      BiFunction<EndDeviceIdentifiers, RequestOrigin, CompletableFuture<T>> fn) {
    CompletableFuture<T> f;
    try {
      Caller caller = GrpcAuth.requireCaller();
      accessControl.requireAny(caller, EntityIdentifiers.newBuilder().setDeviceIds(ids).build(),
          List.of(right));
      f = fn.apply(ids, new RequestOrigin(caller.apiKeyId(), "", ""));
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete((v, e) -> {
      if (e != null) {
        // Through GrpcErrors: descriptions that echo huge client input are capped.
        observer.onError(GrpcErrors.toStatusRuntimeException(
            e instanceof io.grpc.StatusRuntimeException ? e : ApiException.from(e)));
      } else {
        observer.onNext(v);
        observer.onCompleted();
      }
    });
  }
}
