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
   * Slots per table (a power of two): 1 MiB of references each. A fleet visits its devices in
   * turn, so a table much smaller than the fleet misses on nearly every uplink (4,096 slots did at
   * 10,000 devices, 65,536 at 100,000), and each miss leaves a new entry that lives until its slot
   * is taken again, seconds later: long enough to be copied by the young collections. 262,144
   * keep most entries of a fleet of 100,000 (~20 MB of entries in the two tables then, ~50 MB
   * when every slot is used).
   */
  static final int SLOTS = 1 << 18;

  private record AddrEntry(int devAddr, String formatted, String laneKey) {}

  private static final AtomicReferenceArray<AddrEntry> ADDRS = new AtomicReferenceArray<>(SLOTS);
  /** Device lane keys, the key itself as the entry: found by the IDs' text, not their message. */
  private static final AtomicReferenceArray<String> DEVICES = new AtomicReferenceArray<>(SLOTS);

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
   * The key of a device's lane: {@code "dev:<application ID>/<device ID>"}. Remembered by the
   * IDs' text, so that a device read again from the store (a new message, the same text) finds
   * it, and an entry never keeps the message it was made from.
   */
  static String deviceLane(EndDeviceIdentifiers ids) {
    String app = ids.getApplicationIds().getApplicationId();
    String dev = ids.getDeviceId();
    int slot = slot(31 * app.hashCode() + dev.hashCode());
    String e = DEVICES.getPlain(slot);
    if (e != null && isDeviceLane(e, app, dev)) {
      return e;
    }
    String key = DEVICE_LANE_PREFIX + app + "/" + dev;
    DEVICES.setPlain(slot, key);
    return key;
  }

  /** The slot of a text's hash in a table of {@link #SLOTS} (high bits folded into the low). */
  static int slot(int hash) {
    return (hash ^ (hash >>> 16)) & (SLOTS - 1);
  }

  private static final String DEVICE_LANE_PREFIX = "dev:";

  /** Whether {@code key} is {@code "dev:" + app + "/" + dev}. */
  private static boolean isDeviceLane(String key, String app, String dev) {
    int at = DEVICE_LANE_PREFIX.length();
    return key.length() == at + app.length() + 1 + dev.length()
        && key.startsWith(app, at) && key.charAt(at + app.length()) == '/'
        && key.startsWith(dev, at + app.length() + 1);
  }
}
