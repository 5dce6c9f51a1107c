package dev.loralab.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.ApplicationIdentifiers;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventTest {

  private static final Instant T = Instant.parse("2022-07-05T09:01:06.987556027Z");
  private final EventFactory factory = new EventFactory(Clock.fixed(T, ZoneOffset.UTC),
      new Ulid(Clock.fixed(T, ZoneOffset.UTC), new Random(3)), "host1");

  @Test
  void jsonFollowsTheSeedFormat() {
    EntityIdentifiers gw = EntityIdentifiers.newBuilder().setGatewayIds(
        GatewayIdentifiers.newBuilder().setGatewayId("gw2").setEui("B827EBFFFE8DB887")).build();
    Event e = factory.builder(TestCatalogue.GS_UP_RECEIVE).identifiers(gw).uniqueId("01G76SF01BNW5SKRAND31Z0MGB")
        .correlationIds(CorrelationIds.of("gs:uplink:01G76SF01BNW5SKRAND31Z0MGB", "gs:conn:01G76RS17HGZZXV740X0N2XDV8"))
        .build();
    assertThat(e.toJson()).isEqualTo("{\"name\":\"gs.up.receive\",\"time\":\"2022-07-05T09:01:06.987556027Z\","
        + "\"identifiers\":[{\"gateway_ids\":{\"gateway_id\":\"gw2\",\"eui\":\"B827EBFFFE8DB887\"}}],"
        + "\"correlation_ids\":[\"gs:conn:01G76RS17HGZZXV740X0N2XDV8\",\"gs:uplink:01G76SF01BNW5SKRAND31Z0MGB\"],"
        + "\"origin\":\"host1\",\"visibility\":{\"rights\":[\"RIGHT_GATEWAY_TRAFFIC_READ\"]},"
        + "\"unique_id\":\"01G76SF01BNW5SKRAND31Z0MGB\"}");
    assertThat(e.toJson()).isSameAs(e.toJson());
    assertThat(e.toProto()).isSameAs(e.toProto());
  }

  @Test
  void dataIsAnyWithTypeAndCorrelationIdsAreMerged() throws InvalidProtocolBufferException {
    EntityIdentifiers dev = EntityIdentifiers.newBuilder().setDeviceIds(EndDeviceIdentifiers.newBuilder()
        .setDeviceId("dev2").setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1"))
        .setDevEui("70B3D57ED0050EAD").setJoinEui("0000000000000000").setDevAddr("004C2AA4")).build();
    ApplicationUp up = ApplicationUp.newBuilder().addCorrelationIds("gs:uplink:01G76SF01BNW5SKRAND31Z0MGB").build();
    Event e = factory.create(TestCatalogue.AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:01X"), up, dev);
    assertThat(e.correlationIds().asList()).containsExactly("as:up:01X", "gs:uplink:01G76SF01BNW5SKRAND31Z0MGB");
    assertThat(e.toJson()).contains("\"data\":{\"@type\":\"type.googleapis.com/ttn.lorawan.v3.ApplicationUp\"")
        .contains("\"dev_eui\":\"70B3D57ED0050EAD\"").contains("\"dev_addr\":\"004C2AA4\"");
    assertThat(e.dataAs(ApplicationUp.class)).isEqualTo(up);
    Event back = Event.fromProto(e.toProto());
    assertThat(back.toJson()).isEqualTo(e.toJson());
    assertThat(back.dataAs(ApplicationUp.class)).isEqualTo(up);
  }

  @Test
  void streamFramesAreEncodedOnceAndShared() {
    Event e = factory.create(TestCatalogue.AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:1"),
        ApplicationUp.getDefaultInstance(), TestCatalogue.DEV1);
    assertThat(new String(e.sseFrameUtf8(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("id: " + e.uniqueId() + "\ndata: {\"result\":" + e.toJson() + "}\n\n");
    assertThat(new String(e.ndjsonFrameUtf8(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"result\":" + e.toJson() + "}\n");
    assertThat(e.sseFrameUtf8()).isSameAs(e.sseFrameUtf8());
    assertThat(e.ndjsonFrameUtf8()).isSameAs(e.ndjsonFrameUtf8());
  }

  @Test
  void redactedKeepsOnlyPublicFields() {
    Event e = factory.create(TestCatalogue.AS_UP_DATA_FORWARD, CorrelationIds.of("as:up:1"),
        ApplicationUp.getDefaultInstance(), TestCatalogue.DEV1);
    Event r = e.redacted();
    assertThat(r.data()).isNull();
    assertThat(r.correlationIds().isEmpty()).isTrue();
    assertThat(r.uniqueId()).isEqualTo(e.uniqueId());
    assertThat(r.identifiers()).isEqualTo(e.identifiers());
    assertThat(r.visibility()).isEqualTo(e.visibility());
  }

  @Test
  void identifiersMustBeSet() {
    assertThatThrownBy(() -> factory.create(TestCatalogue.GS_UP_RECEIVE, CorrelationIds.empty(), null,
        EntityIdentifiers.getDefaultInstance())).hasMessageContaining("ids not set");
  }
}
