package dev.loralab.benchmarks.e2e;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Eui64;

/**
 * The identity and ABP session of benchmark device {@code index}, derived from the index alone so
 * that the registrar, the load generator and the limit receiver agree without exchanging key
 * lists. LoRaWAN 1.0.3 ABP (one network session key). The keys are predictable: benchmark use only.
 *
 * @param index 0-based device number
 */
record BenchDevice(int index) {

  /** DevAddr base: NetID 000000 (type 0, NwkID 0), so any NwkAddr below 2^25 is ours. */
  static final int DEV_ADDR_BASE = 0x00100000;
  /** Upper bound of the device count (NwkAddr space of a type-0 NetID minus the base). */
  static final int MAX_DEVICES = (1 << 25) - DEV_ADDR_BASE;

  BenchDevice {
    if (index < 0 || index >= MAX_DEVICES) {
      throw new IllegalArgumentException("index: expected 0.." + (MAX_DEVICES - 1) + ", found " + index);
    }
  }

  /** The device index of a DevAddr, or -1 when it is not a benchmark address. */
  static int indexOf(int devAddr) {
    int i = devAddr - DEV_ADDR_BASE;
    return i >= 0 && i < MAX_DEVICES ? i : -1;
  }

  String deviceId() {
    return "dev-" + index;
  }

  Eui64 devEui() {
    return new Eui64(0x70B3D57ED0000000L | index);
  }

  DevAddr devAddr() {
    return new DevAddr(DEV_ADDR_BASE + index);
  }

  AesKey nwkSKey() {
    return key(0x11);
  }

  AesKey appSKey() {
    return key(0x22);
  }

  /** JoinEUI of the OTAA benchmark devices. */
  static final Eui64 JOIN_EUI = new Eui64(0x70B3D57ED00000FFL);

  /** The device ID of OTAA device {@code index} (registered apart from the ABP devices). */
  String joinDeviceId() {
    return "join-" + index;
  }

  /** The DevEUI of OTAA device {@code index}. */
  Eui64 joinDevEui() {
    return new Eui64(0x70B3D57ED1000000L | index);
  }

  /** The AppKey of OTAA device {@code index} (LoRaWAN 1.0.3: the only root key). */
  AesKey appKey() {
    return key(0x33);
  }

  private AesKey key(int tag) {
    byte[] k = new byte[16];
    for (int i = 0; i < 12; i++) {
      k[i] = (byte) (tag + i);
    }
    k[12] = (byte) (index >>> 24);
    k[13] = (byte) (index >>> 16);
    k[14] = (byte) (index >>> 8);
    k[15] = (byte) index;
    return AesKey.of(k);
  }
}
