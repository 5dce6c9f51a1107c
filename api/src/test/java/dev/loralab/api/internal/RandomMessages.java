package dev.loralab.api.internal;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DoubleValue;
import com.google.protobuf.Duration;
import com.google.protobuf.Empty;
import com.google.protobuf.FieldMask;
import com.google.protobuf.FloatValue;
import com.google.protobuf.Int32Value;
import com.google.protobuf.Int64Value;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.NullValue;
import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import com.google.protobuf.Value;
import dev.loralab.api.ApiFiles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded generator of generated-class messages of every type in the api module with random
 * values in every field kind: scalars at their extremes, NaN and infinities, strings with escapes,
 * control characters, non-ASCII and surrogate pairs, bytes, known and unknown enum values,
 * repeated fields, maps, oneofs, nested messages, Any of registered types and well-known types.
 */
final class RandomMessages {
  private static final List<Descriptor> TYPES = allTypes();
  private static final String[] PIECES = {
    "a", "Z", "0", "_", " ", "dev", "\"", "\\", "/", "<", ">", "&", "=", "'", "\t", "\n", "\r", "\b",
    "\f", "\u0000", "\u0001", "\u001f", "\u007f", "\u0080", "é", "中文", "\u2028", "\u2029", "\ufffd",
    "\ud83d\ude00", "\ud800\udc00", "\udbff\udfff", "\uffff", "\u00ff", "%", "+", "?"};
  private static final Message[] WKT_DEFAULTS = {
    Timestamp.getDefaultInstance(), Duration.getDefaultInstance(), Struct.getDefaultInstance(),
    Value.getDefaultInstance(), ListValue.getDefaultInstance(), FieldMask.getDefaultInstance(),
    Empty.getDefaultInstance(), Any.getDefaultInstance(), BoolValue.getDefaultInstance(),
    BytesValue.getDefaultInstance(), DoubleValue.getDefaultInstance(),
    FloatValue.getDefaultInstance(), Int32Value.getDefaultInstance(),
    Int64Value.getDefaultInstance(), StringValue.getDefaultInstance(),
    UInt32Value.getDefaultInstance(), UInt64Value.getDefaultInstance()};

  private final Random rnd;
  private final int maxDepth;

  RandomMessages(long seed, int maxDepth) {
    this.rnd = new Random(seed);
    this.maxDepth = maxDepth;
  }

  /** Every message type of the api module (nested types included, map entries excluded). */
  static List<Descriptor> types() {
    return TYPES;
  }

  Descriptor anyType() {
    return TYPES.get(rnd.nextInt(TYPES.size()));
  }

  /** A random message of type {@code d} (a generated class or a well-known type). */
  Message message(Descriptor d) {
    return message(defaultInstance(d).newBuilderForType(), 0);
  }

