package dev.loralab.gatewayserver.internal;

import dev.loralab.lorawan.Eui64;
import java.util.function.Function;

/**
 * The event loop's view of the live connection of each gateway EUI, in direct-mapped slots: a
 * hit compares the 64-bit EUI held in a {@code long[]} (no key object to load, no
 * {@code equals} call); a miss, a collision or a closed connection asks the authoritative map
 * and refills the slot.
 *
 * <p>Confined to one thread (the event loop): no synchronisation. A connection is live while it
 * is not {@link GatewayConnection#closed() closed}, and at most one connection of an EUI is live,
 * so a slot never answers with a stale connection. At most one closed connection per slot stays
 * referenced until the slot is reused.
 */
public final class GatewayConnectionSlots {

  private final long[] euis;
  private final GatewayConnection[] connections;
  private final int shift;

  /**
   * @param slots number of slots, a power of two (gateways beyond it share slots and fall back
   *     to the map more often)
   */
  public GatewayConnectionSlots(int slots) {
    if (slots < 1 || Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots: expected a power of two, found " + slots);
    }
    this.euis = new long[slots];
    this.connections = new GatewayConnection[slots];
    this.shift = 64 - Integer.numberOfTrailingZeros(slots);
  }

  /**
   * The live connection of {@code eui}, from its slot or else from {@code lookup} (the
   * authoritative map); null if there is none.
   */
  public GatewayConnection live(Eui64 eui, Function<Eui64, GatewayConnection> lookup) {
    long value = eui.value();
    int i = slot(value);
    GatewayConnection c = connections[i];
    if (c != null && euis[i] == value && !c.closed()) {
      return c;
    }
    c = lookup.apply(eui);
    if (c == null || c.closed()) {
      return null;
    }
    euis[i] = value;
    connections[i] = c;
    return c;
  }

  private int slot(long value) {
    // Fibonacci hashing: the top bits of the product depend on every bit of the EUI
    return shift == 64 ? 0 : (int) ((value * 0x9E3779B97F4A7C15L) >>> shift);
  }
}
