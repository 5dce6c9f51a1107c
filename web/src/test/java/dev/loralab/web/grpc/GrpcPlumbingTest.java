package dev.loralab.web.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.ApiException;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.auth.StaticAccessControl;
import dev.loralab.api.v3.Event;
import dev.loralab.api.v3.EventsGrpc;
import dev.loralab.api.v3.FindRelatedEventsRequest;
import dev.loralab.api.v3.FindRelatedEventsResponse;
import dev.loralab.api.v3.Right;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GrpcPlumbingTest {

  private Server server;
  private ManagedChannel channel;

  /** Echoes the caller and correlation ID in an event; fails on demand. */
  static final class EchoService extends EventsGrpc.EventsImplBase {
    @Override
    public void findRelated(FindRelatedEventsRequest req, StreamObserver<FindRelatedEventsResponse> out) {
      try {
        if (req.getCorrelationId().equals("api")) {
          throw ApiException.invalidArgument("correlation_id", "expected something else");
        }
        if (req.getCorrelationId().equals("bug")) {
          throw new IllegalStateException("secret detail");
        }
        var caller = GrpcAuth.requireCaller();
        out.onNext(FindRelatedEventsResponse.newBuilder().addEvents(Event.newBuilder()
            .setName(caller.apiKeyId()).addCorrelationIds(RpcCorrelation.current().orElse("none"))).build());
        out.onCompleted();
      } catch (RuntimeException e) {
        out.onError(GrpcErrors.toStatusRuntimeException(e));
      }
    }
  }

  @BeforeEach
  void start() throws Exception {
    var ac = StaticAccessControl.builder()
        .token("secret", "key1", EntityKeys.user("admin"), RightSet.of(Right.RIGHT_ALL)).build();
    AtomicInteger n = new AtomicInteger();
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(new EchoService(), new GrpcAuth(ac),
            new RpcCorrelation(() -> "ID" + n.incrementAndGet())))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private EventsGrpc.EventsBlockingStub stub(String authorization, String requestId) {
    Metadata md = new Metadata();
    if (authorization != null) {
      md.put(GrpcAuth.AUTHORIZATION, authorization);
    }
    if (requestId != null) {
      md.put(RpcCorrelation.REQUEST_ID, requestId);
    }
    return EventsGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
  }

  private static FindRelatedEventsRequest req(String id) {
    return FindRelatedEventsRequest.newBuilder().setCorrelationId(id).build();
  }

  @Test
  void authenticatedCallSeesCallerAndCorrelationId() {
    var resp = stub("Bearer secret", null).findRelated(req("x"));
    assertThat(resp.getEvents(0).getName()).isEqualTo("key1");
    assertThat(resp.getEvents(0).getCorrelationIds(0)).isEqualTo("rpc:/ttn.lorawan.v3.Events/FindRelated:ID1");
  }

  @Test
  void requestIdIsUsedWhenPlain() {
    var resp = stub("Bearer secret", "abc-123").findRelated(req("x"));
    assertThat(resp.getEvents(0).getCorrelationIds(0)).isEqualTo("rpc:/ttn.lorawan.v3.Events/FindRelated:abc-123");
    var resp2 = stub("Bearer secret", "bad id\u0001").findRelated(req("x"));
    assertThat(resp2.getEvents(0).getCorrelationIds(0)).endsWith(":ID1");
  }

  @Test
  void unknownKeyIsUnauthenticated() {
    assertThatThrownBy(() -> stub("Bearer nope", null).findRelated(req("x")))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
  }

  @Test
  void missingKeyIsUnauthenticatedWhenRequired() {
    assertThatThrownBy(() -> stub(null, null).findRelated(req("x")))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
  }

  @Test
  void errorsMapWithoutLeakingInternals() {
    assertThatThrownBy(() -> stub("Bearer secret", null).findRelated(req("api")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("correlation_id");
          assertThat(e.getTrailers().get(ApiException.ERROR_DETAILS_KEY)).isNotNull();
        });
    assertThatThrownBy(() -> stub("Bearer secret", null).findRelated(req("bug")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
          assertThat(e.getStatus().getDescription()).isEqualTo("internal error");
        });
  }
}
