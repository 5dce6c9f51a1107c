package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.Class;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.lorawan.mac.MacCommand.DeviceModeConf;
import dev.loralab.lorawan.mac.MacCommand.DeviceModeInd;
import dev.loralab.networkserver.NetworkServerEvents;

/**
 * DeviceModeInd → DeviceModeConf (LoRaWAN 1.1 §18.1): the device switches between class A (0) and
 * class C (2); the Network Server follows if the device supports class C.
 */
public final class DeviceMode implements DeviceInitiatedCommand<DeviceModeInd> {

  @Override
  public java.lang.Class<DeviceModeInd> commandType() {
    return DeviceModeInd.class;
  }

  @Override
  public void handle(DeviceModeInd command, MacUplinkContext ctx, EndDevice.Builder device,
      MacEvents events) {
    Class requested = command.deviceClass() == 2 ? Class.CLASS_C : Class.CLASS_A;
    events.emit(NetworkServerEvents.MAC_DEVICE_MODE_INDICATION,
        MACCommand.DeviceModeInd.newBuilder().setClass_(requested).build());
    Class granted = requested == Class.CLASS_C && !device.getSupportsClassC() ? Class.CLASS_A
        : requested;
    device.getMacStateBuilder().setDeviceClass(granted);
    int code = granted == Class.CLASS_C ? 2 : 0;
    MacQueue.queueResponse(device.getMacStateBuilder(),
        MacProtos.toProto(new DeviceModeConf(code)));
    events.emit(NetworkServerEvents.MAC_DEVICE_MODE_CONFIRMATION,
        MACCommand.DeviceModeConf.newBuilder().setClass_(granted).build());
  }
}
