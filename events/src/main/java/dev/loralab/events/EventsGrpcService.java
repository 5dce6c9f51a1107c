package dev.loralab.events;

import dev.loralab.api.ApiException;
import dev.loralab.api.auth.Caller;
import dev.loralab.api.v3.EventsGrpc;
import dev.loralab.api.v3.FindRelatedEventsRequest;
import dev.loralab.api.v3.FindRelatedEventsResponse;
import dev.loralab.api.v3.StreamEventsRequest;
import dev.loralab.web.grpc.GrpcAuth;
import dev.loralab.web.grpc.GrpcErrors;
import dev.loralab.web.grpc.RpcCorrelation;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ttn.lorawan.v3.Events} over gRPC with the same semantics as {@link EventsHttpRoutes}.
 * Install it behind {@link GrpcAuth} (caller) and {@link RpcCorrelation} (stream correlation ID).
 * Flow control follows the call's readiness.
 */
public final class EventsGrpcService extends EventsGrpc.EventsImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(EventsGrpcService.class);

  private final EventStreams streams;

  /** @param streams the shared stream logic */
  public EventsGrpcService(EventStreams streams) {
    this.streams = Objects.requireNonNull(streams, "streams");
  }

  @Override
  public void stream(StreamEventsRequest request, StreamObserver<dev.loralab.api.v3.Event> observer) {
    ServerCallStreamObserver<dev.loralab.api.v3.Event> call =
        (ServerCallStreamObserver<dev.loralab.api.v3.Event>) observer;
    EventStreams.Prepared prepared;
    try {
      Caller caller = GrpcAuth.requireCaller();
      String cid = RpcCorrelation.current().orElseGet(streams::newStreamCorrelationId);
      prepared = streams.prepare(caller, request, null, cid);
    } catch (RuntimeException e) {
      fail(observer, e);
      return;
    }
    AtomicReference<EventStreams.Handle> handle = new AtomicReference<>();
    call.setOnReadyHandler(() -> {
      EventStreams.Handle h = handle.get();
      if (h != null) {
        h.wake();
      }
    });
    call.setOnCancelHandler(() -> {
      EventStreams.Handle h = handle.get();
      if (h != null) {
        h.close();
      }
    });
    EventStreams.Output out = new EventStreams.Output() {
      @Override
      public boolean ready() {
        return !call.isCancelled() && call.isReady();
      }

      @Override
      public void send(Event event) {
        call.onNext(event.toProto());
      }

      @Override
      public void flush() {
      }

      @Override
      public void error(ApiException error) {
        call.onError(GrpcErrors.toStatusRuntimeException(error));
      }
    };
    handle.set(prepared.start(out));
    if (call.isCancelled()) {
      handle.get().close();
    }
  }

  @Override
  public void findRelated(FindRelatedEventsRequest request, StreamObserver<FindRelatedEventsResponse> observer) {
    try {
      Caller caller = GrpcAuth.requireCaller();
      FindRelatedEventsResponse.Builder b = FindRelatedEventsResponse.newBuilder();
      for (Event e : streams.findRelated(caller, request.getCorrelationId())) {
        b.addEvents(e.toProto());
      }
      observer.onNext(b.build());
      observer.onCompleted();
    } catch (RuntimeException e) {
      fail(observer, e);
    }
  }

  private static void fail(StreamObserver<?> observer, RuntimeException e) {
    if (GrpcErrors.isClientError(e)) {
      LOG.debug("events call rejected: {}", e.getMessage());
    } else {
      LOG.warn("events call failed", e);
    }
    observer.onError(GrpcErrors.toStatusRuntimeException(e));
  }
}
