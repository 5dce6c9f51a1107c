package dev.loralab.networkserver.internal;

import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.lorawan.DevAddr;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The strings an uplink needs per DevAddr and per device (the formatted DevAddr, the serial
 * executor's lane keys), remembered in small direct-mapped tables so that an uplink of a recent
 * device reuses them (and their cached hash codes) instead of formatting and concatenating them
 * again. Entries are immutable, so plain reads and writes race harmlessly: a reader sees a whole
 * entry or another one, and builds the strings again on a miss.
 */
final class LaneKeys {

  /**
   * Slots per table (a power of two): 256 KiB of references each. A fleet visits its devices in
   * turn, so a table much smaller than the fleet misses on nearly every uplink (4,096 slots did at
   * 10,000 devices); 65,536 keep most entries of a fleet of that size.
   */
  private static final int SLOTS = 1 << 16;

  private record AddrEntry(int devAddr, String formatted, String laneKey) {}

  private record DeviceEntry(EndDeviceIdentifiers ids, String laneKey) {}

  private static final AtomicReferenceArray<AddrEntry> ADDRS = new AtomicReferenceArray<>(SLOTS);
  private static final AtomicReferenceArray<DeviceEntry> DEVICES =
      new AtomicReferenceArray<>(SLOTS);

  private LaneKeys() {}

  private static AddrEntry addr(DevAddr devAddr) {
    int v = devAddr.value();
    int slot = (v ^ (v >>> 12)) & (SLOTS - 1);
    AddrEntry e = ADDRS.getPlain(slot);
    if (e == null || e.devAddr != v) {
      String formatted = devAddr.toString();
      e = new AddrEntry(v, formatted, "addr:" + formatted);
      ADDRS.setPlain(slot, e);
    }
    return e;
  }

  /** {@code devAddr.toString()}. */
  static String formatted(DevAddr devAddr) {
    return addr(devAddr).formatted;
  }

  /** The key of a DevAddr's lane: {@code "addr:"} and the formatted DevAddr. */
  static String devAddrLane(DevAddr devAddr) {
    return addr(devAddr).laneKey;
  }

  /**
   * The key of a device's lane: {@code "dev:<application ID>/<device ID>"}. Remembered by
   * identity of {@code ids}, which a device's versions share while its identifiers do not
   * change.
   */
  static String deviceLane(EndDeviceIdentifiers ids) {
    int slot = System.identityHashCode(ids) & (SLOTS - 1);
    DeviceEntry e = DEVICES.getPlain(slot);
    if (e != null && e.ids == ids) {
      return e.laneKey;
    }
    String key = "dev:" + ids.getApplicationIds().getApplicationId() + "/" + ids.getDeviceId();
    DEVICES.setPlain(slot, new DeviceEntry(ids, key));
    return key;
  }
}
