package dev.loralab.events;

import static dev.loralab.events.TestCatalogue.APPLICATION_UPDATE;
import static dev.loralab.events.TestCatalogue.AS_UP_DATA_FORWARD;
import static dev.loralab.events.TestCatalogue.APP1;
import static dev.loralab.events.TestCatalogue.APP2;
import static dev.loralab.events.TestCatalogue.DEV1;
import static dev.loralab.events.TestCatalogue.NS_UP_DATA_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.v3.EventsGrpc;
import dev.loralab.api.v3.FindRelatedEventsRequest;
import dev.loralab.api.v3.StreamEventsRequest;
import dev.loralab.web.grpc.GrpcAuth;
import dev.loralab.web.grpc.RpcCorrelation;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Iterator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventsGrpcServiceTest {

  private ScheduledExecutorService executor;
  private InMemoryEventBus bus;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    executor = Executors.newScheduledThreadPool(2);
    EventsConfig config = EventsConfig.defaults();
    bus = new InMemoryEventBus(config, new InMemoryEventHistory(config, Clock.systemUTC()), EventFactory.system(),
        new SimpleMeterRegistry());
    EventStreams streams = new EventStreams(bus, bus.history(), TestCatalogue.catalogue(),
        TestCatalogue.accessControl(), EventFactory.system(), config, executor);
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).executor(Executors.newFixedThreadPool(2))
        .addService(ServerInterceptors.intercept(new EventsGrpcService(streams),
            new GrpcAuth(TestCatalogue.accessControl()), new RpcCorrelation(Ulid.system()::next)))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    bus.close();
    executor.shutdownNow();
  }

  private EventsGrpc.EventsBlockingStub stub(String key) {
    Metadata md = new Metadata();
    if (key != null) {
      md.put(GrpcAuth.AUTHORIZATION, "Bearer " + key);
    }
    return EventsGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
  }

  @Test
  void streamSendsStartThenHistoryThenLiveEvents() {
    Event old = AS_UP_DATA_FORWARD.with(CorrelationIds.empty(), null, DEV1);
    bus.publish(old);
    Iterator<dev.loralab.api.v3.Event> it = stub("app1-key").stream(StreamEventsRequest.newBuilder()
        .addIdentifiers(APP1).setTail(10).build());
    dev.loralab.api.v3.Event start = it.next();
    assertThat(start.getName()).isEqualTo("events.stream.start");
    assertThat(start.getCorrelationIdsList()).singleElement().asString()
        .startsWith("rpc:/ttn.lorawan.v3.Events/Stream:");
    assertThat(it.next().getUniqueId()).isEqualTo(old.uniqueId());
    bus.publish(NS_UP_DATA_RECEIVE.with(CorrelationIds.empty(), null, DEV1)); // not propagated
    Event live = APPLICATION_UPDATE.with(CorrelationIds.empty(), null, APP1);
    bus.publish(live);
    assertThat(it.next().getUniqueId()).isEqualTo(live.uniqueId());
  }

  @Test
  void streamErrors() {
    assertCode(() -> stub(null).stream(StreamEventsRequest.newBuilder().addIdentifiers(APP1).build()).next(),
        Status.Code.UNAUTHENTICATED);
    assertCode(() -> stub("nope").stream(StreamEventsRequest.newBuilder().addIdentifiers(APP1).build()).next(),
        Status.Code.UNAUTHENTICATED);
    assertCode(() -> stub("app1-key").stream(StreamEventsRequest.newBuilder().build()).next(),
        Status.Code.INVALID_ARGUMENT);
    assertCode(() -> stub("app1-key").stream(StreamEventsRequest.newBuilder().addIdentifiers(APP1)
        .addNames("no.such.event").build()).next(), Status.Code.INVALID_ARGUMENT);
    assertThatThrownBy(() -> stub("app1-key").stream(StreamEventsRequest.newBuilder().addIdentifiers(APP2).build())
        .next()).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(e.getStatus().getDescription()).contains("application:app2");
        });
  }

  @Test
  void findRelated() {
    String cid = CorrelationIds.newId(CorrelationIds.AS_UP);
    Event e = AS_UP_DATA_FORWARD.with(CorrelationIds.of(cid), null, DEV1);
    bus.publish(e);
    var resp = stub("app1-key").findRelated(FindRelatedEventsRequest.newBuilder().setCorrelationId(cid).build());
    assertThat(resp.getEventsList()).singleElement().satisfies(ev -> assertThat(ev.getUniqueId()).isEqualTo(e.uniqueId()));
    assertCode(() -> stub("app1-key").findRelated(FindRelatedEventsRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT);
    assertCode(() -> stub(null).findRelated(FindRelatedEventsRequest.newBuilder().setCorrelationId(cid).build()),
        Status.Code.UNAUTHENTICATED);
  }

  private static void assertCode(Runnable call, Status.Code code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }
}
