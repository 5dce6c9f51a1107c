package dev.loralab.cli.stack.internal;

import dev.loralab.api.ApiException;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.identityserver.EndDeviceRegistry;
import dev.loralab.identityserver.EntityNotFoundException;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Eui64;
import dev.loralab.networkserver.NetworkServerStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;

/** The network server's {@link NetworkServerStore} over the identity server's {@link EndDeviceRegistry}. */
public final class RegistryNetworkServerStore implements NetworkServerStore {

  private final EndDeviceRegistry devices;

  /** @param devices the device registry */
  public RegistryNetworkServerStore(EndDeviceRegistry devices) {
    this.devices = Objects.requireNonNull(devices, "devices");
  }

  @Override
  public List<EndDevice> byDevAddr(DevAddr devAddr) {
    return devices.byDevAddr(devAddr.toString());
  }

  @Override
  public Optional<EndDevice> byEuis(Eui64 joinEui, Eui64 devEui) {
    return devices.getByEui(joinEui.toString(), devEui.toString());
  }

  @Override
  public Optional<EndDevice> get(EndDeviceIdentifiers ids) {
    return devices.get(ids);
  }

  @Override
  public EndDevice update(EndDeviceIdentifiers ids, UnaryOperator<EndDevice> change, boolean durable) {
    try {
      return devices.update(ids, change, durable ? Durability.DURABLE : Durability.BUFFERED);
    } catch (EntityNotFoundException e) {
      throw ApiException.notFound(EntityKeys.of(ids));
    }
  }

  @Override
  public CompletableFuture<EndDevice> updateAsync(EndDeviceIdentifiers ids,
      UnaryOperator<EndDevice> change, boolean durable) {
    return devices.updateAsync(ids, change, durable ? Durability.DURABLE : Durability.BUFFERED)
        .exceptionallyCompose(e -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null
              ? e.getCause() : e;
          return CompletableFuture.failedFuture(cause instanceof EntityNotFoundException
              ? ApiException.notFound(EntityKeys.of(ids)) : cause);
        });
  }
}
