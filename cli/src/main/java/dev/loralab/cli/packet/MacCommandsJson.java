package dev.loralab.cli.packet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loralab.lorawan.HexBytes;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.lorawan.mac.MacCommandCodec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;

/**
 * Renders a MAC command byte string (FOpts or an FPort-0 payload) as JSON: one object per command
 * with its name, CID and fields in snake_case, e.g.
 * {@code {"name": "LinkADRAns", "cid": "03", "power_ack": true, ...}}.
 */
final class MacCommandsJson {

  private MacCommandsJson() {}

  /** @throws LoRaWanException if the bytes are not a valid command list for the direction */
  static ArrayNode render(byte[] bytes, boolean uplink) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (MacCommand c : MacCommandCodec.decode(bytes, uplink)) {
      ObjectNode node = out.addObject();
      node.put("name", c.name());
      node.put("cid", HexBytes.format(new byte[] {(byte) c.cid()}));
      for (RecordComponent rc : c.getClass().getRecordComponents()) {
        Object value = componentValue(c, rc);
        String field = snakeCase(rc.getName());
        if (value instanceof Boolean b) {
          node.put(field, b);
        } else if (value instanceof Integer i) {
          node.put(field, i);
        } else if (value instanceof Long l) {
          node.put(field, l);
        } else {
          node.put(field, String.valueOf(value));
        }
      }
    }
    return out;
  }

  private static Object componentValue(MacCommand c, RecordComponent rc) {
    try {
      return rc.getAccessor().invoke(c);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + rc.getName() + " of " + c.name(), e);
    }
  }

  /** {@code rx1DrOffset} -> {@code rx1_dr_offset}, {@code gpsSeconds} -> {@code gps_seconds}. */
  static String snakeCase(String camel) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < camel.length(); i++) {
      char ch = camel.charAt(i);
      if (Character.isUpperCase(ch)) {
        boolean prevLower = i > 0 && !Character.isUpperCase(camel.charAt(i - 1));
        boolean nextLower = i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1));
        if (i > 0 && (prevLower || nextLower)) {
          sb.append('_');
        }
        sb.append(Character.toLowerCase(ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }
}
