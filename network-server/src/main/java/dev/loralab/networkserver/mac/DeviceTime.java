package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.lorawan.GpsTime;
import dev.loralab.lorawan.mac.MacCommand.DeviceTimeAns;
import dev.loralab.lorawan.mac.MacCommand.DeviceTimeReq;
import dev.loralab.networkserver.NetworkServerEvents;
import dev.loralab.networkserver.internal.Protos;
import java.time.Instant;

/**
 * DeviceTimeReq → DeviceTimeAns (LoRaWAN 1.0.3 §5.9, 1.1 §5.12): the GPS time at the end of the
 * uplink, in seconds and 1/256 s.
 */
public final class DeviceTime implements DeviceInitiatedCommand<DeviceTimeReq> {

  @Override
  public Class<DeviceTimeReq> commandType() {
    return DeviceTimeReq.class;
  }

  @Override
  public void handle(DeviceTimeReq command, MacUplinkContext ctx, EndDevice.Builder device,
      MacEvents events) {
    events.emit(NetworkServerEvents.MAC_DEVICE_TIME_REQUEST, null);
    Instant t = ctx.receivedAt();
    long gps = GpsTime.fromUtc(t) & 0xFFFF_FFFFL;
    int fraction = (int) ((t.getNano() * 256L) / 1_000_000_000L);
    DeviceTimeAns ans = new DeviceTimeAns(gps, fraction);
    MacQueue.queueResponse(device.getMacStateBuilder(), MacProtos.toProto(ans));
    events.emit(NetworkServerEvents.MAC_DEVICE_TIME_ANSWER,
        MACCommand.DeviceTimeAns.newBuilder().setTime(Protos.timestamp(t)).build());
  }
}
