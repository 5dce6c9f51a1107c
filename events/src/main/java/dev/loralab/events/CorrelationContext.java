package dev.loralab.events;

import dev.loralab.web.grpc.RpcCorrelation;
import io.grpc.Context;
import java.util.concurrent.Callable;

/**
 * Carries {@link CorrelationIds} along a call chain in the {@link io.grpc.Context}, across threads
 * wherever the context is propagated ({@code Context.current().wrap(...)}). The current IDs include
 * the inbound RPC's {@code rpc:/...} ID set by {@link RpcCorrelation}.
 */
public final class CorrelationContext {

  /** The correlation IDs of the current call chain. */
  public static final Context.Key<CorrelationIds> KEY = Context.key("loralab-correlation-ids");

  private CorrelationContext() {
  }

  /** The IDs of the current context (plus the RPC correlation ID, if any). */
  public static CorrelationIds current() {
    CorrelationIds ids = KEY.get();
    if (ids == null) {
      ids = CorrelationIds.empty();
    }
    String rpc = RpcCorrelation.ID.get();
    return rpc == null ? ids : ids.with(rpc);
  }

  /** A context with the current IDs plus {@code more}. */
  public static Context with(CorrelationIds more) {
    return Context.current().withValue(KEY, current().merge(more));
  }

  /** Runs {@code task} with the current IDs plus {@code more}. */
  public static void run(CorrelationIds more, Runnable task) {
    with(more).run(task);
  }

  /** Calls {@code task} with the current IDs plus {@code more}. */
  public static <T> T call(CorrelationIds more, Callable<T> task) throws Exception {
    return with(more).call(task);
  }
}
