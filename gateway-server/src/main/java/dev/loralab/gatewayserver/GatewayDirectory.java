package dev.loralab.gatewayserver;

import dev.loralab.lorawan.Eui64;
import java.util.Optional;

/**
 * The registry lookup the Gateway Server needs: is this EUI a registered gateway, and what are its
 * identifiers and frequency plan. Implemented by the identity server (or a map in tests). May
 * block: the server calls it off the network event loop, once per new connection.
 */
@FunctionalInterface
public interface GatewayDirectory {

  /** The registered gateway with this EUI, if any. */
  Optional<RegisteredGateway> byEui(Eui64 eui);
}
