package dev.loralab.applicationserver.formatters;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * Cayenne Low Power Payload (LPP) codec: a sequence of {@code channel | type | value} records, all
 * multi-byte values big-endian, signed unless noted. Decoded fields are named
 * {@code <type name>_<channel>}, e.g. {@code temperature_3}; the three-axis and GPS types decode to
 * objects ({@code {x,y,z}} and {@code {latitude,longitude,altitude}}).
 *
 * <p>Pure functions: bytes in, value out; malformed input raises {@link PayloadFormatterException}.
 *
 * <table>
 *   <caption>Supported data types (type byte, size, resolution)</caption>
 *   <tr><td>digital_in</td><td>0x00</td><td>1</td><td>1, unsigned</td></tr>
 *   <tr><td>digital_out</td><td>0x01</td><td>1</td><td>1, unsigned</td></tr>
 *   <tr><td>analog_in</td><td>0x02</td><td>2</td><td>0.01</td></tr>
 *   <tr><td>analog_out</td><td>0x03</td><td>2</td><td>0.01</td></tr>
 *   <tr><td>luminosity</td><td>0x65</td><td>2</td><td>1 lux, unsigned</td></tr>
 *   <tr><td>presence</td><td>0x66</td><td>1</td><td>1, unsigned</td></tr>
 *   <tr><td>temperature</td><td>0x67</td><td>2</td><td>0.1 °C</td></tr>
 *   <tr><td>relative_humidity</td><td>0x68</td><td>1</td><td>0.5 %, unsigned</td></tr>
 *   <tr><td>accelerometer</td><td>0x71</td><td>6</td><td>0.001 G per axis</td></tr>
 *   <tr><td>barometric_pressure</td><td>0x73</td><td>2</td><td>0.1 hPa, unsigned</td></tr>
 *   <tr><td>gyrometer</td><td>0x86</td><td>6</td><td>0.01 °/s per axis</td></tr>
 *   <tr><td>gps</td><td>0x88</td><td>9</td><td>0.0001° lat/lon, 0.01 m altitude (3 bytes each)</td></tr>
 * </table>
 */
public final class CayenneLpp {

  /** One LPP data type: name, type byte, and its components (size in bytes, decimals, signedness). */
  private record LppType(String name, int code, List<String> axes, int bytesPerAxis, int decimals,
      boolean signed, int halfSteps) {
    int size() {
      return axes.size() * bytesPerAxis;
    }
  }

  private static final List<String> SCALAR = List.of("");
  private static final List<String> XYZ = List.of("x", "y", "z");
  private static final List<String> GPS_AXES = List.of("latitude", "longitude", "altitude");

  private static final List<LppType> TYPES = List.of(
      new LppType("digital_in", 0x00, SCALAR, 1, 0, false, 0),
      new LppType("digital_out", 0x01, SCALAR, 1, 0, false, 0),
      new LppType("analog_in", 0x02, SCALAR, 2, 2, true, 0),
      new LppType("analog_out", 0x03, SCALAR, 2, 2, true, 0),
      new LppType("luminosity", 0x65, SCALAR, 2, 0, false, 0),
      new LppType("presence", 0x66, SCALAR, 1, 0, false, 0),
      new LppType("temperature", 0x67, SCALAR, 2, 1, true, 0),
      // Relative humidity has a resolution of 0.5 %: raw value = 2 * percent.
      new LppType("relative_humidity", 0x68, SCALAR, 1, 0, false, 2),
      new LppType("accelerometer", 0x71, XYZ, 2, 3, true, 0),
      new LppType("barometric_pressure", 0x73, SCALAR, 2, 1, false, 0),
      new LppType("gyrometer", 0x86, XYZ, 2, 2, true, 0),
      new LppType("gps", 0x88, GPS_AXES, 3, -1, true, 0));

  private static final Map<Integer, LppType> BY_CODE;
  private static final Map<String, LppType> BY_NAME;

  static {
    java.util.HashMap<Integer, LppType> byCode = new java.util.HashMap<>();
    java.util.HashMap<String, LppType> byName = new java.util.HashMap<>();
    for (LppType t : TYPES) {
      byCode.put(t.code(), t);
      byName.put(t.name(), t);
    }
    BY_CODE = Map.copyOf(byCode);
    BY_NAME = Map.copyOf(byName);
  }

  private CayenneLpp() {}

  /**
   * Decodes an LPP payload.
   *
   * @throws PayloadFormatterException for an unknown type, a truncated record or a channel that
   *     appears twice with the same type
   */
  public static Struct decode(byte[] payload) {
    if (payload == null) {
      throw new PayloadFormatterException("payload", "a byte string", "null");
    }
    Struct.Builder out = Struct.newBuilder();
    int i = 0;
    while (i < payload.length) {
      if (payload.length - i < 2) {
        throw new PayloadFormatterException("record at offset " + i,
            "channel and type (2 bytes)", (payload.length - i) + " byte");
      }
      int channel = payload[i] & 0xFF;
      int code = payload[i + 1] & 0xFF;
      LppType type = BY_CODE.get(code);
      if (type == null) {
        throw new PayloadFormatterException("type of channel " + channel + " at offset " + (i + 1),
            "a Cayenne LPP type", String.format("0x%02X", code));
      }
      int start = i + 2;
      if (payload.length - start < type.size()) {
        throw new PayloadFormatterException(type.name() + "_" + channel,
            type.size() + " value bytes", (payload.length - start) + " bytes");
      }
      String key = type.name() + "_" + channel;
      if (out.containsFields(key)) {
        throw new PayloadFormatterException(key, "each channel and type once", "a repeated " + key);
      }
      out.putFields(key, decodeValue(type, payload, start));
      i = start + type.size();
    }
    return out.build();
  }

