package dev.loralab.applicationserver;

import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationWebhook;
import dev.loralab.api.v3.ApplicationWebhookIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.MessagePayloadFormatters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** A non-durable {@link ApplicationServerStore} for tests and demos. */
public final class InMemoryApplicationServerStore implements ApplicationServerStore {

  private final Map<String, AsSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, EndDevice> devices = new ConcurrentHashMap<>();
  private final AtomicLong endDeviceReads = new AtomicLong();
  private final Map<String, MessagePayloadFormatters> appFormatters = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<String, ApplicationWebhook> webhooks =
      new ConcurrentSkipListMap<>();

  static String deviceKey(EndDeviceIdentifiers ids) {
    return ids.getApplicationIds().getApplicationId() + "/" + ids.getDeviceId();
  }

  private static String webhookKey(ApplicationWebhookIdentifiers ids) {
    return ids.getApplicationIds().getApplicationId() + "/" + ids.getWebhookId();
  }

  @Override
  public Optional<AsSession> session(EndDeviceIdentifiers ids) {
    return Optional.ofNullable(sessions.get(deviceKey(ids)));
  }

  @Override
  public void putSession(EndDeviceIdentifiers ids, AsSession session) {
    sessions.put(deviceKey(ids), Objects.requireNonNull(session, "session"));
  }

  /** Registers (replaces) a device, as the identity server's registry would. */
  public void putEndDevice(EndDevice device) {
    devices.put(deviceKey(device.getIds()), device);
  }

  @Override
  public Optional<EndDevice> endDevice(EndDeviceIdentifiers ids) {
    endDeviceReads.incrementAndGet();
    return Optional.ofNullable(devices.get(deviceKey(ids)));
  }

  @Override
  public Optional<MessagePayloadFormatters> deviceFormatters(EndDeviceIdentifiers ids) {
    return Optional.ofNullable(devices.get(deviceKey(ids)))
        .flatMap(ApplicationServerStore::ownFormatters);
  }

  /** How many times {@link #endDevice} was called: reads of a whole device (for tests). */
  public long endDeviceReads() {
    return endDeviceReads.get();
  }

  @Override
  public Optional<MessagePayloadFormatters> applicationFormatters(ApplicationIdentifiers ids) {
    return Optional.ofNullable(appFormatters.get(ids.getApplicationId()));
  }

  @Override
  public void setApplicationFormatters(ApplicationIdentifiers ids,
      MessagePayloadFormatters formatters) {
    appFormatters.put(ids.getApplicationId(), Objects.requireNonNull(formatters, "formatters"));
  }

  @Override
  public List<ApplicationWebhook> webhooks(ApplicationIdentifiers ids) {
    String prefix = ids.getApplicationId() + "/";
    List<ApplicationWebhook> out = new ArrayList<>();
    for (Map.Entry<String, ApplicationWebhook> e : webhooks.tailMap(prefix).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      out.add(e.getValue());
    }
    return out;
  }

  @Override
  public Optional<ApplicationWebhook> webhook(ApplicationWebhookIdentifiers ids) {
    return Optional.ofNullable(webhooks.get(webhookKey(ids)));
  }

  @Override
  public void putWebhook(ApplicationWebhook webhook) {
    webhooks.put(webhookKey(webhook.getIds()), webhook);
  }

  @Override
  public boolean deleteWebhook(ApplicationWebhookIdentifiers ids) {
    return webhooks.remove(webhookKey(ids)) != null;
  }
}
