package dev.loralab.cli.stack.internal;

import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationWebhook;
import dev.loralab.api.v3.ApplicationWebhookIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.MessagePayloadFormatters;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.applicationserver.ApplicationServerStore;
import dev.loralab.applicationserver.AsSession;
import dev.loralab.identityserver.EndDeviceRegistry;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.KeyValueStore;
import dev.loralab.identityserver.store.Namespace;
import dev.loralab.identityserver.store.ProtoTable;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The application server's {@link ApplicationServerStore}: devices from the identity server's
 * {@link EndDeviceRegistry}; AS sessions, application formatters and webhooks in namespaces of the
 * same database ({@code as-sessions}, {@code as-formatters}, {@code as-webhooks}), written durably.
 */
public final class RegistryApplicationServerStore implements ApplicationServerStore {

  private final EndDeviceRegistry devices;
  private final ProtoTable<Session> sessions;
  private final ProtoTable<MessagePayloadFormatters> formatters;
  private final ProtoTable<ApplicationWebhook> webhooks;

  /**
   * @param devices the device registry
   * @param store   the database
   */
  public RegistryApplicationServerStore(EndDeviceRegistry devices, KeyValueStore store) {
    this.devices = Objects.requireNonNull(devices, "devices");
    this.sessions = new ProtoTable<>(store, Namespace.of("as-sessions"), Session.parser());
    this.formatters = new ProtoTable<>(store, Namespace.of("as-formatters"), MessagePayloadFormatters.parser());
    this.webhooks = new ProtoTable<>(store, Namespace.of("as-webhooks"), ApplicationWebhook.parser());
  }

  @Override
  public Optional<AsSession> session(EndDeviceIdentifiers ids) {
    return sessions.get(deviceKey(ids)).map(s -> new AsSession(s.getKeys().getSessionKeyId(),
        AesKey.parse(s.getKeys().getAppSKey().getKey()), DevAddr.parse(s.getDevAddr()),
        Integer.toUnsignedLong(s.getLastAFCntDown())));
  }

  @Override
  public void putSession(EndDeviceIdentifiers ids, AsSession session) {
    Session s = Session.newBuilder()
        .setDevAddr(session.devAddr().toString())
        .setKeys(SessionKeys.newBuilder().setSessionKeyId(session.sessionKeyId())
            .setAppSKey(KeyEnvelope.newBuilder().setKey(session.appSKey().toHex())))
        .setLastAFCntDown((int) session.lastAFCntDown())
        .build();
    sessions.put(deviceKey(ids), s, Durability.DURABLE);
  }

  @Override
  public Optional<EndDevice> endDevice(EndDeviceIdentifiers ids) {
    return devices.get(ids);
  }

  @Override
  public Optional<MessagePayloadFormatters> applicationFormatters(ApplicationIdentifiers ids) {
    return formatters.get(ids.getApplicationId());
  }

  @Override
  public void setApplicationFormatters(ApplicationIdentifiers ids, MessagePayloadFormatters f) {
    formatters.put(ids.getApplicationId(), f, Durability.DURABLE);
  }

  @Override
  public List<ApplicationWebhook> webhooks(ApplicationIdentifiers ids) {
    return webhooks.scan(ids.getApplicationId() + "/");
  }

  @Override
  public Optional<ApplicationWebhook> webhook(ApplicationWebhookIdentifiers ids) {
    return webhooks.get(webhookKey(ids));
  }

  @Override
  public void putWebhook(ApplicationWebhook webhook) {
    webhooks.put(webhookKey(webhook.getIds()), webhook, Durability.DURABLE);
  }

  @Override
  public boolean deleteWebhook(ApplicationWebhookIdentifiers ids) {
    boolean existed = webhooks.get(webhookKey(ids)).isPresent();
    webhooks.delete(webhookKey(ids), Durability.DURABLE);
    return existed;
  }

  private static String deviceKey(EndDeviceIdentifiers ids) {
    return ids.getApplicationIds().getApplicationId() + "/" + ids.getDeviceId();
  }

  private static String webhookKey(ApplicationWebhookIdentifiers ids) {
    return ids.getApplicationIds().getApplicationId() + "/" + ids.getWebhookId();
  }

}
