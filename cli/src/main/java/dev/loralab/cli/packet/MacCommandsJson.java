package dev.loralab.cli.packet;

import com.fasterxml.jackson.databind.node.ArrayNode;

/** Renders a MAC command byte string (FOpts or an FPort-0 payload) as JSON. */
final class MacCommandsJson {

  private MacCommandsJson() {}

  /** Null until the MAC command codec is available. */
  static ArrayNode render(byte[] bytes, boolean uplink) {
    return null;
  }
}
