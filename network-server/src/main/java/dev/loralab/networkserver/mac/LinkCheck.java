package dev.loralab.networkserver.mac;

import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.lorawan.mac.MacCommand.LinkCheckAns;
import dev.loralab.lorawan.mac.MacCommand.LinkCheckReq;
import dev.loralab.networkserver.NetworkServerEvents;

/**
 * LinkCheckReq → LinkCheckAns (LoRaWAN 1.1 §5.2): the margin is the best SNR margin of the
 * uplink over the demodulation floor of its data rate (dB, 0..254), the gateway count how many
 * gateways received it.
 */
public final class LinkCheck implements DeviceInitiatedCommand<LinkCheckReq> {

  @Override
  public Class<LinkCheckReq> commandType() {
    return LinkCheckReq.class;
  }

  @Override
  public void handle(LinkCheckReq command, MacUplinkContext ctx, EndDevice.Builder device,
      MacEvents events) {
    events.emit(NetworkServerEvents.MAC_LINK_CHECK_REQUEST, null);
    int margin = (int) Math.max(0, Math.min(254, Math.floor(ctx.bestSnrMarginDb())));
    int gwCnt = Math.min(255, ctx.gatewayCount());
    LinkCheckAns ans = new LinkCheckAns(margin, gwCnt);
    MacQueue.queueResponse(device.getMacStateBuilder(), MacProtos.toProto(ans));
    events.emit(NetworkServerEvents.MAC_LINK_CHECK_ANSWER,
        MACCommand.LinkCheckAns.newBuilder().setMargin(margin).setGatewayCount(gwCnt).build());
  }
}