  private Message message(Message.Builder b, int depth) {
    Descriptor d = b.getDescriptorForType();
    switch (d.getFullName()) {
      case "google.protobuf.Any": return any(depth);
      case "google.protobuf.Timestamp":
        return Timestamp.newBuilder()
            .setSeconds(pick(-62_135_596_800L, 253_402_300_799L, 0L, -1L, 1_700_000_000L,
                -62_135_596_800L + rnd.nextInt(1_000_000_000),
                Math.floorMod(rnd.nextLong(), 253_402_300_799L + 62_135_596_800L) - 62_135_596_800L))
            .setNanos(nanos(false)).build();
      case "google.protobuf.Duration": {
        long s = pick(0L, 1L, -1L, 315_576_000_000L, -315_576_000_000L,
            Math.floorMod(rnd.nextLong(), 630_000_000_000L) - 315_000_000_000L);
        int n = nanos(true);
        if (s > 0 && n < 0 || s < 0 && n > 0) {
          n = -n;
        }
        return Duration.newBuilder().setSeconds(s).setNanos(n).build();
      }
      case "google.protobuf.FieldMask": {
        FieldMask.Builder m = FieldMask.newBuilder();
        for (int i = rnd.nextInt(4); i > 0; i--) {
          m.addPaths(pick("", "a", "dev_eui", "session.keys.app_s_key", "ids.device_id",
              "mac_settings.rx2_data_rate_index", "__x__", "Upper_Case", "a_b_c", "x_1_y", "é_é"));
        }
        return m.build();
      }
      case "google.protobuf.Struct": return struct(depth);
      case "google.protobuf.Value": return value(depth);
      case "google.protobuf.ListValue": return list(depth);
      default:
        break;
    }
    for (FieldDescriptor f : d.getFields()) {
      if (rnd.nextInt(3) == 0) {
        continue;
      }
      if (f.isMapField()) {
        // Distinct keys, as a map has: a generated builder given duplicate entries through
        // reflection keeps them in its list view (which JsonFormat prints) but not on the wire.
        Set<Object> keys = new HashSet<>();
        for (int i = rnd.nextInt(4); i > 0; i--) {
          Message.Builder e = b.newBuilderForField(f);
          FieldDescriptor k = e.getDescriptorForType().findFieldByNumber(1);
          FieldDescriptor v = e.getDescriptorForType().findFieldByNumber(2);
          if (rnd.nextInt(5) != 0) {
            e.setField(k, scalarOrMessage(e, k, depth));
          }
          if (!keys.add(e.getField(k))) {
            continue;
          }
          if (rnd.nextInt(5) != 0) {
            e.setField(v, scalarOrMessage(e, v, depth));
          }
          b.addRepeatedField(f, e.build());
        }
      } else if (f.isRepeated()) {
        for (int i = rnd.nextInt(4); i > 0; i--) {
          b.addRepeatedField(f, scalarOrMessage(b, f, depth));
        }
      } else {
        b.setField(f, scalarOrMessage(b, f, depth));
      }
    }
    return b.build();
  }

