package dev.loralab.web.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.v3.EventsGrpc;
import dev.loralab.api.v3.FindRelatedEventsRequest;
import dev.loralab.api.v3.FindRelatedEventsResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GrpcRequestsTest {

  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    EventsGrpc.EventsImplBase events = new EventsGrpc.EventsImplBase() {
      @Override
      public void findRelated(FindRelatedEventsRequest r, StreamObserver<FindRelatedEventsResponse> o) {
        o.onNext(FindRelatedEventsResponse.getDefaultInstance());
        o.onCompleted();
      }
    };
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(GrpcRequests.strictParsing(events)).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  };

  @Test
  void validRequestsAreServedAndUndecodableOnesAreInvalidArguments() {
    assertThat(EventsGrpc.newBlockingStub(channel).findRelated(FindRelatedEventsRequest.newBuilder()
        .setCorrelationId("x").build())).isNotNull();
    MethodDescriptor<byte[], byte[]> raw = EventsGrpc.getFindRelatedMethod().toBuilder(RAW, RAW).build();
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT,
        new byte[] {(byte) 0xFF, 0x01, 0x02}))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> {
          Status s = ((StatusRuntimeException) e).getStatus();
          assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(s.getDescription()).contains("ttn.lorawan.v3.Events/FindRelated");
        });
  }
}
