package dev.loralab.tests.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.loralab.api.v3.AppAsGrpc;
import dev.loralab.api.v3.ApplicationAccessGrpc;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationRegistryGrpc;
import dev.loralab.api.v3.ApplicationWebhookRegistryGrpc;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EndDeviceRegistryGrpc;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.EventsGrpc;
import dev.loralab.api.v3.GatewayAccessGrpc;
import dev.loralab.api.v3.GatewayRegistryGrpc;
import dev.loralab.api.v3.GetApplicationRequest;
import dev.loralab.api.v3.ListEndDevicesRequest;
import dev.loralab.api.v3.StreamEventsRequest;
import dev.loralab.api.v3.UserAccessGrpc;
import dev.loralab.api.v3.UserRegistryGrpc;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.tests.support.HttpApi;
import dev.loralab.tests.support.StackFixture;
import dev.loralab.tests.support.TestDevice;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, hostile input on the gRPC API: every method of the registry, access, Events, AppAs
 * and webhook services gets no key, a wrong key, an empty request (missing identifiers) and
 * requests whose every string is hostile (path tricks, upper case, very long, NUL) and whose bytes
 * have the wrong length; a key of one application asks for another's. Every answer is a status
 * with a description and a code that says what was wrong, never {@code UNKNOWN} or
 * {@code INTERNAL}; hostile identifiers are never accepted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GrpcFuzzTest {

  private static final List<ServiceDescriptor> SERVICES = List.of(
      ApplicationRegistryGrpc.getServiceDescriptor(), GatewayRegistryGrpc.getServiceDescriptor(),
      EndDeviceRegistryGrpc.getServiceDescriptor(), ApplicationAccessGrpc.getServiceDescriptor(),
      GatewayAccessGrpc.getServiceDescriptor(), UserAccessGrpc.getServiceDescriptor(),
      UserRegistryGrpc.getServiceDescriptor(), EventsGrpc.getServiceDescriptor(), AppAsGrpc.getServiceDescriptor(),
      ApplicationWebhookRegistryGrpc.getServiceDescriptor());

  private static final List<String> HOSTILE_STRINGS = List.of("..", "../../etc/passwd", "a/b", "UPPER", "-x",
      "a\u0000b", "\u00e9\u00e9", "x".repeat(5000), " ");

  /** Codes that describe a refusal of the request itself. */
  private static final Set<Status.Code> REFUSALS = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
      Status.Code.PERMISSION_DENIED, Status.Code.UNAUTHENTICATED, Status.Code.FAILED_PRECONDITION,
      Status.Code.ALREADY_EXISTS, Status.Code.OUT_OF_RANGE, Status.Code.RESOURCE_EXHAUSTED);

  private StackFixture fx;
  private ManagedChannel channel;
  private String appA;
  private String appB;
  private String keyA;
  private TestDevice devB;

  @BeforeAll
  void start(@TempDir Path dir) {
    fx = StackFixture.start(dir);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", fx.stack().grpcPort()).usePlaintext().build();
    appA = fx.createApplication();
    appB = fx.createApplication();
    devB = fx.register(TestDevice.abp(appB, fx.uniqueId("dev"), fx.newEui(0x70B3D57ED0000000L), MacVersion.V1_0_3,
        new DevAddr(0x260E0001), fx.newKey(), null, null, fx.newKey()), "EU_863_870", null);
    ObjectNode req = HttpApi.object();
    req.putObject("application_ids").put("application_id", appA);
    req.put("name", "grpc-fuzz");
    req.putArray("rights").add("RIGHT_APPLICATION_ALL");
    keyA = fx.api().post("/api/v3/applications/" + appA + "/api-keys", req).path("key").asText();
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void everyMethodRefusesMalformedRequestsWithAPreciseStatus() {
    List<String> failures = new ArrayList<>();
    int calls = 0;
    for (ServiceDescriptor service : SERVICES) {
      for (MethodDescriptor<?, ?> m : service.getMethods()) {
        Message empty = prototype(m);
        // Without a key and with a wrong one.
        for (String key : new String[] {null, "garbage", "NNSXS.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"}) {
          Outcome o = call(m, empty, key);
          calls++;
          if (o.code() != Status.Code.UNAUTHENTICATED || o.description().isBlank()) {
            failures.add(m.getFullMethodName() + " with key " + key + ": " + o);
          }
        }
        // Missing identifiers: refused or (lists) answered, never a failure inside.
        Outcome o = call(m, empty, fx.adminKey());
        calls++;
        if (o.code() != Status.Code.OK && (!REFUSALS.contains(o.code()) || o.description().isBlank())) {
          failures.add(m.getFullMethodName() + " empty request: " + o);
        }
        // Every string hostile: refused with a precise status.
        for (String hostile : HOSTILE_STRINGS) {
          Message.Builder b = empty.newBuilderForType();
          fill(b, hostile, 0);
          Outcome h = call(m, b.build(), fx.adminKey());
          calls++;
          boolean search = m.getFullMethodName().equals("ttn.lorawan.v3.Events/FindRelated");
          if (search && h.code() == Status.Code.OK) {
            continue; // a correlation ID is free text: an unknown one finds nothing
          }
          if (!REFUSALS.contains(h.code()) || h.description().isBlank() || h.description().length() > 2000) {
            failures.add(m.getFullMethodName() + " strings '" + abbreviate(hostile) + "': " + h);
          }
        }
      }
    }
    System.out.printf("grpc fuzz: %d calls%n", calls);
    assertThat(failures).as("answers that were not a precise refusal").isEmpty();
  }

  @Test
  void aKeyOfOneApplicationCannotReachAnother() {
    ApplicationIdentifiers b = ApplicationIdentifiers.newBuilder().setApplicationId(appB).build();
    EndDeviceIdentifiers dev = EndDeviceIdentifiers.newBuilder().setApplicationIds(b).setDeviceId(devB.deviceId())
        .build();
    List<Outcome> outcomes = List.of(
        call(ApplicationRegistryGrpc.getGetMethod(), GetApplicationRequest.newBuilder().setApplicationIds(b).build(),
            keyA),
        call(EndDeviceRegistryGrpc.getListMethod(), ListEndDevicesRequest.newBuilder().setApplicationIds(b).build(),
            keyA),
        call(AppAsGrpc.getDownlinkQueueListMethod(), dev, keyA),
        call(EventsGrpc.getStreamMethod(), StreamEventsRequest.newBuilder().addIdentifiers(
            EntityIdentifiers.newBuilder().setApplicationIds(b)).build(), keyA));
    for (Outcome o : outcomes) {
      assertThat(o.code()).as("%s", o).isIn(Status.Code.PERMISSION_DENIED, Status.Code.NOT_FOUND);
      assertThat(o.description()).as("%s", o).isNotBlank().doesNotContainIgnoringCase(devB.devEui().toString());
    }
    // The same key works on its own application.
    assertThat(call(ApplicationRegistryGrpc.getGetMethod(), GetApplicationRequest.newBuilder()
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId(appA)).build(), keyA).code())
        .isEqualTo(Status.Code.OK);
  }

  @Test
  void undecodableRequestBytesAreInvalidArguments() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(0x6B7CL);
    List<String> failures = new ArrayList<>();
    for (ServiceDescriptor service : SERVICES) {
      for (MethodDescriptor<?, ?> m : service.getMethods()) {
        MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(m.getType()).setFullMethodName(m.getFullMethodName())
            .setRequestMarshaller(RAW).setResponseMarshaller(RAW).build();
        for (byte[] garbage : List.of(new byte[] {(byte) 0xFF}, new byte[] {0x0A, 0x7F, 0x01},
            randomBytes(random, 64), randomBytes(random, 2048))) {
          Outcome o = call(raw, garbage, fx.adminKey());
          if (o.code() != Status.Code.INVALID_ARGUMENT || o.description().isBlank()) {
            failures.add(o.toString());
          }
        }
      }
    }
    assertThat(failures).as("answers to undecodable request bytes").isEmpty();
  }

  private static byte[] randomBytes(java.util.SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    b[0] = (byte) 0xFF; // an invalid field tag: never a valid message
    return b;
  }

  private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
    @Override
    public java.io.InputStream stream(byte[] value) {
      return new java.io.ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(java.io.InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  };

  /** The answer to one call: its status code and description. */
  private record Outcome(String method, Status.Code code, String description) {
    @Override
    public String toString() {
      return method + " -> " + code + " '" + (description.length() > 300
          ? description.substring(0, 300) + "...(" + description.length() + " characters)" : description) + "'";
    }
  }

  @SuppressWarnings("unchecked")
  private <Q, R> Outcome call(MethodDescriptor<Q, R> m, Object request, String key) {
    var ch = key == null ? channel : io.grpc.ClientInterceptors.intercept(channel,
        MetadataUtils.newAttachHeadersInterceptor(bearer(key)));
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS);
    try {
      if (m.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
        Iterator<R> it = ClientCalls.blockingServerStreamingCall(ch, m, options, (Q) request);
        // A stream that starts is not a refusal: read its first message and cancel.
        it.hasNext();
        return new Outcome(m.getFullMethodName(), Status.Code.OK, "");
      }
      ClientCalls.blockingUnaryCall(ch, m, options, (Q) request);
      return new Outcome(m.getFullMethodName(), Status.Code.OK, "");
    } catch (StatusRuntimeException e) {
      String d = e.getStatus().getDescription();
      return new Outcome(m.getFullMethodName(), e.getStatus().getCode(), d == null ? "" : d);
    }
  }

  private static Metadata bearer(String key) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return md;
  }

  private static Message prototype(MethodDescriptor<?, ?> m) {
    return (Message) ((MethodDescriptor.PrototypeMarshaller<?>) m.getRequestMarshaller()).getMessagePrototype();
  }

  /** Sets every string (and repeated string) to {@code hostile}, bytes to 3 odd bytes, recursively. */
  private static void fill(Message.Builder b, String hostile, int depth) {
    for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
      if (f.isMapField()) {
        continue;
      }
      switch (f.getJavaType()) {
        case STRING -> {
          if (f.isRepeated()) {
            b.addRepeatedField(f, hostile);
          } else {
            b.setField(f, hostile);
          }
        }
        case BYTE_STRING -> {
          ByteString odd = ByteString.copyFrom(new byte[] {1, 2, 3});
          if (f.isRepeated()) {
            b.addRepeatedField(f, odd);
          } else {
            b.setField(f, odd);
          }
        }
        case MESSAGE -> {
          if (depth < 4 && !f.getMessageType().getFullName().startsWith("google.protobuf.")) {
            Message.Builder sub = b.newBuilderForField(f);
            fill(sub, hostile, depth + 1);
            if (f.isRepeated()) {
              b.addRepeatedField(f, sub.build());
            } else {
              b.setField(f, sub.build());
            }
          }
        }
        default -> {
          // numbers, booleans and enums stay at their defaults
        }
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 20 ? s.substring(0, 10) + "...(" + s.length() + ")" : s.replace("\u0000", "\\0");
  }
}
