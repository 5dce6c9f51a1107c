package dev.loralab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.Event;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.Rights;
import org.junit.jupiter.api.Test;

class ProtoJsonTest {
  @Test
  void eventRoundTrip() {
    Event e = Event.newBuilder().setName("gs.up.receive")
        .setTime(Timestamp.newBuilder().setSeconds(1657011666).setNanos(987556027))
        .addIdentifiers(EntityKeys.gateway("gw2"))
        .setData(Any.pack(GatewayIdentifiers.newBuilder().setGatewayId("gw2").build()))
        .addCorrelationIds("gs:conn:01G76RS17HGZZXV740X0N2XDV8")
        .setVisibility(Rights.newBuilder().addRights(Right.RIGHT_GATEWAY_TRAFFIC_READ))
        .setUniqueId("01G76SF01BNW5SKRAND31Z0MGB").build();
    String json = ProtoJson.print(e);
    assertThat(json).startsWith("{\"name\":\"gs.up.receive\",\"time\":\"2022-07-05T09:01:06.987556027Z\"")
        .contains("\"@type\":\"type.googleapis.com/ttn.lorawan.v3.GatewayIdentifiers\"")
        .contains("\"visibility\":{\"rights\":[\"RIGHT_GATEWAY_TRAFFIC_READ\"]}");
    assertThat(ProtoJson.parse(json, Event.newBuilder()).build()).isEqualTo(e);
  }

  @Test
  void parseRejectsUnknownFieldsAndMalformedJson() {
    assertThatThrownBy(() -> ProtoJson.parse("{\"nope\":1}", Event.newBuilder()))
        .isInstanceOf(ProtoJsonException.class).hasMessageContaining("nope");
    assertThatThrownBy(() -> ProtoJson.parse("{", Event.newBuilder()))
        .isInstanceOf(ProtoJsonException.class);
    assertThatThrownBy(() -> ProtoJson.parse(null, Event.newBuilder()))
        .isInstanceOf(ProtoJsonException.class);
  }

  @Test
  void macCommandEventDataHasTypeUrl() {
    var req = dev.loralab.api.v3.MACCommand.LinkADRReq.newBuilder().setDataRateIndex(5)
        .setTxPowerIndex(1).addChannelMask(true).addChannelMask(false).setNbTrans(1).build();
    Event e = Event.newBuilder().setName("ns.mac.link_adr.request").setData(Any.pack(req)).build();
    String json = ProtoJson.print(e);
    assertThat(json).contains(
        "\"@type\":\"type.googleapis.com/ttn.lorawan.v3.MACCommand.LinkADRReq\"")
        .contains("\"data_rate_index\":5");
    assertThat(ProtoJson.parse(json, Event.newBuilder()).build()).isEqualTo(e);
  }
}
