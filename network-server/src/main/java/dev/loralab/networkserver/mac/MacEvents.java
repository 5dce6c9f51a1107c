package dev.loralab.networkserver.mac;

import com.google.protobuf.Message;
import dev.loralab.events.EventDefinition;

/** Receives the {@code ns.mac.*} events of one uplink or downlink, in order. */
@FunctionalInterface
public interface MacEvents {
  /** Emits {@code definition} with {@code data} (may be null) for the device being processed. */
  void emit(EventDefinition definition, Message data);
}
