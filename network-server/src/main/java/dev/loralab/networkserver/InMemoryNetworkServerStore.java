package dev.loralab.networkserver;

import dev.loralab.api.ApiException;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Eui64;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A {@link NetworkServerStore} in memory, <b>for tests and demos</b>: lookups by DevAddr and EUI
 * scan every device. It records every {@link #update} (identifiers and durability) in
 * {@link #updates()} so that tests can check the order of writes and downlinks.
 */
public final class InMemoryNetworkServerStore implements NetworkServerStore {

  /** One recorded update. */
  public record Update(EndDeviceIdentifiers ids, boolean durable, EndDevice result) {}

  private final ConcurrentHashMap<String, EndDevice> devices = new ConcurrentHashMap<>();
  private final List<Update> updates = new CopyOnWriteArrayList<>();
  private final List<Runnable> updateListeners = new CopyOnWriteArrayList<>();

  private static String key(EndDeviceIdentifiers ids) {
    return ids.getApplicationIds().getApplicationId() + "/" + ids.getDeviceId();
  }

  /** Adds or replaces a device. */
  public void put(EndDevice device) {
    devices.put(key(device.getIds()), device);
  }

  /** Every update so far, oldest first. */
  public List<Update> updates() {
    return List.copyOf(updates);
  }

  /** Runs {@code listener} after each update (tests use it to observe ordering). */
  public void onUpdate(Runnable listener) {
    updateListeners.add(listener);
  }

  @Override
  public List<EndDevice> byDevAddr(DevAddr devAddr) {
    String a = devAddr.toString();
    List<EndDevice> out = new ArrayList<>();
    for (EndDevice d : devices.values()) {
      if ((d.hasSession() && a.equalsIgnoreCase(d.getSession().getDevAddr()))
          || (d.hasPendingSession() && a.equalsIgnoreCase(d.getPendingSession().getDevAddr()))) {
        out.add(d);
      }
    }
    return out;
  }

  @Override
  public Optional<EndDevice> byEuis(Eui64 joinEui, Eui64 devEui) {
    String j = joinEui.toString();
    String e = devEui.toString();
    return devices.values().stream()
        .filter(d -> e.equalsIgnoreCase(d.getIds().getDevEui())
            && j.equalsIgnoreCase(d.getIds().getJoinEui()))
        .findFirst();
  }

  @Override
  public Optional<EndDevice> get(EndDeviceIdentifiers ids) {
    return Optional.ofNullable(devices.get(key(ids)));
  }

  @Override
  public EndDevice update(EndDeviceIdentifiers ids, UnaryOperator<EndDevice> change,
      boolean durable) {
    String k = key(ids);
    EndDevice result = devices.computeIfPresent(k, (x, cur) -> change.apply(cur));
    if (result == null) {
      throw ApiException.notFound("device " + k);
    }
    updates.add(new Update(ids, durable, result));
    updateListeners.forEach(Runnable::run);
    return result;
  }
}
