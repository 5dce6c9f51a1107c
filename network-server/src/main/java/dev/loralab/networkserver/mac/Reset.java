package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.lorawan.mac.MacCommand.ResetConf;
import dev.loralab.lorawan.mac.MacCommand.ResetInd;
import dev.loralab.networkserver.NetworkServerEvents;

/**
 * ResetInd → ResetConf (LoRaWAN 1.1 §5.1, ABP devices): answers with the minor version the
 * network serves (at most 1) and drops MAC commands waiting for the old context.
 */
public final class Reset implements DeviceInitiatedCommand<ResetInd> {

  @Override
  public Class<ResetInd> commandType() {
    return ResetInd.class;
  }

  @Override
  public void handle(ResetInd command, MacUplinkContext ctx, EndDevice.Builder device,
      MacEvents events) {
    events.emit(NetworkServerEvents.MAC_RESET_INDICATION,
        MACCommand.ResetInd.newBuilder().setMinorVersion(command.minor()).build());
    int minor = Math.min(1, command.minor());
    var s = device.getMacStateBuilder();
    s.clearPendingRequests().clearQueuedRequests();
    MacQueue.queueResponse(s, MacProtos.toProto(new ResetConf(minor)));
    events.emit(NetworkServerEvents.MAC_RESET_CONFIRMATION,
        MACCommand.ResetConf.newBuilder().setMinorVersion(minor).build());
  }
}
