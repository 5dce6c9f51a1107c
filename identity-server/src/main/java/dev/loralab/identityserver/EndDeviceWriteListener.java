package dev.loralab.identityserver;

import dev.loralab.api.v3.EndDevice;

/**
 * Told of every completed write of a device in an {@link EndDeviceRegistry}, so that another
 * server can keep a small view of the devices (an application server's payload formatters, say)
 * without reading the whole device for each message.
 */
@FunctionalInterface
public interface EndDeviceWriteListener {
  /**
   * A write of a device completed. Writes of one device are reported one at a time, in the order
   * they were made, after readers of the registry can see them; reports of different devices may
   * come concurrently. Runs on the thread completing the write (a storage thread): return quickly,
   * never block. An exception thrown here is logged and does not fail the write.
   *
   * @param key    the device's key, {@code application_id + "/" + device_id}
   * @param stored the device as stored now; null if it was deleted, or if the write failed and the
   *               stored device is unknown (read it again)
   */
  void written(String key, EndDevice stored);
}
