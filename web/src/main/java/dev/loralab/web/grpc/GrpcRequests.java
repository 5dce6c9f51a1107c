package dev.loralab.web.grpc;

import io.grpc.BindableService;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Undecodable request messages answered with {@code INVALID_ARGUMENT}. gRPC Java fails a call
 * whose request bytes its marshaller cannot parse with {@code UNKNOWN} ("Application error
 * processing RPC"); a service wrapped here receives the raw bytes, checks that they parse, and only
 * then hands them on to the original (typed) service.
 */
public final class GrpcRequests {

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private GrpcRequests() {
  }

  /** {@code service} with undecodable requests refused as {@code INVALID_ARGUMENT}. */
  public static ServerServiceDefinition strictParsing(BindableService service) {
    return strictParsing(service.bindService());
  }

  /** {@code definition} with undecodable requests refused as {@code INVALID_ARGUMENT}. */
  public static ServerServiceDefinition strictParsing(ServerServiceDefinition definition) {
    Map<String, MethodDescriptor<?, ?>> methods = new HashMap<>();
    for (ServerMethodDefinition<?, ?> m : definition.getMethods()) {
      methods.put(m.getMethodDescriptor().getFullMethodName(), m.getMethodDescriptor());
    }
    return ServerInterceptors.intercept(ServerInterceptors.useMarshalledMessages(definition, BYTES),
        new ParseCheck(methods));
  }

  private static final class ParseCheck implements ServerInterceptor {
    private final Map<String, MethodDescriptor<?, ?>> methods;

    ParseCheck(Map<String, MethodDescriptor<?, ?>> methods) {
      this.methods = methods;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      MethodDescriptor<?, ?> original = methods.get(call.getMethodDescriptor().getFullMethodName());
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
        private boolean refused;

        @Override
        public void onMessage(Q message) {
          if (original != null && message instanceof byte[] b) {
            try {
              original.parseRequest(new ByteArrayInputStream(b));
            } catch (RuntimeException e) {
              refused = true;
              call.close(Status.INVALID_ARGUMENT.withDescription("request: expected a "
                  + original.getFullMethodName() + " request message, found " + b.length
                  + " bytes that do not decode"), new Metadata());
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
  }
}
