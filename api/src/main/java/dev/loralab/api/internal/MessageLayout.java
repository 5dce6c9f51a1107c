package dev.loralab.api.internal;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The precomputed printing table of one message type: its fields sorted by number (the order of
 * {@code getAllFields()}, which JsonFormat prints in), a field-number index, the well-known-type
 * kind, and per field the JSON key, wire type and value kind.
 */
final class MessageLayout {
  /** How a message type is rendered (the JSON mapping of the well-known types). */
  enum Kind {
    PLAIN, ANY, TIMESTAMP, DURATION, FIELD_MASK, STRUCT, VALUE, LIST_VALUE, WRAPPER
  }

  private static final int DENSE_LIMIT = 4096;

  final Descriptor descriptor;
  final Kind kind;
  /** Fields in ascending field-number order. */
  final FieldSlot[] slots;
  final int oneofCount;
  /**
   * The ints one scanned message takes in a printer's frame stack: per field the head and tail of
   * its record chain, per real oneof the case, the unknown-fields flag and the fields seen.
   */
  final int frameSize;
  /**
   * Offsets in a frame: the tails, the oneof cases, the unknown-fields flag, and (types of at most
   * 64 fields) two ints of bits for the field indexes seen, a superset of the fields present.
   */
  final int tailBase;
  final int oneofBase;
  final int unknownIndex;
  final int seenBase;
  /** Whether the frame tracks the field indexes seen (at most 64 fields). */
  final boolean tracksSeen;
  private final FieldSlot[] byNumber;
  private final Map<Integer, FieldSlot> sparse;

  private MessageLayout(Descriptor d, LayoutCache cache) {
    this.descriptor = d;
    this.kind = kindOf(d.getFullName());
    List<FieldDescriptor> fields = new ArrayList<>(d.getFields());
    fields.sort(Comparator.comparingInt(FieldDescriptor::getNumber));
    List<OneofDescriptor> realOneofs = d.getRealOneofs();
    this.oneofCount = realOneofs.size();
    this.slots = new FieldSlot[fields.size()];
    int max = 0;
    for (int i = 0; i < slots.length; i++) {
      FieldDescriptor f = fields.get(i);
      OneofDescriptor o = f.getRealContainingOneof();
      slots[i] = new FieldSlot(i, f, o == null ? -1 : realOneofs.indexOf(o), cache);
      max = Math.max(max, f.getNumber());
    }
    this.tailBase = slots.length;
    this.oneofBase = 2 * slots.length;
    this.unknownIndex = oneofBase + oneofCount;
    this.seenBase = unknownIndex + 1;
    this.tracksSeen = slots.length <= 64;
    this.frameSize = seenBase + 2;
    if (max < DENSE_LIMIT) {
      byNumber = new FieldSlot[max + 1];
      for (FieldSlot s : slots) {
        byNumber[s.number] = s;
      }
      sparse = null;
    } else {
      byNumber = null;
      sparse = new HashMap<>();
      for (FieldSlot s : slots) {
        sparse.put(s.number, s);
      }
    }
  }

  /** The field with this number, or null if the type has none (an unknown field). */
  FieldSlot slot(int number) {
    if (byNumber != null) {
      return number < byNumber.length ? byNumber[number] : null;
    }
    return sparse.get(number);
  }

  private static Kind kindOf(String fullName) {
    switch (fullName) {
      case "google.protobuf.Any": return Kind.ANY;
      case "google.protobuf.Timestamp": return Kind.TIMESTAMP;
      case "google.protobuf.Duration": return Kind.DURATION;
      case "google.protobuf.FieldMask": return Kind.FIELD_MASK;
      case "google.protobuf.Struct": return Kind.STRUCT;
      case "google.protobuf.Value": return Kind.VALUE;
      case "google.protobuf.ListValue": return Kind.LIST_VALUE;
      case "google.protobuf.BoolValue":
      case "google.protobuf.BytesValue":
      case "google.protobuf.DoubleValue":
      case "google.protobuf.FloatValue":
      case "google.protobuf.Int32Value":
      case "google.protobuf.Int64Value":
      case "google.protobuf.StringValue":
      case "google.protobuf.UInt32Value":
      case "google.protobuf.UInt64Value":
        return Kind.WRAPPER;
      default: return Kind.PLAIN;
    }
  }

  /** Layouts per descriptor, built once and shared by all threads. */
  static final class LayoutCache {
    private final ConcurrentHashMap<Descriptor, MessageLayout> layouts = new ConcurrentHashMap<>();

