package dev.loralab.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.Location;
import dev.loralab.api.v3.MACState;
import org.junit.jupiter.api.Test;

class EndDeviceCopiesTest {

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
  void builderOfCopiesEveryFieldOfEndDevice() {
    EndDevice.Builder all = EndDevice.newBuilder();
    for (FieldDescriptor f : EndDevice.getDescriptor().getFields()) {
      EndDevice one = withField(EndDevice.newBuilder(), f);
      assertEquals(one, EndDeviceCopies.builderOf(one).build(), f.getName());
      assertEquals(one.toByteString(), EndDeviceCopies.builderOf(one).build().toByteString(),
          f.getName());
      if (!f.isMapField()) {
        withField(all, f);
      }
    }
    // every field but the maps at once: the copied path, not the toBuilder fallback
    EndDevice full = all.build();
    assertEquals(full, EndDeviceCopies.builderOf(full).build());
    assertEquals(full, full.toBuilder().build());
  }

  @Test
  void builderOfKeepsMapsUnknownFieldsAndLongNonceLists() {
    EndDevice withMaps = EndDevice.newBuilder().setFrequencyPlanId("EU_863_870")
        .putAttributes("a", "b").putLocations("user", Location.newBuilder().setLatitude(1).build())
        .build();
    assertEquals(withMaps, EndDeviceCopies.builderOf(withMaps).build());

    EndDevice.Builder nonces = EndDevice.newBuilder();
    for (int i = 0; i < 40; i++) {
      nonces.addUsedDevNonces(i);
    }
    assertEquals(nonces.build(), EndDeviceCopies.builderOf(nonces.build()).build());

    EndDevice unknown = EndDevice.newBuilder().setNetId("000013")
        .setUnknownFields(UnknownFieldSet.newBuilder()
            .addField(999, UnknownFieldSet.Field.newBuilder().addVarint(5).build()).build())
        .build();
    EndDevice copy = EndDeviceCopies.builderOf(unknown).build();
    assertEquals(unknown, copy);
    assertArrayEquals(unknown.toByteArray(), copy.toByteArray());
  }

  @Test
  void builderOfChangesLeaveTheOriginalAsItWas() {
    EndDevice d = EndDevice.newBuilder().setFrequencyPlanId("EU_863_870")
        .setMacState(MACState.newBuilder().setAdrAckReqCount(1)).build();
    EndDevice.Builder b = EndDeviceCopies.builderOf(d);
    b.getMacStateBuilder().setAdrAckReqCount(2);
    assertEquals(1, d.getMacState().getAdrAckReqCount());
    assertEquals(2, b.build().getMacState().getAdrAckReqCount());
  }
}
