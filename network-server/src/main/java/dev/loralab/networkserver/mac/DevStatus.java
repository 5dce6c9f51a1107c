package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.api.v3.PowerState;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.mac.MacCommand.DevStatusAns;
import dev.loralab.lorawan.mac.MacCommand.DevStatusReq;
import dev.loralab.networkserver.NetworkServerEvents;
import dev.loralab.networkserver.internal.Protos;

/**
 * DevStatusReq / DevStatusAns (LoRaWAN 1.1 §5.6): asked when the device never reported its
 * status, and then every {@code periodicity} uplinks, at a phase fixed per device
 * ({@link #phase}); the answer sets {@code power_state},
 * {@code battery_percentage}, {@code downlink_margin} and {@code last_dev_status_received_at}.
 */
public final class DevStatus implements NetworkInitiatedCommand<DevStatusReq, DevStatusAns> {

  /** Battery byte meaning "external power source" (§5.6). */
  static final int BATTERY_EXTERNAL = 0;
  /** Battery byte meaning "could not measure" (§5.6). */
  static final int BATTERY_UNKNOWN = 255;

  @Override
  public Class<DevStatusReq> requestType() {
    return DevStatusReq.class;
  }

  @Override
  public Class<DevStatusAns> answerType() {
    return DevStatusAns.class;
  }

  /**
   * Whether a DevStatusReq should go with the downlink answering uplink {@code fCntUp}: when the
   * device never reported its status, and then whenever its uplink counter, shifted by the
   * device's {@link #phase}, enters a new multiple of {@code periodicity} since the last request
   * or answer (every {@code periodicity} uplinks).
   */
  public static boolean due(EndDevice.Builder device, long fCntUp, int periodicity,
      DevAddr devAddr) {
    var s = device.getMacStateBuilder();
    if (MacQueue.hasRequest(s, DevStatusReq.CID)) {
      return false;
    }
    if (!device.hasLastDevStatusReceivedAt()) {
      return true;
    }
    if (periodicity <= 0) {
      return false;
    }
    long phase = phase(periodicity, devAddr);
    long last = s.getLastDevStatusFCntUp() & 0xFFFF_FFFFL;
    return (fCntUp + phase) / periodicity > (last + phase) / periodicity;
  }

  /**
   * The device's phase, {@code 0 <= phase < periodicity}, fixed per DevAddr: where in each
   * {@code periodicity} uplinks its DevStatusReq falls. Devices that joined together (a mass join,
   * a power cut) count their uplinks in step; with one phase they would all want a DevStatusReq
   * at the same uplink, more downlinks at once than their gateways can carry. With the phases
   * spread over the whole period, such a fleet asks a steady {@code 1/periodicity} of its uplinks
   * from its first period on.
   */
  public static int phase(int periodicity, DevAddr devAddr) {
    if (periodicity <= 1) {
      return 0;
    }
    return Integer.remainderUnsigned(devAddr.mixed(), periodicity);
  }

  /**
   * Starts the periodic count at {@code fCntUp}, the first uplink of a new MAC state (a session's
   * first uplink, an ABP device's first uplink seen). A device registered as having reported its
   * status, with its frame counter far from 0 (imported, or a fleet moved from another server),
   * is then asked within its next {@code periodicity} uplinks at its phase, not at once: a fleet
   * registered together does not ask all at its first uplinks. A device that never reported its
   * status is asked at once all the same ({@link #due}).
   */
  public static void countFrom(EndDevice.Builder device, long fCntUp) {
    device.getMacStateBuilder().setLastDevStatusFCntUp((int) fCntUp);
  }

  /** Queues a DevStatusReq. */
  public static void request(EndDevice.Builder device, long fCntUp, MacEvents events) {
    var s = device.getMacStateBuilder();
    MacQueue.queueRequest(s, MacProtos.toProto(new DevStatusReq()));
    s.setLastDevStatusFCntUp((int) fCntUp);
    events.emit(NetworkServerEvents.MAC_DEV_STATUS_REQUEST, null);
  }

  @Override
  public void handleAnswer(DevStatusReq request, DevStatusAns answer, MacUplinkContext ctx,
      EndDevice.Builder device, MacEvents events) {
    int b = answer.battery();
    if (b == BATTERY_EXTERNAL) {
      device.setPowerState(PowerState.POWER_EXTERNAL).setBatteryPercentage(-1);
    } else if (b == BATTERY_UNKNOWN) {
      device.setPowerState(PowerState.POWER_UNKNOWN).setBatteryPercentage(-1);
    } else {
      device.setPowerState(PowerState.POWER_BATTERY).setBatteryPercentage((b - 1) / 253f);
    }
    device.setDownlinkMargin(answer.margin());
    device.setLastDevStatusReceivedAt(Protos.timestamp(ctx.receivedAt()));
    device.getMacStateBuilder().setLastDevStatusAt(Protos.timestamp(ctx.receivedAt()))
        .setLastDevStatusFCntUp((int) ctx.fCntUp());
    events.emit(NetworkServerEvents.MAC_DEV_STATUS_ANSWER, MACCommand.DevStatusAns.newBuilder()
        .setBattery(b).setMargin(answer.margin()).build());
  }
}