  private Object scalarOrMessage(Message.Builder parent, FieldDescriptor f, int depth) {
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      if (depth >= maxDepth) {
        return parent.newBuilderForField(f).build();
      }
      return message(parent.newBuilderForField(f), depth + 1);
    }
    return scalar(f);
  }

  Object scalar(FieldDescriptor f) {
    switch (f.getJavaType()) {
      case INT: return pick(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, rnd.nextInt(),
          rnd.nextInt(300));
      case LONG: return pick(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, rnd.nextLong(),
          (long) rnd.nextInt(), 1L << 53);
      case FLOAT: return pick(0f, -0f, 1f, -1.5f, Float.NaN, Float.POSITIVE_INFINITY,
          Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE, Float.MIN_NORMAL, 1e-5f, 1e7f,
          -35f, 7.8f, 0.1f, Float.intBitsToFloat(rnd.nextInt()), rnd.nextFloat() * 200 - 100);
      case DOUBLE: return pick(0d, -0d, 1d, -1.5d, Double.NaN, Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 1e-5, 1e7, 0.1, 1e21,
          123456789.125, Double.longBitsToDouble(rnd.nextLong()), rnd.nextDouble() * 1e6);
      case BOOLEAN: return rnd.nextBoolean();
      case STRING: return string();
      case BYTE_STRING: {
        byte[] b = new byte[pick(0, 1, 2, 3, 4, 16, 28, rnd.nextInt(100))];
        rnd.nextBytes(b);
        return ByteString.copyFrom(b);
      }
      case ENUM: {
        List<EnumValueDescriptor> vs = f.getEnumType().getValues();
        if (rnd.nextInt(6) == 0) {
          return f.getEnumType().findValueByNumberCreatingIfUnknown(
              pick(-1, 1000, 12345, Integer.MAX_VALUE, Integer.MIN_VALUE));
        }
        return vs.get(rnd.nextInt(vs.size()));
      }
      default: throw new AssertionError(f.getJavaType());
    }
  }

  String string() {
    StringBuilder sb = new StringBuilder();
    for (int i = pick(0, 1, 3, 8, 20); i > 0; i--) {
      sb.append(PIECES[rnd.nextInt(PIECES.length)]);
    }
    return sb.toString();
  }

  private int nanos(boolean signed) {
    int n = pick(0, 1, 999_999_999, 500_000_000, 123_000_000, 123_456_000, 123_456_789,
        rnd.nextInt(1_000_000_000), rnd.nextInt(1000) * 1_000_000, rnd.nextInt(1_000_000) * 1000);
    return signed && rnd.nextBoolean() ? -n : n;
  }

  Any any(int depth) {
    int c = rnd.nextInt(10);
    if (c == 0) {
      return Any.getDefaultInstance();
    }
    if (c <= 2 || depth >= maxDepth) {
      Message wkt = WKT_DEFAULTS[rnd.nextInt(WKT_DEFAULTS.length)];
      Message m = depth >= maxDepth && wkt instanceof Any ? wkt
          : message(wkt.newBuilderForType(), depth + 1);
      return Any.pack(m);
    }
    Any a = Any.pack(message(defaultInstance(anyType()).newBuilderForType(), depth + 1));
    if (rnd.nextInt(8) == 0) {
      a = a.toBuilder().setTypeUrl(pick("x.example/", "a/b/", "/", "https://h/p/")
          + a.getTypeUrl().substring(a.getTypeUrl().lastIndexOf('/') + 1)).build();
    }
    return a;
  }

  private Struct struct(int depth) {
    Struct.Builder s = Struct.newBuilder();
    for (int i = rnd.nextInt(4); i > 0; i--) {
      s.putFields(string(), depth >= maxDepth ? Value.getDefaultInstance() : value(depth + 1));
    }
    return s.build();
  }

  private ListValue list(int depth) {
    ListValue.Builder l = ListValue.newBuilder();
    for (int i = rnd.nextInt(4); i > 0; i--) {
      l.addValues(depth >= maxDepth ? Value.getDefaultInstance() : value(depth + 1));
    }
    return l.build();
  }

  private Value value(int depth) {
    switch (rnd.nextInt(depth >= maxDepth ? 5 : 7)) {
      case 0: return Value.getDefaultInstance();
      case 1: return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
      case 2: return Value.newBuilder().setNumberValue(pick(0d, -0d, 1.5, -1e300, 1e21, 3.0,
          Double.MIN_VALUE, rnd.nextDouble())).build();
      case 3: return Value.newBuilder().setStringValue(string()).build();
      case 4: return Value.newBuilder().setBoolValue(rnd.nextBoolean()).build();
      case 5: return Value.newBuilder().setStructValue(struct(depth + 1)).build();
      default: return Value.newBuilder().setListValue(list(depth + 1)).build();
    }
  }

  @SafeVarargs
  private <T> T pick(T... options) {
    return options[rnd.nextInt(options.length)];
  }

  /** The generated default instance of {@code d}. */
  static Message defaultInstance(Descriptor d) {
    for (Message m : WKT_DEFAULTS) {
      if (m.getDescriptorForType() == d) {
        return m;
      }
    }
    String name = d.getName();
    for (Descriptor c = d.getContainingType(); c != null; c = c.getContainingType()) {
      name = c.getName() + "$" + name;
    }
    FileDescriptor f = d.getFile();
    String pkg = f.getOptions().getJavaPackage();
    if (!f.getOptions().getJavaMultipleFiles()) {
      name = f.getOptions().getJavaOuterClassname() + "$" + name;
    }
    try {
      return (Message) Class.forName(pkg + "." + name).getMethod("getDefaultInstance").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("no generated class for " + d.getFullName(), e);
    }
  }

  private static List<Descriptor> allTypes() {
    List<Descriptor> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (FileDescriptor f : ApiFiles.all()) {
      for (Descriptor d : f.getMessageTypes()) {
        add(d, out, seen);
      }
    }
    return List.copyOf(out);
  }

  private static void add(Descriptor d, List<Descriptor> out, Set<String> seen) {
    if (d.getOptions().getMapEntry() || !seen.add(d.getFullName())) {
      return;
    }
    out.add(d);
    for (Descriptor n : d.getNestedTypes()) {
      add(n, out, seen);
    }
  }
}
