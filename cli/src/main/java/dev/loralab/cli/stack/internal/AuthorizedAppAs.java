package dev.loralab.cli.stack.internal;

import dev.loralab.api.AppAs;
import dev.loralab.api.ApiException;
import dev.loralab.api.auth.AccessControl;
import dev.loralab.api.auth.Caller;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.auth.PermissionDenied;
import dev.loralab.api.auth.Unauthenticated;
import dev.loralab.api.v3.ApplicationDownlinks;
import dev.loralab.api.v3.DownlinkQueueRequest;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.Right;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The user-facing {@link AppAs} with rights checks: the caller (from a supplier, e.g. the gRPC
 * context of {@code GrpcAuth}) needs {@code RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE} on the device's
 * application to push or replace, and {@code RIGHT_APPLICATION_TRAFFIC_READ} to list.
 */
public final class AuthorizedAppAs implements AppAs {

  private final AppAs delegate;
  private final AccessControl access;
  private final Supplier<Caller> caller;

  /**
   * @param delegate the application server
   * @param access   rights lookup
   * @param caller   the authenticated caller of the current call (throws if there is none)
   */
  public AuthorizedAppAs(AppAs delegate, AccessControl access, Supplier<Caller> caller) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.access = Objects.requireNonNull(access, "access");
    this.caller = Objects.requireNonNull(caller, "caller");
  }

  @Override
  public CompletableFuture<Void> downlinkQueuePush(DownlinkQueueRequest req) {
    return check(req.getEndDeviceIds(), Right.RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE)
        .thenCompose(v -> delegate.downlinkQueuePush(req));
  }

  @Override
  public CompletableFuture<Void> downlinkQueueReplace(DownlinkQueueRequest req) {
    return check(req.getEndDeviceIds(), Right.RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE)
        .thenCompose(v -> delegate.downlinkQueueReplace(req));
  }

  @Override
  public CompletableFuture<ApplicationDownlinks> downlinkQueueList(EndDeviceIdentifiers ids) {
    return check(ids, Right.RIGHT_APPLICATION_TRAFFIC_READ).thenCompose(v -> delegate.downlinkQueueList(ids));
  }

  private CompletableFuture<Void> check(EndDeviceIdentifiers ids, Right right) {
    if (ids.getApplicationIds().getApplicationId().isEmpty() || ids.getDeviceId().isEmpty()) {
      return CompletableFuture.failedFuture(ApiException.invalidArgument("end_device_ids",
          "expected application_ids.application_id and device_id, found " + EntityKeys.of(ids)));
    }
    try {
      Caller c = caller.get();
      access.requireAny(c, EntityKeys.entity(ids.getApplicationIds()), List.of(right));
      return CompletableFuture.completedFuture(null);
    } catch (PermissionDenied e) {
      return CompletableFuture.failedFuture(ApiException.permissionDenied(
          EntityKeys.entity(ids.getApplicationIds()), e.getMessage()));
    } catch (Unauthenticated e) {
      return CompletableFuture.failedFuture(ApiException.unauthenticated(e.getMessage()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
