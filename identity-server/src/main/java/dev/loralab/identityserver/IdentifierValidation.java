package dev.loralab.identityserver;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.loralab.identityserver.internal.EntityValidation;
import dev.loralab.identityserver.internal.IdentityApi;
import dev.loralab.web.grpc.GrpcErrors;
import io.grpc.BindableService;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import java.util.Set;

/**
 * Checks the entity IDs of every gRPC request before the identity server's services see it, as
 * the HTTP routes check their path IDs: a non-empty {@code application_id}, {@code gateway_id},
 * {@code device_id}, {@code user_id} or {@code organization_id} inside an {@code *Identifiers}
 * message must have the ID syntax, or the call ends with {@code INVALID_ARGUMENT} naming the field.
 * Empty IDs are left to the services (which report what is missing).
 */
final class IdentifierValidation implements ServerInterceptor {

  private static final Set<String> ID_FIELDS =
      Set.of("application_id", "gateway_id", "device_id", "user_id", "organization_id");
  /** Identifiers sit at most this deep in a request (e.g. end_device.ids.application_ids). */
  private static final int MAX_DEPTH = 4;
  private static final IdentifierValidation INSTANCE = new IdentifierValidation();

  /** {@code service} behind this validation. */
  static BindableService wrap(BindableService service) {
    ServerServiceDefinition d = ServerInterceptors.intercept(service, INSTANCE);
    return () -> d;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        if (message instanceof Message m) {
          try {
            check(m, "", 0);
          } catch (RegistryException e) {
            refused = true;
            StatusRuntimeException s = GrpcErrors.toStatusRuntimeException(IdentityApi.toApiException(e));
            call.close(s.getStatus(), s.getTrailers());
            return;
          }
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }
    };
  }

  /** Throws {@link InvalidFieldException} for the first ID in {@code m} without the ID syntax. */
  static void check(Message m, String path, int depth) {
    boolean identifiers = m.getDescriptorForType().getName().endsWith("Identifiers");
    for (Map.Entry<FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
      FieldDescriptor fd = f.getKey();
      String name = path.isEmpty() ? fd.getName() : path + "." + fd.getName();
      if (identifiers && fd.getJavaType() == FieldDescriptor.JavaType.STRING && !fd.isRepeated()
          && ID_FIELDS.contains(fd.getName()) && !((String) f.getValue()).isEmpty()) {
        EntityValidation.id(name, (String) f.getValue());
      } else if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth < MAX_DEPTH && !fd.isMapField()) {
        if (fd.isRepeated()) {
          for (Object o : (Iterable<?>) f.getValue()) {
            check((Message) o, name, depth + 1);
          }
        } else {
          check((Message) f.getValue(), name, depth + 1);
        }
      }
    }
  }
}
