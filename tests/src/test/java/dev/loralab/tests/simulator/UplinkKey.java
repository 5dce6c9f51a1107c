package dev.loralab.tests.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loralab.simulator.SimulationReport;
import java.util.Locale;
import java.util.Optional;

/**
 * One data uplink as both sides name it: DevEUI, the session's DevAddr and the 32-bit FCntUp.
 * Retransmissions share it; a rejoin (new DevAddr) starts new ones even though FCntUp restarts.
 */
record UplinkKey(String devEui, String devAddr, long fCnt) {

  UplinkKey {
    devEui = devEui.toUpperCase(Locale.ROOT);
    devAddr = devAddr.toUpperCase(Locale.ROOT);
  }

  /** The uplink of a report record. */
  static UplinkKey of(SimulationReport.UplinkRecord r) {
    return new UplinkKey(r.devEui(), r.devAddr(), r.fCnt());
  }

  /**
   * The uplink of an {@code as.up.data.forward} event: {@code data.end_device_ids.dev_eui},
   * {@code .dev_addr} and {@code data.uplink_message.f_cnt}.
   */
  static Optional<UplinkKey> ofForward(JsonNode event) {
    JsonNode data = event.path("data");
    JsonNode ids = data.path("end_device_ids");
    JsonNode up = data.path("uplink_message");
    if (!ids.hasNonNull("dev_eui") || !ids.hasNonNull("dev_addr") || up.isMissingNode()) {
      return Optional.empty();
    }
    // f_cnt is omitted when zero (proto3 JSON without defaults)
    return Optional.of(new UplinkKey(ids.get("dev_eui").asText(), ids.get("dev_addr").asText(),
        up.path("f_cnt").asLong(0)));
  }

  /** The DevEUI of an event about an end device ({@code data.end_device_ids} or the identifiers). */
  static Optional<String> devEuiOf(JsonNode event) {
    String fromData = event.path("data").path("end_device_ids").path("dev_eui").asText("");
    if (!fromData.isEmpty()) {
      return Optional.of(fromData.toUpperCase(Locale.ROOT));
    }
    for (JsonNode id : event.path("identifiers")) {
      String e = id.path("device_ids").path("dev_eui").asText("");
      if (!e.isEmpty()) {
        return Optional.of(e.toUpperCase(Locale.ROOT));
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return devEui + "/" + devAddr + "/" + fCnt;
  }
}
