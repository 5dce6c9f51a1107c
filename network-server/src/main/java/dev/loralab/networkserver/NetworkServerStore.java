package dev.loralab.networkserver;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Eui64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The end devices the Network Server works on. Implementations must be thread-safe; the Network
 * Server serializes its own work per device, so {@link #update} only races with writers outside
 * the Network Server.
 */
public interface NetworkServerStore {

  /**
   * Devices whose {@code session.dev_addr} or {@code pending_session.dev_addr} is {@code devAddr}.
   */
  List<EndDevice> byDevAddr(DevAddr devAddr);

  /** The device with these EUIs ({@code ids.join_eui}, {@code ids.dev_eui}). */
  Optional<EndDevice> byEuis(Eui64 joinEui, Eui64 devEui);

  /** The device with these identifiers (application ID and device ID are the key). */
  Optional<EndDevice> get(EndDeviceIdentifiers ids);

  /**
   * Atomically replaces the device by {@code change.apply(current)} and returns the result.
   * {@code change} is applied exactly once. If it throws, the device is left as it was and the
   * exception reaches the caller as it is (the Network Server aborts the processing of an uplink
   * that no longer matches the device this way, without a write). {@code change} runs while
   * concurrent updates of the device wait: it must not block.
   *
   * @param durable true if the change must be on stable storage when this method returns (the
   *     Network Server asks for this before scheduling a downlink that depends on a frame counter)
   * @throws dev.loralab.api.ApiException NOT_FOUND if there is no such device
   */
  EndDevice update(EndDeviceIdentifiers ids, UnaryOperator<EndDevice> change, boolean durable);

  /**
   * Like {@link #update}, without waiting for the write: {@code change} is applied before this
   * method returns (exactly once, or not at all if the device does not exist), and the future
   * completes with the stored device once the write is stored (durably if {@code durable}), or
   * fails with what {@link #update} throws. The next update of the device may be submitted before
   * the future completes and sees this change. Completion may run on a store thread: continue on
   * an executor of your own.
   *
   * <p>The default runs {@link #update} before returning.
   */
  default CompletableFuture<EndDevice> updateAsync(EndDeviceIdentifiers ids,
      UnaryOperator<EndDevice> change, boolean durable) {
    try {
      return CompletableFuture.completedFuture(update(ids, change, durable));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
