package dev.loralab.events;

import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.EntityIdentifiers;

final class EventsHttpStreamTestIds {
  static final EntityIdentifiers GW2 = EntityKeys.gateway("gw2");

  private EventsHttpStreamTestIds() {
  }
}
