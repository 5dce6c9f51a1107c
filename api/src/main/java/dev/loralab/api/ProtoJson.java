package dev.loralab.api;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.Empty;
import com.google.protobuf.FieldMask;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.Value;
import com.google.protobuf.BoolValue;
import com.google.protobuf.BytesValue;
import com.google.protobuf.DoubleValue;
import com.google.protobuf.FloatValue;
import com.google.protobuf.Int32Value;
import com.google.protobuf.Int64Value;
import com.google.protobuf.ListValue;
import com.google.protobuf.StringValue;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import com.google.protobuf.util.JsonFormat;
import dev.loralab.api.internal.WireJsonPrinter;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The project's protobuf JSON rendering: proto field names (snake_case), compact, default values
 * omitted, and a type registry containing every message of this module plus the well-known types so
 * that {@link Any} fields render with {@code @type}. This is the format of event JSON.
 *
 * <p>Printing produces exactly the output of protobuf-java-util's {@code JsonFormat} printer in this
 * configuration, but transcodes the binary encoding instead of using reflection
 * ({@code dev.loralab.api.internal.WireJsonPrinter}). Parsing uses {@code JsonFormat}.
 */
public final class ProtoJson {
  private static final TypeRegistry REGISTRY = buildRegistry();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().usingTypeRegistry(REGISTRY).preservingProtoFieldNames()
          .omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(REGISTRY);
  private static final WireJsonPrinter WIRE_PRINTER = new WireJsonPrinter(REGISTRY);
  private static final byte[] NO_BYTES = new byte[0];

  private ProtoJson() {}

  /** The registry of all message types known to this module and the well-known types. */
  public static TypeRegistry typeRegistry() {
    return REGISTRY;
  }

