package dev.loralab.identityserver;

import com.google.protobuf.Message;
import dev.loralab.api.v3.EntityIdentifiers;

/**
 * Where the identity server reports entity changes ({@code application.create},
 * {@code end_device.update}, {@code user.api-key.create}, ...). The facade adapts it to the event
 * bus; {@link #NONE} drops everything. Data never contains secrets.
 */
@FunctionalInterface
public interface EntityEventSink {
  /** Drops every event. */
  EntityEventSink NONE = (name, ids, data) -> { };

  /**
   * Reports an event.
   *
   * @param name the event name, e.g. {@code application.create}
   * @param ids the entity
   * @param data the event data (a field mask or an API key without secret), or null
   */
  void publish(String name, EntityIdentifiers ids, Message data);
}