  private static Value decodeValue(LppType type, byte[] b, int off) {
    if (type.axes() == SCALAR) {
      return number(scale(type, 0, read(b, off, type.bytesPerAxis(), type.signed())));
    }
    Struct.Builder s = Struct.newBuilder();
    for (int a = 0; a < type.axes().size(); a++) {
      long raw = read(b, off + a * type.bytesPerAxis(), type.bytesPerAxis(), type.signed());
      s.putFields(type.axes().get(a), number(scale(type, a, raw)));
    }
    return Value.newBuilder().setStructValue(s).build();
  }

  private static int decimals(LppType type, int axis) {
    if (type.decimals() >= 0) {
      return type.decimals();
    }
    return axis < 2 ? 4 : 2; // GPS: latitude/longitude 0.0001°, altitude 0.01 m
  }

  private static double scale(LppType type, int axis, long raw) {
    BigDecimal v = BigDecimal.valueOf(raw).movePointLeft(decimals(type, axis));
    if (type.halfSteps() > 0) {
      v = v.divide(BigDecimal.valueOf(type.halfSteps()));
    }
    return v.doubleValue();
  }

  private static long read(byte[] b, int off, int len, boolean signed) {
    long v = 0;
    for (int k = 0; k < len; k++) {
      v = (v << 8) | (b[off + k] & 0xFF);
    }
    if (signed) {
      int shift = 64 - 8 * len;
      v = (v << shift) >> shift;
    }
    return v;
  }

  private static Value number(double d) {
    return Value.newBuilder().setNumberValue(d).build();
  }

  /**
   * Encodes an object in the decoded form ({@code <type name>_<channel>} fields) to LPP bytes, in
   * the order of the object's fields.
   *
   * @throws PayloadFormatterException for an unknown field name, a channel outside 0..255, a value
   *     of the wrong shape, or a value that does not fit the type's range
   */
  public static byte[] encode(Struct data) {
    if (data == null) {
      throw new PayloadFormatterException("data", "an object", "null");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, Value> e : data.getFieldsMap().entrySet()) {
      String key = e.getKey();
      int sep = key.lastIndexOf('_');
      LppType type = sep > 0 ? BY_NAME.get(key.substring(0, sep)) : null;
      if (type == null) {
        throw new PayloadFormatterException("field " + key,
            "<type>_<channel> with a Cayenne LPP type name", "'" + key + "'");
      }
      int channel = parseChannel(key, key.substring(sep + 1));
      out.write(channel);
      out.write(type.code());
      Value v = e.getValue();
      if (type.axes() == SCALAR) {
        writeAxis(out, type, 0, key, v);
      } else {
        if (v.getKindCase() != Value.KindCase.STRUCT_VALUE) {
          throw new PayloadFormatterException(key, "an object with " + type.axes(), kind(v));
        }
        Struct s = v.getStructValue();
        for (int a = 0; a < type.axes().size(); a++) {
          String axis = type.axes().get(a);
          Value av = s.getFieldsOrDefault(axis, null);
          if (av == null) {
            throw new PayloadFormatterException(key + "." + axis, "a number", "nothing");
          }
          writeAxis(out, type, a, key + "." + axis, av);
        }
      }
    }
    return out.toByteArray();
  }

  private static int parseChannel(String key, String s) {
    if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new PayloadFormatterException("channel of " + key, "0..255", "'" + s + "'");
    }
    int c = Integer.parseInt(s);
    if (c > 255) {
      throw new PayloadFormatterException("channel of " + key, "0..255", s);
    }
    return c;
  }

  private static void writeAxis(ByteArrayOutputStream out, LppType type, int axis, String field,
      Value v) {
    if (v.getKindCase() != Value.KindCase.NUMBER_VALUE) {
      throw new PayloadFormatterException(field, "a number", kind(v));
    }
    double d = v.getNumberValue();
    if (!Double.isFinite(d)) {
      throw new PayloadFormatterException(field, "a finite number", Double.toString(d));
    }
    BigDecimal scaled = BigDecimal.valueOf(d).movePointRight(decimals(type, axis));
    if (type.halfSteps() > 0) {
      scaled = scaled.multiply(BigDecimal.valueOf(type.halfSteps()));
    }
    BigDecimal rounded = scaled.setScale(0, RoundingMode.HALF_UP);
    int bits = 8 * type.bytesPerAxis();
    long min = type.signed() ? -(1L << (bits - 1)) : 0;
    long max = type.signed() ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
    if (rounded.compareTo(BigDecimal.valueOf(min)) < 0
        || rounded.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new PayloadFormatterException(field, "a value encoding to " + min + ".." + max
          + " in steps of the type's resolution", Double.toString(d));
    }
    long raw = rounded.longValue();
    for (int k = type.bytesPerAxis() - 1; k >= 0; k--) {
      out.write((int) (raw >> (8 * k)) & 0xFF);
    }
  }

  private static String kind(Value v) {
    return switch (v.getKindCase()) {
      case NULL_VALUE -> "null";
      case NUMBER_VALUE -> "a number";
      case STRING_VALUE -> "a string";
      case BOOL_VALUE -> "a boolean";
      case STRUCT_VALUE -> "an object";
      case LIST_VALUE -> "a list";
      case KIND_NOT_SET -> "nothing";
    };
  }
}
