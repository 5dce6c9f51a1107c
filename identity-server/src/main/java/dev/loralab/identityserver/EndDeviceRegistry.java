package dev.loralab.identityserver;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.identityserver.store.Durability;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * End devices: the whole device (identity, root keys, MAC settings and state, sessions, frame
 * counters, DevNonces) in one record. The identity, network, join and application servers use it
 * in-process, each for its part.
 *
 * <p>Indexes: by JoinEUI+DevEUI (unique) and by DevAddr (of the session and the pending session,
 * not unique). {@link #update} is serialized per device, so concurrent read-modify-write by
 * several servers never loses an update. All methods may block on storage; never call them on a
 * Netty event loop.
 */
public interface EndDeviceRegistry {
  /**
   * Creates a device (validated, timestamps set) and stores it durably.
   *
   * @throws EntityAlreadyExistsException if the ID or the JoinEUI/DevEUI pair is taken
   * @throws InvalidFieldException if a field is invalid
   * @throws EntityNotFoundException if the application does not exist
   */
  EndDevice create(EndDevice device);

  /** The device with these application and device IDs (EUIs and DevAddr are ignored). */
  Optional<EndDevice> get(EndDeviceIdentifiers ids);

  /** The device with this JoinEUI and DevEUI (16 hex digits each, any case), if any. */
  Optional<EndDevice> getByEui(String joinEui, String devEui);

  /**
   * Every device whose session or pending session has this DevAddr (8 hex digits, any case), in
   * key order. Several devices may share a DevAddr; the caller tells them apart by MIC.
   */
  List<EndDevice> byDevAddr(String devAddr);

  /** The devices of an application, ordered by device ID. */
  List<EndDevice> list(String applicationId);

  /**
   * Reads the device, applies {@code mutator} and stores the result, serialized per device:
   * concurrent updates of the same device run one after the other, each seeing the previous
   * result. The IDs (application and device ID) and {@code created_at} cannot change;
   * {@code updated_at} is set; indexes follow changed EUIs and DevAddrs. The mutator must not
   * block for long (it runs under the device's lock) and may throw to abort the update.
   *
   * @param durability {@link Durability#DURABLE} when something is acknowledged on the strength of
   *     this write (frame counter before a downlink, DevNonce before a join-accept)
   * @return the stored device
   * @throws EntityNotFoundException if the device does not exist
   * @throws EntityAlreadyExistsException if a changed JoinEUI/DevEUI pair is taken
   */
  EndDevice update(EndDeviceIdentifiers ids, UnaryOperator<EndDevice> mutator,
      Durability durability);

  /**
   * Like {@link #update}, but does not wait for the write: the mutator runs before this method
   * returns (under the device's lock, as for {@link #update}), and the returned future completes
   * with the stored device once the write has reached the requested durability, or fails with the
   * exceptions {@link #update} throws (or a store failure). Updates of the same device submitted
   * after this one see its result at once; readers ({@link #get}, {@link #byDevAddr}, ...) see it
   * once the future has completed at the latest, and may see it as soon as the store shows it (a
   * store such as RocksDB shows a write before it is synced), but a reader is never answered a
   * device older than one it has already been answered. Completion may run on a thread of the store: callers
   * continue elsewhere instead of blocking it.
   */
  default CompletableFuture<EndDevice> updateAsync(EndDeviceIdentifiers ids,
      UnaryOperator<EndDevice> mutator, Durability durability) {
    try {
      return CompletableFuture.completedFuture(
          update(ids, mutator, durability));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Like {@link #updateAsync}, with the change made on a builder of the device as its last write
   * left it: {@code edit} sets the fields that change and the registry builds the device once.
   * {@code updateAsync(ids, d -> d.toBuilder()...build(), durability)} builds it twice (the
   * mutator's copy, then the registry's copy that sets {@code updated_at}), and every protobuf
   * builder copy of an {@code EndDevice} re-creates its map fields even when they are empty;
   * this saves one of them. The result, the exceptions, the ordering and the visibility are those
   * of {@link #updateAsync}; {@code edit} must not keep the builder.
   */
  default CompletableFuture<EndDevice> editAsync(EndDeviceIdentifiers ids,
      Consumer<EndDevice.Builder> edit, Durability durability) {
    return updateAsync(ids, d -> {
      EndDevice.Builder b = d.toBuilder();
      edit.accept(b);
      return b.build();
    }, durability);
  }

  /**
   * Adds a listener told of every write of a device that completes from now on (creates, updates,
   * deletes, failed writes), see {@link EndDeviceWriteListener}.
   */
  void addWriteListener(EndDeviceWriteListener listener);

  /** Deletes a device and its index entries; returns whether it existed. */
  boolean delete(EndDeviceIdentifiers ids);

  /** Deletes every device of an application; returns how many. */
  int deleteAll(String applicationId);
}
