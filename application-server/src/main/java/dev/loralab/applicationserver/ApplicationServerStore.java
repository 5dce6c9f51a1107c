package dev.loralab.applicationserver;

import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationWebhook;
import dev.loralab.api.v3.ApplicationWebhookIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.MessagePayloadFormatters;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of the Application Server. Devices and applications are keyed by their IDs only
 * ({@code application_id}, {@code device_id}); EUIs and DevAddr are ignored for lookups.
 *
 * <p>Implementations must be thread-safe. The server serializes all calls concerning one device,
 * so a read followed by a write of the same device's session is never interleaved with another
 * change of that session by this server. Writes must be durable when the method returns: the
 * AFCntDown is persisted before a downlink is handed to the Network Server.
 */
public interface ApplicationServerStore {

  /** The AS session of a device, if any. */
  Optional<AsSession> session(EndDeviceIdentifiers ids);

  /** Stores (replaces) the AS session of a device. */
  void putSession(EndDeviceIdentifiers ids, AsSession session);

  /**
   * The device as registered, read-only. The server reads it only where no stored AS session
   * applies, for an ABP device's {@code session.keys.app_s_key.key},
   * {@code session.keys.session_key_id}, {@code session.dev_addr} and
   * {@code session.last_a_f_cnt_down}. Empty if unknown.
   */
  Optional<EndDevice> endDevice(EndDeviceIdentifiers ids);

  /**
   * The device's own payload formatters ({@code formatters}, which override the application's),
   * if the device is registered and has them set. The server asks on every uplink and downlink, so
   * an implementation over a large registry should answer from memory rather than read the whole
   * device; this default reads it.
   */
  default Optional<MessagePayloadFormatters> deviceFormatters(EndDeviceIdentifiers ids) {
    return endDevice(ids).flatMap(ApplicationServerStore::ownFormatters);
  }

  /** The formatters {@code device} sets for itself ({@code formatters}), if any. */
  static Optional<MessagePayloadFormatters> ownFormatters(EndDevice device) {
    return device.hasFormatters() ? Optional.of(device.getFormatters()) : Optional.empty();
  }

  /** The application's default payload formatters, if set. */
  Optional<MessagePayloadFormatters> applicationFormatters(ApplicationIdentifiers ids);

  /** Sets the application's default payload formatters. */
  void setApplicationFormatters(ApplicationIdentifiers ids, MessagePayloadFormatters formatters);

  /** The application's webhooks, sorted by webhook ID. */
  List<ApplicationWebhook> webhooks(ApplicationIdentifiers ids);

  /** One webhook, if it exists. */
  Optional<ApplicationWebhook> webhook(ApplicationWebhookIdentifiers ids);

  /** Creates or replaces a webhook (keyed by {@code ids}). */
  void putWebhook(ApplicationWebhook webhook);

  /** Deletes a webhook; false if it did not exist. */
  boolean deleteWebhook(ApplicationWebhookIdentifiers ids);
}
