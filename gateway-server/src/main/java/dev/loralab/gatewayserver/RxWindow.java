package dev.loralab.gatewayserver;

import java.util.Locale;

/** The receive window a downlink is scheduled in. */
public enum RxWindow {
  /** Class A, first receive window. */
  RX1,
  /** Class A, second receive window. */
  RX2,
  /** Class B/C: as soon as possible or at an absolute time. */
  ABSOLUTE;

  /** Lower-case name. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
