package dev.loralab.web.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Adds the RPC correlation ID {@code rpc:/<full method name>:<id>} (e.g.
 * {@code rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01J...}) of every inbound call to {@link #ID}. The
 * id is the caller's {@code x-request-id} when it is a plain token of at most 64 characters,
 * otherwise a fresh one from the supplier (a ULID generator in practice).
 */
public final class RpcCorrelation implements ServerInterceptor {

  /** The RPC correlation ID of the current call, or {@code null}. */
  public static final Context.Key<String> ID = Context.key("loralab-rpc-correlation-id");

  /** The {@code x-request-id} metadata key. */
  public static final Metadata.Key<String> REQUEST_ID =
      Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

  private static final int MAX_REQUEST_ID = 64;

  private final Supplier<String> ids;

  /** @param ids generates fresh ids (e.g. {@code ulid::next}) */
  public RpcCorrelation(Supplier<String> ids) {
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String requestId = headers.get(REQUEST_ID);
    String id = isPlainToken(requestId) ? requestId : ids.get();
    String correlationId = "rpc:/" + call.getMethodDescriptor().getFullMethodName() + ":" + id;
    return Contexts.interceptCall(Context.current().withValue(ID, correlationId), call, headers, next);
  }

  /** The current call's correlation ID, if any. */
  public static Optional<String> current() {
    return Optional.ofNullable(ID.get());
  }

  static boolean isPlainToken(String s) {
    if (s == null || s.isEmpty() || s.length() > MAX_REQUEST_ID) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '_' && c != '.') {
        return false;
      }
    }
    return true;
  }
}
