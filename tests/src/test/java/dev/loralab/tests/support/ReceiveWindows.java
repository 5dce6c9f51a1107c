package dev.loralab.tests.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.gatewayserver.udp.Datr;
import dev.loralab.gatewayserver.udp.Txpk;

/** Checks that a PULL_RESP goes out in a class A receive window of an uplink. */
public final class ReceiveWindows {

  /** Which window a downlink was scheduled in. */
  public enum Slot { RX1, RX2 }

  private ReceiveWindows() {}

  /**
   * Asserts that {@code txpk} is timed ({@code tmst}) and tuned for RX1 ({@code uplinkTmst +
   * rx1Delay}) or RX2 (one second later) of an uplink received at {@code uplinkTmst} on
   * {@code up}, and returns which.
   */
  public static Slot assertClassA(Txpk txpk, long uplinkTmst, int rx1DelaySeconds, Region region, Radio up) {
    assertThat(txpk.tmst()).as("PULL_RESP tmst (timestamped, not immediate)").isNotNull();
    long rx1 = (uplinkTmst + rx1DelaySeconds * 1_000_000L) & 0xFFFF_FFFFL;
    long rx2 = (uplinkTmst + (rx1DelaySeconds + 1) * 1_000_000L) & 0xFFFF_FFFFL;
    assertThat(txpk.tmst()).as("PULL_RESP tmst: uplink tmst %d + %d s (RX1) or + %d s (RX2)", uplinkTmst,
        rx1DelaySeconds, rx1DelaySeconds + 1).isIn(rx1, rx2);
    Slot slot = txpk.tmst() == rx1 ? Slot.RX1 : Slot.RX2;
    Region.Window w = slot == Slot.RX1 ? region.rx1(up) : region.rx2();
    assertTuned(txpk, w, slot.name());
    return slot;
  }

  /** Asserts frequency, LoRa SF/BW and LoRaWAN downlink settings (inverted polarity). */
  public static void assertTuned(Txpk txpk, Region.Window w, String what) {
    assertThat(txpk.frequencyHz()).as(what + " frequency").isEqualTo(w.frequencyHz());
    assertThat(txpk.datr()).as(what + " data rate").isEqualTo(new Datr.LoRa(w.spreadingFactor(), w.bandwidthHz()));
    assertThat(txpk.ipol()).as(what + " ipol").isTrue();
  }
}
