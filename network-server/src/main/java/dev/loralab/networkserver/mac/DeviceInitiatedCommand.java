package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.lorawan.mac.MacCommand;

/**
 * A command the device starts (LinkCheckReq, DeviceTimeReq, ResetInd, RekeyInd, DeviceModeInd):
 * the handler queues the answer in {@code mac_state.queued_responses} and applies the command.
 *
 * @param <C> the uplink command type
 */
public interface DeviceInitiatedCommand<C extends MacCommand> {

  /** The uplink command this handler answers. */
  Class<C> commandType();

  /** Answers {@code command}, applying it to {@code device}, and emits its events. */
  void handle(C command, MacUplinkContext context, EndDevice.Builder device, MacEvents events);
}
