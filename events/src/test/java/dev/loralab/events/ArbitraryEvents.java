package dev.loralab.events;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.FieldMask;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.SourceContext;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.v3.APIKey;
import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationUplink;
import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.ErrorDetails;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.GatewayStatus;
import dev.loralab.api.v3.GatewayUplinkMessage;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.TxAcknowledgment;
import dev.loralab.api.v3.UplinkMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Events with arbitrary contents for tests of the history's stored form: data of every type the
 * project's events carry (filled with random values), of a type the JSON registry does not know
 * (generated or dynamic), an {@link Any} of an unknown type or none; random visibility,
 * authentication, context, remote IP, user agent, propagation and times with nanoseconds.
 */
final class ArbitraryEvents {

  /** A default instance of each data type of the project's event definitions. */
  static final List<Message> DATA_TYPES = List.of(UplinkMessage.getDefaultInstance(),
      GatewayUplinkMessage.getDefaultInstance(), ApplicationUp.getDefaultInstance(),
      ApplicationUplink.getDefaultInstance(), ApplicationDownlink.getDefaultInstance(),
      DownlinkMessage.getDefaultInstance(), TxAcknowledgment.getDefaultInstance(), GatewayStatus.getDefaultInstance(),
      GatewayIdentifiers.getDefaultInstance(), APIKey.getDefaultInstance(), ErrorDetails.getDefaultInstance(),
      FieldMask.getDefaultInstance(), Value.getDefaultInstance(), EndDeviceIdentifiers.getDefaultInstance());

  /** A message type no registry knows (built at run time). */
  static final Descriptor DYNAMIC_TYPE = dynamicType();

  private static final String[] NAMES = {"gs.up.receive", "ns.up.data.process", "as.up.data.forward",
      "application.update", "x.custom"};
  private static final Right[] RIGHTS = {Right.RIGHT_APPLICATION_TRAFFIC_READ, Right.RIGHT_GATEWAY_TRAFFIC_READ,
      Right.RIGHT_APPLICATION_INFO, Right.RIGHT_APPLICATION_DEVICES_READ};
  private static final String[] TEXT = {"", "a", "dev-1", "é€😀", "\"quoted\"\n", "line\u0001ctl"};

  private final Random rnd;

  ArbitraryEvents(long seed) {
    this.rnd = new Random(seed);
  }

  Random random() {
    return rnd;
  }

  /** An event of one of the {@code targets} with some of {@code correlationIds} and arbitrary contents. */
  Event event(EventFactory factory, Instant time, List<EntityIdentifiers> target, List<String> correlationIds) {
    Event.Builder b = Event.builder(NAMES[rnd.nextInt(NAMES.length)])
        .time(time.plusNanos(rnd.nextInt(3) == 0 ? rnd.nextInt(1_000_000_000) : 0))
        .identifiers(target)
        .uniqueId(uniqueId(factory.ulid().next()))
        .origin(rnd.nextBoolean() ? "host-" + rnd.nextInt(3) : "")
        .propagateToParent(rnd.nextBoolean());
    List<String> ids = new ArrayList<>();
    for (String id : correlationIds) {
      if (rnd.nextBoolean()) {
        ids.add(id);
      }
    }
    b.correlationIds(CorrelationIds.of(ids));
    b.data(data());
    if (rnd.nextBoolean()) {
      List<Right> rights = new ArrayList<>();
      for (Right r : RIGHTS) {
        if (rnd.nextBoolean()) {
          rights.add(r);
        }
      }
      b.visibility(RightSet.of(rights));
    }
    if (rnd.nextInt(3) == 0) {
      b.authentication("Bearer", rnd.nextBoolean() ? "APIKey" : "AccessToken", "key-" + rnd.nextInt(9));
    }
    for (int i = rnd.nextInt(4) == 0 ? rnd.nextInt(3) + 1 : 0; i > 0; i--) {
      b.context("k" + rnd.nextInt(5), ByteString.copyFrom(bytes()));
    }
    if (rnd.nextBoolean()) {
      b.remoteIp(rnd.nextBoolean() ? "192.0.2." + rnd.nextInt(256) : "2001:db8::" + rnd.nextInt(100));
    }
    if (rnd.nextBoolean()) {
      b.userAgent(TEXT[rnd.nextInt(TEXT.length)]);
    }
    return b.build();
  }

  /**
   * Mostly {@code ulid} itself, sometimes a unique ID that is not a canonical ULID (lower case, a
   * suffix), so that stored events keep IDs of both forms.
   */
  String uniqueId(String ulid) {
    switch (rnd.nextInt(6)) {
      case 0:
        return ulid.toLowerCase(java.util.Locale.ROOT);
      case 1:
        return ulid + "-" + rnd.nextInt(3);
      default:
        return ulid;
    }
  }

  /** Data of an event: mostly a project data type, else none, unknown Any, unregistered types. */
  Message data() {
    switch (rnd.nextInt(8)) {
      case 0:
        return null;
      case 1:
        return Any.newBuilder().setTypeUrl("type.googleapis.com/no.such.Type")
            .setValue(ByteString.copyFrom(bytes())).build();
      case 2:
        return rnd.nextBoolean() ? SourceContext.newBuilder().setFileName(text()).build()
            : DynamicMessage.newBuilder(DYNAMIC_TYPE).setField(DYNAMIC_TYPE.findFieldByName("note"), text())
                .addRepeatedField(DYNAMIC_TYPE.findFieldByName("correlation_ids"), "dyn:" + rnd.nextInt(4)).build();
      case 3:
        return Any.pack(fill(DATA_TYPES.get(rnd.nextInt(DATA_TYPES.size())), 2));
      default:
        return fill(DATA_TYPES.get(rnd.nextInt(DATA_TYPES.size())), 3);
    }
  }

