package dev.loralab.simulator.radio;

/**
 * A transmitter or receiver in the radio model.
 *
 * @param id unique and stable (it seeds the link's shadowing), e.g. the gateway or device EUI
 * @param kind gateway or end device
 * @param position where it is
 */
public record RadioNode(String id, Kind kind, Position position) {

  /** What the node is; gateways hear uplinks, devices hear downlinks. */
  public enum Kind {
    GATEWAY,
    DEVICE
  }

  /** Validates that id, kind and position are present. */
  public RadioNode {
    if (id == null || id.isEmpty() || kind == null || position == null) {
      throw new IllegalArgumentException("radio node: id, kind and position expected");
    }
  }

  /** A gateway at a position. */
  public static RadioNode gateway(String id, Position p) {
    return new RadioNode(id, Kind.GATEWAY, p);
  }

  /** A device at a position. */
  public static RadioNode device(String id, Position p) {
    return new RadioNode(id, Kind.DEVICE, p);
  }
}
