package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.lorawan.mac.MacCommand.RekeyConf;
import dev.loralab.lorawan.mac.MacCommand.RekeyInd;
import dev.loralab.networkserver.NetworkServerEvents;

/**
 * RekeyInd → RekeyConf (LoRaWAN 1.1 §5.10): confirms the session of a 1.1 device after a join.
 * The Network Server has already switched to the new session when an uplink matched it.
 */
public final class Rekey implements DeviceInitiatedCommand<RekeyInd> {

  @Override
  public Class<RekeyInd> commandType() {
    return RekeyInd.class;
  }

  @Override
  public void handle(RekeyInd command, MacUplinkContext ctx, EndDevice.Builder device,
      MacEvents events) {
    events.emit(NetworkServerEvents.MAC_REKEY_INDICATION,
        MACCommand.RekeyInd.newBuilder().setMinorVersion(command.minor()).build());
    int minor = Math.min(1, command.minor());
    MacQueue.queueResponse(device.getMacStateBuilder(), MacProtos.toProto(new RekeyConf(minor)));
    events.emit(NetworkServerEvents.MAC_REKEY_CONFIRMATION,
        MACCommand.RekeyConf.newBuilder().setMinorVersion(minor).build());
  }
}
