package dev.loralab.gatewayserver.udp;

import java.util.Locale;
import java.util.Optional;

/** The Semtech UDP packet types (PROTOCOL.TXT §3–5); the byte at offset 3. */
public enum PacketType {
  /** Gateway → server: received frames and/or status. */
  PUSH_DATA(0x00, true, true),
  /** Server → gateway: acknowledges a PUSH_DATA. */
  PUSH_ACK(0x01, false, false),
  /** Gateway → server: keepalive that opens the downlink path. */
  PULL_DATA(0x02, true, false),
  /** Server → gateway: a downlink to transmit. */
  PULL_RESP(0x03, false, true),
  /** Server → gateway: acknowledges a PULL_DATA. */
  PULL_ACK(0x04, false, false),
  /** Gateway → server (protocol v2 only): result of a PULL_RESP. */
  TX_ACK(0x05, true, true);

  private final int id;
  private final boolean carriesEui;
  private final boolean carriesJson;

  PacketType(int id, boolean carriesEui, boolean carriesJson) {
    this.id = id;
    this.carriesEui = carriesEui;
    this.carriesJson = carriesJson;
  }

  /** The identifier byte. */
  public int id() {
    return id;
  }

  /** True if bytes 4..11 hold the gateway EUI. */
  public boolean carriesEui() {
    return carriesEui;
  }

  /** True if a JSON object may follow the header. */
  public boolean carriesJson() {
    return carriesJson;
  }

  /** Fixed header length: 12 with an EUI, 4 without. */
  public int headerLength() {
    return carriesEui ? 12 : 4;
  }

  /** True for the types a gateway sends. */
  public boolean upstream() {
    return carriesEui;
  }

  /** The metric tag value, e.g. {@code push_data}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type with identifier {@code id}, if any. */
  public static Optional<PacketType> of(int id) {
    for (PacketType t : values()) {
      if (t.id == id) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