    MessageLayout of(Descriptor d) {
      MessageLayout l = layouts.get(d);
      if (l == null) {
        l = new MessageLayout(d, this);
        MessageLayout prior = layouts.putIfAbsent(d, l);
        if (prior != null) {
          l = prior;
        }
      }
      return l;
    }
  }

  /** One field of a message type, as the printer needs it. */
  static final class FieldSlot {
    final int index;
    final int number;
    final FieldDescriptor field;
    final FieldDescriptor.Type type;
    /** {@code "name":} with the proto field name, in ASCII. */
    final byte[] jsonKey;
    /** The wire type of an unpacked value. */
    final int wireType;
    /** Whether a length-delimited record may hold packed values (repeated numeric fields). */
    final boolean packable;
    final boolean repeated;
    final boolean map;
    /** Singular fields with explicit presence (messages, oneof members, proto3 optional). */
    final boolean presence;
    /** Index among the message's real oneofs, or -1. */
    final int oneof;
    final boolean nullValueEnum;
    private final String[] enumJson;
    /** {@link #enumJson} in ASCII (enum value names are identifiers), null entries alike. */
    private final byte[][] enumJsonBytes;
    private final EnumDescriptor enumType;
    private final LayoutCache cache;
    private volatile MessageLayout messageLayout;

    FieldSlot(int index, FieldDescriptor f, int oneof, LayoutCache cache) {
      this.index = index;
      this.number = f.getNumber();
      this.field = f;
      this.type = f.getType();
      this.jsonKey = ("\"" + f.getName() + "\":").getBytes(StandardCharsets.UTF_8);
      this.wireType = wireTypeOf(type);
      this.repeated = f.isRepeated();
      this.map = f.isMapField();
      this.packable = repeated && wireType != WireReader.LENGTH_DELIMITED
          && wireType != WireReader.START_GROUP;
      this.presence = !repeated && f.hasPresence();
      this.oneof = oneof;
      this.cache = cache;
      if (type == FieldDescriptor.Type.ENUM) {
        enumType = f.getEnumType();
        nullValueEnum = enumType.getFullName().equals("google.protobuf.NullValue");
        int max = -1;
        for (EnumValueDescriptor v : enumType.getValues()) {
          if (v.getNumber() >= 0 && v.getNumber() < 1024) {
            max = Math.max(max, v.getNumber());
          }
        }
        enumJson = new String[max + 1];
        enumJsonBytes = new byte[max + 1][];
        for (int n = 0; n <= max; n++) {
          EnumValueDescriptor v = enumType.findValueByNumber(n);
          enumJson[n] = v == null ? null : "\"" + v.getName() + "\"";
          enumJsonBytes[n] = v == null ? null : enumJson[n].getBytes(StandardCharsets.UTF_8);
        }
      } else {
        enumType = null;
        nullValueEnum = false;
        enumJson = null;
        enumJsonBytes = null;
      }
    }

    /** The JSON of an enum value: its quoted name (first alias), or the bare number if unknown. */
    String enumJson(int n) {
      if (n >= 0 && n < enumJson.length) {
        String s = enumJson[n];
        return s != null ? s : Integer.toString(n);
      }
      EnumValueDescriptor v = enumType.findValueByNumber(n);
      return v == null ? Integer.toString(n) : "\"" + v.getName() + "\"";
    }

    /**
     * {@link #enumJson} as UTF-8 for the precomputed values (0 to 1023 that the enum declares),
     * else null: the caller then prints {@link #enumJson}.
     */
    byte[] enumJsonBytes(int n) {
      return n >= 0 && n < enumJsonBytes.length ? enumJsonBytes[n] : null;
    }

    /** The layout of this message-typed field's type. */
    MessageLayout messageLayout() {
      MessageLayout l = messageLayout;
      if (l == null) {
        l = cache.of(field.getMessageType());
        messageLayout = l;
      }
      return l;
    }

    boolean isMessage() {
      return type == FieldDescriptor.Type.MESSAGE || type == FieldDescriptor.Type.GROUP;
    }

    private static int wireTypeOf(FieldDescriptor.Type t) {
      switch (t) {
        case DOUBLE: case FIXED64: case SFIXED64: return WireReader.FIXED64;
        case FLOAT: case FIXED32: case SFIXED32: return WireReader.FIXED32;
        case STRING: case BYTES: case MESSAGE: return WireReader.LENGTH_DELIMITED;
        case GROUP: return WireReader.START_GROUP;
        default: return WireReader.VARINT;
      }
    }
  }
}
