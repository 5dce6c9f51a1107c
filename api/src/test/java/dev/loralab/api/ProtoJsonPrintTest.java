package dev.loralab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.loralab.api.v3.Event;
import dev.loralab.api.v3.GatewayIdentifiers;
import org.junit.jupiter.api.Test;

/** ProtoJson.print's contract around the wire printer: builders, errors as ProtoJsonException. */
class ProtoJsonPrintTest {
  @Test
  void builderPrintsLikeItsMessage() {
    Event.Builder b = Event.newBuilder().setName("gs.up.receive")
        .setData(Any.pack(GatewayIdentifiers.newBuilder().setGatewayId("gw1").build()));
    assertThat(ProtoJson.print(b)).isEqualTo(ProtoJson.print(b.build())).isEqualTo(
        "{\"name\":\"gs.up.receive\",\"data\":{\"@type\":"
            + "\"type.googleapis.com/ttn.lorawan.v3.GatewayIdentifiers\",\"gateway_id\":\"gw1\"}}");
  }

  @Test
  void unprintableMessagesFailWithProtoJsonException() {
    Event unknownType = Event.newBuilder().setData(Any.newBuilder()
        .setTypeUrl("type.googleapis.com/x.Nope").setValue(ByteString.copyFromUtf8("z"))).build();
    assertThatThrownBy(() -> ProtoJson.print(unknownType)).isInstanceOf(ProtoJsonException.class)
        .hasMessageContaining("ttn.lorawan.v3.Event").hasMessageContaining("x.Nope");
    Event badTime = Event.newBuilder().setTime(Timestamp.newBuilder().setSeconds(-1L << 40)).build();
    assertThatThrownBy(() -> ProtoJson.print(badTime)).isInstanceOf(ProtoJsonException.class)
        .hasMessageContaining("Timestamp");
    assertThatThrownBy(() -> ProtoJson.print(Value.newBuilder().setNumberValue(Double.NaN)))
        .isInstanceOf(ProtoJsonException.class);
    Event malformed = Event.newBuilder().setData(Any.newBuilder()
        .setTypeUrl("type.googleapis.com/ttn.lorawan.v3.GatewayIdentifiers")
        .setValue(ByteString.copyFrom(new byte[] {0x0A, 0x05, 0x41}))).build();
    assertThatThrownBy(() -> ProtoJson.print(malformed)).isInstanceOf(ProtoJsonException.class)
        .hasMessageContaining("truncated");
  }
}
