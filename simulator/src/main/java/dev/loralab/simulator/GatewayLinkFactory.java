package dev.loralab.simulator;

import dev.loralab.simulator.gateway.GatewayLink;
import java.util.function.Consumer;

/**
 * Opens the link of one simulated gateway to a network server. The default opens a UDP socket to
 * the scenario's server; tests supply an in-memory server.
 */
@FunctionalInterface
public interface GatewayLinkFactory {

  /**
   * @param gateway the gateway
   * @param scheduler the simulation scheduler (in-memory servers schedule their answers on it)
   * @param downstream delivers server-to-gateway datagrams; callable from any thread
   * @return the link
   * @throws Exception if the link cannot be opened
   */
  GatewayLink open(Scenario.GatewaySpec gateway, SimScheduler scheduler, Consumer<byte[]> downstream) throws Exception;
}