  /**
   * Prints a message as compact protobuf JSON.
   *
   * @throws ProtoJsonException if the message contains an {@code Any} of an unknown type or with
   *     malformed content, or a Timestamp, Duration or {@code Value} number JSON cannot represent
   */
  public static String print(MessageOrBuilder message) {
    if (message instanceof Message) {
      return WIRE_PRINTER.print((Message) message);
    }
    if (message instanceof Message.Builder) {
      return WIRE_PRINTER.print(((Message.Builder) message).buildPartial());
    }
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new ProtoJsonException("cannot print " + message.getDescriptorForType().getFullName()
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * Prints a message as compact protobuf JSON in UTF-8: the bytes of
   * {@code print(message).getBytes(UTF_8)}, without the intermediate String.
   *
   * @throws ProtoJsonException as {@link #print(MessageOrBuilder)}
   */
  public static byte[] printUtf8(Message message) {
    return WIRE_PRINTER.printUtf8(message, NO_BYTES, NO_BYTES);
  }

  /**
   * Prints a message as compact protobuf JSON in UTF-8 framed by {@code prefix} and {@code suffix}
   * (already UTF-8, e.g. a stream frame's envelope) in one array, without an intermediate String or
   * re-encoding: for well-formed UTF-8 prefix and suffix, the bytes of
   * {@code (prefixText + print(message) + suffixText).getBytes(UTF_8)}.
   *
   * @throws ProtoJsonException as {@link #print(MessageOrBuilder)}
   */
  public static byte[] printUtf8(Message message, byte[] prefix, byte[] suffix) {
    return WIRE_PRINTER.printUtf8(message, Objects.requireNonNull(prefix, "prefix"),
        Objects.requireNonNull(suffix, "suffix"));
  }

  /**
   * Prints the message of type {@code type} whose binary encoding is {@code encoding} (e.g. kept from
   * an earlier {@code toByteArray()}) as compact protobuf JSON, without parsing it into a message:
   * for an encoding the type's parser accepts, the same as {@code print(parsed message)}. The bytes
   * are decoded as the parser does (strict UTF-8, nesting depth); they are not modified or kept.
   *
   * @throws ProtoJsonException as {@link #print(MessageOrBuilder)}, or if the encoding is malformed
   */
  public static String print(Descriptor type, byte[] encoding) {
    return WIRE_PRINTER.print(Objects.requireNonNull(type, "type"), Objects.requireNonNull(encoding, "encoding"));
  }

  /**
   * {@link #print(Descriptor, byte[])} in UTF-8 framed by {@code prefix} and {@code suffix}, as
   * {@link #printUtf8(Message, byte[], byte[])} frames {@link #print(MessageOrBuilder)}.
   *
   * @throws ProtoJsonException as {@link #print(Descriptor, byte[])}
   */
  public static byte[] printUtf8(Descriptor type, byte[] encoding, byte[] prefix, byte[] suffix) {
    return WIRE_PRINTER.printUtf8(Objects.requireNonNull(type, "type"), Objects.requireNonNull(encoding, "encoding"),
        Objects.requireNonNull(prefix, "prefix"), Objects.requireNonNull(suffix, "suffix"));
  }

  /**
   * {@link #printUtf8(Descriptor, byte[], byte[], byte[])} into {@code sink} instead of a new array
   * (e.g. straight into a stream's frame buffer): the sink receives exactly the bytes that method
   * returns, in one {@link Utf8Sink#write} call from a buffer reused by this thread, and nothing if
   * printing fails.
   *
   * @throws ProtoJsonException as {@link #print(Descriptor, byte[])}
   */
  public static void printUtf8(Descriptor type, byte[] encoding, byte[] prefix, byte[] suffix, Utf8Sink sink) {
    WIRE_PRINTER.printUtf8(Objects.requireNonNull(type, "type"), Objects.requireNonNull(encoding, "encoding"),
        Objects.requireNonNull(prefix, "prefix"), Objects.requireNonNull(suffix, "suffix"),
        Objects.requireNonNull(sink, "sink"));
  }

  /**
   * {@link #printUtf8(Message, byte[], byte[])} into {@code sink}, as
   * {@link #printUtf8(Descriptor, byte[], byte[], byte[], Utf8Sink)} is to its array form.
   *
   * @throws ProtoJsonException as {@link #print(MessageOrBuilder)}
   */
  public static void printUtf8(Message message, byte[] prefix, byte[] suffix, Utf8Sink sink) {
    WIRE_PRINTER.printUtf8(message, Objects.requireNonNull(prefix, "prefix"),
        Objects.requireNonNull(suffix, "suffix"), Objects.requireNonNull(sink, "sink"));
  }

  /**
   * Merges protobuf JSON into {@code builder} and returns it. Unknown fields are rejected.
   *
   * @throws ProtoJsonException naming the problem if the JSON is malformed or does not fit
   */
  public static <B extends Message.Builder> B parse(String json, B builder) {
    if (json == null) {
      throw new ProtoJsonException("cannot parse " + builder.getDescriptorForType().getFullName()
          + ": json is null", null);
    }
    try {
      PARSER.merge(json, builder);
      return builder;
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new ProtoJsonException("cannot parse " + builder.getDescriptorForType().getFullName()
          + ": " + e.getMessage(), e);
    }
  }

  private static TypeRegistry buildRegistry() {
    TypeRegistry.Builder b = TypeRegistry.newBuilder();
    Set<String> seen = new HashSet<>();
    for (FileDescriptor f : ApiFiles.all()) {
      addFile(b, f, seen);
    }
    for (Descriptor d : new Descriptor[] {
        Any.getDescriptor(), Duration.getDescriptor(), Empty.getDescriptor(),
        FieldMask.getDescriptor(), Struct.getDescriptor(), Value.getDescriptor(),
        ListValue.getDescriptor(), Timestamp.getDescriptor(), BoolValue.getDescriptor(),
        BytesValue.getDescriptor(), DoubleValue.getDescriptor(), FloatValue.getDescriptor(),
        Int32Value.getDescriptor(), Int64Value.getDescriptor(), StringValue.getDescriptor(),
        UInt32Value.getDescriptor(), UInt64Value.getDescriptor()}) {
      b.add(d);
    }
    return b.build();
  }

  private static void addFile(TypeRegistry.Builder b, FileDescriptor f, Set<String> seen) {
    if (!seen.add(f.getFullName())) {
      return;
    }
    b.add(f.getMessageTypes()); // nested types are added by TypeRegistry.Builder
    for (FileDescriptor dep : f.getDependencies()) {
      addFile(b, dep, seen);
    }
  }
}
