package dev.loralab.networkserver.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Location;
import dev.loralab.api.v3.MACState;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.FCtrl;
import dev.loralab.lorawan.frame.FHdr;
import dev.loralab.lorawan.frame.MType;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ProtosTest {

  /** A non-default value for a singular field (or one element of a repeated one). */
  private static Object sample(Message.Builder parent, FieldDescriptor f) {
    return switch (f.getJavaType()) {
      case INT -> 7;
      case LONG -> 7L;
      case FLOAT -> 0.5f;
      case DOUBLE -> 0.5d;
      case BOOLEAN -> true;
      case STRING -> "s-" + f.getName();
      case BYTE_STRING -> ByteString.copyFromUtf8(f.getName());
      case ENUM -> f.getEnumType().getValues().get(f.getEnumType().getValues().size() - 1);
      case MESSAGE -> {
        Message.Builder sub = parent.newBuilderForField(f);
        // a sub-message with one field set (an empty one is set as well, but show content)
        FieldDescriptor first = sub.getDescriptorForType().getFields().get(0);
        if (f.isMapField()) {
          sub.setField(sub.getDescriptorForType().findFieldByName("key"), "k");
          FieldDescriptor value = sub.getDescriptorForType().findFieldByName("value");
          sub.setField(value, value.getJavaType() == FieldDescriptor.JavaType.MESSAGE
              ? sub.newBuilderForField(value).build() : "v");
        } else if (!first.isRepeated() && first.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
          sub.setField(first, sample(sub, first));
        }
        yield sub.build();
      }
    };
  }

  private static EndDevice withField(EndDevice.Builder b, FieldDescriptor f) {
    if (f.isRepeated()) {
      b.addRepeatedField(f, sample(b, f));
    } else {
      b.setField(f, sample(b, f));
    }
    return b.build();
  }

  @Test
  void deviceBuilderCopiesEveryFieldOfEndDevice() {
    EndDevice.Builder all = EndDevice.newBuilder();
    for (FieldDescriptor f : EndDevice.getDescriptor().getFields()) {
      EndDevice one = withField(EndDevice.newBuilder(), f);
      assertEquals(one, Protos.deviceBuilder(one).build(), f.getName());
      assertEquals(one.toByteString(), Protos.deviceBuilder(one).build().toByteString(),
          f.getName());
      if (!f.isMapField()) {
        withField(all, f);
      }
    }
    // every field but the maps at once: the copied path, not the toBuilder fallback
    EndDevice full = all.build();
    assertEquals(full, Protos.deviceBuilder(full).build());
    assertEquals(full, full.toBuilder().build());
  }

  @Test
  void deviceBuilderKeepsMapsUnknownFieldsAndLongNonceLists() {
    EndDevice withMaps = EndDevice.newBuilder().setFrequencyPlanId("EU_863_870")
        .putAttributes("a", "b").putLocations("user", Location.newBuilder().setLatitude(1).build())
        .build();
    assertEquals(withMaps, Protos.deviceBuilder(withMaps).build());

    EndDevice.Builder nonces = EndDevice.newBuilder();
    for (int i = 0; i < 40; i++) {
      nonces.addUsedDevNonces(i);
    }
    assertEquals(nonces.build(), Protos.deviceBuilder(nonces.build()).build());

    EndDevice unknown = EndDevice.newBuilder().setNetId("000013")
        .setUnknownFields(UnknownFieldSet.newBuilder()
            .addField(999, UnknownFieldSet.Field.newBuilder().addVarint(5).build()).build())
        .build();
    EndDevice copy = Protos.deviceBuilder(unknown).build();
    assertEquals(unknown, copy);
    assertArrayEquals(unknown.toByteArray(), copy.toByteArray());
  }

  @Test
  void deviceBuilderChangesLeaveTheOriginalAsItWas() {
    EndDevice d = EndDevice.newBuilder().setFrequencyPlanId("EU_863_870")
        .setMacState(MACState.newBuilder().setAdrAckReqCount(1)).build();
    EndDevice.Builder b = Protos.deviceBuilder(d);
    b.getMacStateBuilder().setAdrAckReqCount(2);
    assertEquals(1, d.getMacState().getAdrAckReqCount());
    assertEquals(2, b.build().getMacState().getAdrAckReqCount());
  }

  @Test
  void entityIsEqualWhetherOrNotTheIdentifiersCarryTheDevAddr() {
    EndDeviceIdentifiers bare = EndDeviceIdentifiers.newBuilder().setDeviceId("d1").build();
    EndDeviceIdentifiers withAddr = bare.toBuilder().setDevAddr("26011234").build();
    EntityIdentifiers expected = EntityIdentifiers.newBuilder().setDeviceIds(withAddr).build();
    assertEquals(expected, Protos.entity(bare, "26011234"));
    assertEquals(expected, Protos.entity(withAddr, "26011234"));
    // another DevAddr than the one in the identifiers: the given one wins
    assertEquals(EntityIdentifiers.newBuilder()
        .setDeviceIds(bare.toBuilder().setDevAddr("26019999")).build(),
        Protos.entity(withAddr, "26019999"));
    assertEquals(EntityIdentifiers.newBuilder().setDeviceIds(withAddr).build(),
        Protos.entity(withAddr, ""));
  }

  @Test
  void dataMessageWithTheFormattedDevAddrIsTheSame() {
    DevAddr addr = DevAddr.parse("26011234");
    DataFrame f = new DataFrame(MType.data(true, true),
        new FHdr(addr, new FCtrl.Uplink(true, false, true, false), 5,
            Bytes.of(new byte[] {0x02})),
        OptionalInt.of(3), Bytes.of(new byte[] {1, 2, 3}), new Mic(0x01020304));
    assertEquals(Protos.dataMessage(f, 0x10005), Protos.dataMessage(f, "26011234", 0x10005));
    dev.loralab.api.v3.Message m = Protos.dataMessage(f, 0x10005);
    assertEquals(ByteString.copyFrom(new byte[] {1, 2, 3}),
        m.getMacPayload().getFrmPayload());
    assertEquals(ByteString.copyFrom(new byte[] {2}), m.getMacPayload().getFHdr().getFOpts());
    assertEquals(ByteString.copyFrom(new Mic(0x01020304).toBytes()), m.getMic());
    DataFrame empty = new DataFrame(MType.data(true, false),
        new FHdr(addr, new FCtrl.Uplink(false, false, false, false), 1, Bytes.EMPTY),
        OptionalInt.empty(), Bytes.EMPTY, new Mic(0));
    assertEquals(ByteString.EMPTY, Protos.dataMessage(empty, 1).getMacPayload().getFrmPayload());
    assertEquals(ByteString.EMPTY,
        Protos.dataMessage(empty, 1).getMacPayload().getFHdr().getFOpts());
  }
}
