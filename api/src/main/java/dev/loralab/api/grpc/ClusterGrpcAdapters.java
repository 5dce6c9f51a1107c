package dev.loralab.api.grpc;

import com.google.protobuf.Empty;
import dev.loralab.api.ApiException;
import dev.loralab.api.AppAs;
import dev.loralab.api.AsJs;
import dev.loralab.api.AsNs;
import dev.loralab.api.GsNs;
import dev.loralab.api.NsAs;
import dev.loralab.api.NsGs;
import dev.loralab.api.NsJs;
import dev.loralab.api.v3.AppAsGrpc;
import dev.loralab.api.v3.AppSKeyResponse;
import dev.loralab.api.v3.ApplicationDownlinks;
import dev.loralab.api.v3.AsJsGrpc;
import dev.loralab.api.v3.AsNsGrpc;
import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.DownlinkQueueRequest;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.GatewayTxAcknowledgment;
import dev.loralab.api.v3.GsNsGrpc;
import dev.loralab.api.v3.JoinRequest;
import dev.loralab.api.v3.JoinResponse;
import dev.loralab.api.v3.NsAsGrpc;
import dev.loralab.api.v3.NsAsHandleUplinkRequest;
import dev.loralab.api.v3.NsGsGrpc;
import dev.loralab.api.v3.NsJsGrpc;
import dev.loralab.api.v3.ScheduleDownlinkResponse;
import dev.loralab.api.v3.SessionKeyRequest;
import dev.loralab.api.v3.UplinkMessage;
import io.grpc.BindableService;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * gRPC adapters for the in-process cluster interfaces ({@link GsNs}, {@link NsGs}, {@link NsJs},
 * {@link AsJs}, {@link NsAs}, {@link AsNs}, {@link AppAs}), so that servers can run in separate
 * processes without changing their code.
 *
 * <p>{@code *Service(impl)} exposes an implementation as a gRPC service; {@code *Client(channel)}
 * implements the interface with a gRPC stub. Failures cross as gRPC statuses:
 * {@link ApiException#toStatusRuntimeException()} on the server side, {@link ApiException#from}
 * on the client side, so callers always see {@link ApiException}. Neither side blocks: the server
 * answers when the implementation's future completes, the client completes its future from the
 * gRPC callback.
 */
public final class ClusterGrpcAdapters {
  private ClusterGrpcAdapters() {}

  // ---- server side ----

  /** Exposes {@code impl} as {@code ttn.lorawan.v3.GsNs}. */
  public static BindableService gsNsService(GsNs impl) {
    return new GsNsGrpc.GsNsImplBase() {
      @Override
      public void handleUplink(UplinkMessage req, StreamObserver<Empty> out) {
        reply(() -> impl.handleUplink(req), out, v -> Empty.getDefaultInstance());
      }

      @Override
      public void reportTxAcknowledgment(GatewayTxAcknowledgment req, StreamObserver<Empty> out) {
        reply(() -> impl.reportTxAcknowledgment(req), out, v -> Empty.getDefaultInstance());
      }
    };
  }

  /** Exposes {@code impl} as {@code ttn.lorawan.v3.NsGs}. */
  public static BindableService nsGsService(NsGs impl) {
    return new NsGsGrpc.NsGsImplBase() {
      @Override
      public void scheduleDownlink(DownlinkMessage req,
          StreamObserver<ScheduleDownlinkResponse> out) {
        reply(() -> impl.scheduleDownlink(req), out, Function.identity());
      }
    };
  }

  /** Exposes {@code impl} as {@code ttn.lorawan.v3.NsJs}. */
  public static BindableService nsJsService(NsJs impl) {
    return new NsJsGrpc.NsJsImplBase() {
      @Override
      public void handleJoin(JoinRequest req, StreamObserver<JoinResponse> out) {
        reply(() -> impl.handleJoin(req), out, Function.identity());
      }
    };
  }

  /** Exposes {@code impl} as {@code ttn.lorawan.v3.AsJs}. */
  public static BindableService asJsService(AsJs impl) {
    return new AsJsGrpc.AsJsImplBase() {
      @Override
      public void getAppSKey(SessionKeyRequest req, StreamObserver<AppSKeyResponse> out) {
        reply(() -> impl.getAppSKey(req), out, Function.identity());
      }
    };
  }

  /** Exposes {@code impl} as {@code ttn.lorawan.v3.NsAs}. */
  public static BindableService nsAsService(NsAs impl) {
    return new NsAsGrpc.NsAsImplBase() {
      @Override
      public void handleUplink(NsAsHandleUplinkRequest req, StreamObserver<Empty> out) {
        reply(() -> impl.handleUplink(req.getApplicationUpsList()), out,
            v -> Empty.getDefaultInstance());
      }
    };
  }

  /** Exposes {@code impl} as {@code ttn.lorawan.v3.AsNs}. */
  public static BindableService asNsService(AsNs impl) {
    return new AsNsGrpc.AsNsImplBase() {
      @Override
      public void downlinkQueueReplace(DownlinkQueueRequest req, StreamObserver<Empty> out) {
        reply(() -> impl.downlinkQueueReplace(req), out, v -> Empty.getDefaultInstance());
      }

      @Override
      public void downlinkQueuePush(DownlinkQueueRequest req, StreamObserver<Empty> out) {
        reply(() -> impl.downlinkQueuePush(req), out, v -> Empty.getDefaultInstance());
      }

      @Override
      public void downlinkQueueList(EndDeviceIdentifiers req,
          StreamObserver<ApplicationDownlinks> out) {
        reply(() -> impl.downlinkQueueList(req), out, Function.identity());
      }
    };
  }

  /** Exposes {@code impl} as {@code ttn.lorawan.v3.AppAs}. */
  public static BindableService appAsService(AppAs impl) {
    return new AppAsGrpc.AppAsImplBase() {
      @Override
      public void downlinkQueueReplace(DownlinkQueueRequest req, StreamObserver<Empty> out) {
        reply(() -> impl.downlinkQueueReplace(req), out, v -> Empty.getDefaultInstance());
      }

      @Override
      public void downlinkQueuePush(DownlinkQueueRequest req, StreamObserver<Empty> out) {
        reply(() -> impl.downlinkQueuePush(req), out, v -> Empty.getDefaultInstance());
      }

      @Override
      public void downlinkQueueList(EndDeviceIdentifiers req,
          StreamObserver<ApplicationDownlinks> out) {
        reply(() -> impl.downlinkQueueList(req), out, Function.identity());
      }
    };
  }

  /**
   * Completes a unary call from the implementation's future. Exceptions thrown synchronously by
   * the implementation, and a null future, are reported like failed futures.
   */
  static <T, R> void reply(Supplier<? extends CompletionStage<T>> call, StreamObserver<R> out,
      Function<? super T, ? extends R> toResponse) {
    CompletionStage<T> stage;
    try {
      stage = call.get();
      if (stage == null) {
        throw ApiException.internal("implementation returned no future", null);
      }
    } catch (RuntimeException e) {
      out.onError(ApiException.from(e).toStatusRuntimeException());
      return;
    }
    stage.whenComplete((value, error) -> {
      if (error != null) {
        out.onError(ApiException.from(error).toStatusRuntimeException());
        return;
      }
      R response;
      try {
        response = toResponse.apply(value);
      } catch (RuntimeException e) {
        out.onError(ApiException.from(e).toStatusRuntimeException());
        return;
      }
      if (response == null) {
        out.onError(ApiException.internal("implementation completed with null", null)
            .toStatusRuntimeException());
        return;
      }
      out.onNext(response);
      out.onCompleted();
    });
  }

  // ---- client side ----

  /** {@link GsNs} over gRPC. */
  public static GsNs gsNsClient(Channel channel) {
    GsNsGrpc.GsNsStub stub = GsNsGrpc.newStub(channel);
    return new GsNs() {
      @Override
      public CompletableFuture<Void> handleUplink(UplinkMessage up) {
        return call(stub::handleUplink, up).thenApply(e -> null);
      }

      @Override
      public CompletableFuture<Void> reportTxAcknowledgment(GatewayTxAcknowledgment ack) {
        return call(stub::reportTxAcknowledgment, ack).thenApply(e -> null);
      }
    };
  }

  /** {@link NsGs} over gRPC. */
  public static NsGs nsGsClient(Channel channel) {
    NsGsGrpc.NsGsStub stub = NsGsGrpc.newStub(channel);
    return down -> call(stub::scheduleDownlink, down);
  }

  /** {@link NsJs} over gRPC. */
  public static NsJs nsJsClient(Channel channel) {
    NsJsGrpc.NsJsStub stub = NsJsGrpc.newStub(channel);
    return req -> call(stub::handleJoin, req);
  }

  /** {@link AsJs} over gRPC. */
  public static AsJs asJsClient(Channel channel) {
    AsJsGrpc.AsJsStub stub = AsJsGrpc.newStub(channel);
    return req -> call(stub::getAppSKey, req);
  }

  /** {@link NsAs} over gRPC. */
  public static NsAs nsAsClient(Channel channel) {
    NsAsGrpc.NsAsStub stub = NsAsGrpc.newStub(channel);
    return (List<dev.loralab.api.v3.ApplicationUp> ups) -> call(stub::handleUplink,
        NsAsHandleUplinkRequest.newBuilder().addAllApplicationUps(ups).build())
        .thenApply(e -> null);
  }

  /** {@link AsNs} over gRPC. */
  public static AsNs asNsClient(Channel channel) {
    AsNsGrpc.AsNsStub stub = AsNsGrpc.newStub(channel);
    return new AsNs() {
      @Override
      public CompletableFuture<Void> downlinkQueuePush(DownlinkQueueRequest req) {
        return call(stub::downlinkQueuePush, req).thenApply(e -> null);
      }

      @Override
      public CompletableFuture<Void> downlinkQueueReplace(DownlinkQueueRequest req) {
        return call(stub::downlinkQueueReplace, req).thenApply(e -> null);
      }

      @Override
      public CompletableFuture<ApplicationDownlinks> downlinkQueueList(EndDeviceIdentifiers ids) {
        return call(stub::downlinkQueueList, ids);
      }
    };
  }

  /** {@link AppAs} over gRPC. */
  public static AppAs appAsClient(Channel channel) {
    AppAsGrpc.AppAsStub stub = AppAsGrpc.newStub(channel);
    return new AppAs() {
      @Override
      public CompletableFuture<Void> downlinkQueuePush(DownlinkQueueRequest req) {
        return call(stub::downlinkQueuePush, req).thenApply(e -> null);
      }

      @Override
      public CompletableFuture<Void> downlinkQueueReplace(DownlinkQueueRequest req) {
        return call(stub::downlinkQueueReplace, req).thenApply(e -> null);
      }

      @Override
      public CompletableFuture<ApplicationDownlinks> downlinkQueueList(EndDeviceIdentifiers ids) {
        return call(stub::downlinkQueueList, ids);
      }
    };
  }

  /** Runs a unary async-stub call; failures complete the future with {@link ApiException}. */
  static <Q, R> CompletableFuture<R> call(BiConsumer<Q, StreamObserver<R>> method, Q request) {
    CompletableFuture<R> f = new CompletableFuture<>();
    try {
      method.accept(request, new StreamObserver<>() {
        @Override
        public void onNext(R value) {
          f.complete(value);
        }

        @Override
        public void onError(Throwable t) {
          f.completeExceptionally(ApiException.from(t));
        }

        @Override
        public void onCompleted() {
          if (!f.isDone()) {
            f.completeExceptionally(ApiException.internal("call completed without a response",
                null));
          }
        }
      });
    } catch (RuntimeException e) {
      f.completeExceptionally(ApiException.from(e));
    }
    return f;
  }
}