  /** A message of {@code prototype}'s type with random values in about half of its fields. */
  Message fill(Message prototype, int depth) {
    Descriptor d = prototype.getDescriptorForType();
    Message.Builder b = prototype.newBuilderForType();
    switch (d.getFullName()) {
      case "google.protobuf.Timestamp":
        return Timestamp.newBuilder().setSeconds(rnd.nextInt(2_000_000_000)).setNanos(rnd.nextInt(1_000_000_000))
            .build();
      case "google.protobuf.Duration":
        return Duration.newBuilder().setSeconds(rnd.nextInt(100_000)).setNanos(rnd.nextInt(1_000_000_000)).build();
      case "google.protobuf.Value":
        return rnd.nextBoolean() ? Value.newBuilder().setStringValue(text()).build()
            : Value.newBuilder().setNumberValue(rnd.nextInt(1000) / 8.0).build();
      case "google.protobuf.Struct":
        return Struct.newBuilder().putFields(text(), Value.newBuilder().setBoolValue(rnd.nextBoolean()).build())
            .build();
      case "google.protobuf.ListValue":
        return ListValue.newBuilder().addValues(Value.newBuilder().setStringValue(text())).build();
      case "google.protobuf.FieldMask":
        return FieldMask.newBuilder().addPaths("ids").addPaths(rnd.nextBoolean() ? "frm_payload" : "session.keys")
            .build();
      case "google.protobuf.Any":
        return Any.pack(GatewayIdentifiers.newBuilder().setGatewayId(text()).build());
      default:
        break;
    }
    for (FieldDescriptor f : d.getFields()) {
      if (rnd.nextBoolean()) {
        continue;
      }
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth <= 0) {
        continue;
      }
      if (f.isRepeated()) {
        for (int i = rnd.nextInt(3); i > 0; i--) {
          b.addRepeatedField(f, value(b, f, depth));
        }
      } else {
        b.setField(f, value(b, f, depth));
      }
    }
    return b.build();
  }

  private Object value(Message.Builder parent, FieldDescriptor f, int depth) {
    switch (f.getJavaType()) {
      case INT:
        return rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(100);
      case LONG:
        return rnd.nextInt(4) == 0 ? rnd.nextLong() : (long) rnd.nextInt(100);
      case FLOAT:
        return rnd.nextInt(100) / 4f;
      case DOUBLE:
        return rnd.nextInt(100_000) / 16.0;
      case BOOLEAN:
        return rnd.nextBoolean();
      case STRING:
        return text();
      case BYTE_STRING:
        return ByteString.copyFrom(bytes());
      case ENUM: {
        List<EnumValueDescriptor> values = f.getEnumType().getValues();
        return values.get(rnd.nextInt(values.size()));
      }
      case MESSAGE:
        if (f.isMapField()) {
          Message.Builder entry = parent.newBuilderForField(f);
          Descriptor e = f.getMessageType();
          entry.setField(e.findFieldByName("key"), value(entry, e.findFieldByName("key"), depth - 1));
          entry.setField(e.findFieldByName("value"), value(entry, e.findFieldByName("value"), depth - 1));
          return entry.build();
        }
        return fill(parent.newBuilderForField(f).getDefaultInstanceForType(), depth - 1);
      default:
        throw new IllegalStateException("field type " + f.getJavaType());
    }
  }

  String text() {
    return TEXT[rnd.nextInt(TEXT.length)] + (rnd.nextBoolean() ? "" : Integer.toString(rnd.nextInt(1000)));
  }

  byte[] bytes() {
    byte[] b = new byte[rnd.nextInt(6)];
    rnd.nextBytes(b);
    return b;
  }

  /** Entities for tests: applications, devices, gateways. */
  static EntityIdentifiers entity(int i) {
    switch (i % 3) {
      case 0:
        return EntityKeys.application("app-" + (i / 3) % 2);
      case 1:
        return EntityKeys.device("app-" + (i / 3) % 2, "dev-" + i);
      default:
        return EntityIdentifiers.newBuilder().setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId("gw-" + i))
            .build();
    }
  }

  private static Descriptor dynamicType() {
    FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("arbitrary_events_test.proto")
        .setPackage("test.dynamic").setSyntax("proto3")
        .addMessageType(DescriptorProto.newBuilder().setName("Note")
            .addField(FieldDescriptorProto.newBuilder().setName("note").setNumber(1)
                .setType(FieldDescriptorProto.Type.TYPE_STRING))
            .addField(FieldDescriptorProto.newBuilder().setName("correlation_ids").setNumber(2)
                .setType(FieldDescriptorProto.Type.TYPE_STRING).setLabel(FieldDescriptorProto.Label.LABEL_REPEATED)))
        .build();
    try {
      return FileDescriptor.buildFrom(file, new FileDescriptor[0]).findMessageTypeByName("Note");
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }
}
