package dev.loralab.networkserver.internal;

import dev.loralab.api.ApiException;
import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationUplink;
import dev.loralab.api.v3.Class;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.MACState;
import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.events.CorrelationIds;
import dev.loralab.frequencyplans.Band;
import dev.loralab.frequencyplans.FrequencyPlan;
import dev.loralab.frequencyplans.FrequencyPlanException;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.FCtrl;
import dev.loralab.networkserver.NetworkServerEvents;
import dev.loralab.networkserver.adr.AdrDecision;
import dev.loralab.networkserver.adr.MarginAdr;
import dev.loralab.networkserver.mac.DevStatus;
import dev.loralab.networkserver.mac.LinkAdr;
import dev.loralab.networkserver.mac.MacCommandPipeline;
import dev.loralab.networkserver.mac.MacQueue;
import dev.loralab.networkserver.mac.MacUplinkContext;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data uplink path: match the DevAddr's devices by MIC and frame counter, confirm a pending
 * session, process MAC commands and ADR, store the counters, forward the (still encrypted)
 * application payload to the Application Server, and answer in the device's receive windows.
 */
public final class DataFlow {

  private static final Logger LOG = LoggerFactory.getLogger(DataFlow.class);
  /** Class C downlinks wait for the class A windows of the uplink to pass. */
  private static final Duration CLASS_C_AFTER_RX2 = Duration.ofSeconds(1);

  private final NsContext ctx;
  private final DownlinkFlow downlinks;
  private final MacCommandPipeline pipeline;
  private final MarginAdr adr;

  /** A flow on {@code ctx}. */
  public DataFlow(NsContext ctx, DownlinkFlow downlinks, MacCommandPipeline pipeline) {
    this.ctx = ctx;
    this.downlinks = downlinks;
    this.pipeline = pipeline;
    this.adr = new MarginAdr(ctx.config().adrMarginDb(), ctx.config().adrHistory());
  }

  /** Handles a deduplicated data uplink: finds the device, then continues in its lane. */
  public void handle(DataFrame frame, byte[] raw, UplinkMessage up) {
    List<EndDevice> candidates = ctx.store().byDevAddr(frame.devAddr());
    if (candidates.isEmpty()) {
      ctx.metrics().uplinkDropped("unknown_dev_addr");
      LOG.debug("no device with DevAddr {}", frame.devAddr());
      return;
    }
    UplinkMatcher.Rejected single = null;
    for (EndDevice d : candidates) {
      UplinkMatcher.Result r;
      try {
        Band band = ctx.plans().get(d.getFrequencyPlanId()).band();
        r = UplinkMatcher.match(d, frame, raw, up, band, band.maxFCntGap());
      } catch (FrequencyPlanException e) {
        r = new UplinkMatcher.Rejected("frequency_plan", e.getMessage(), false);
      }
      if (r instanceof UplinkMatcher.Matched) {
        EndDeviceIdentifiers ids = d.getIds();
        ctx.serial().execute(DownlinkFlow.deviceKey(ids), () -> process(ids, frame, raw, up));
        return;
      }
      if (r instanceof UplinkMatcher.Retransmission rt) {
        EndDeviceIdentifiers ids = d.getIds();
        ctx.serial().execute(DownlinkFlow.deviceKey(ids), () -> acknowledge(ids, rt, up));
        return;
      }
      single = (UplinkMatcher.Rejected) r;
    }
    if (candidates.size() == 1) {
      EndDevice d = candidates.get(0);
      UplinkMatcher.Rejected why = single;
      ctx.serial().execute(DownlinkFlow.deviceKey(d.getIds()),
          () -> drop(up, Protos.entity(d.getIds(), frame.devAddr().toString()), why));
    } else {
      ctx.metrics().uplinkDropped("no_matching_device");
      LOG.debug("none of {} devices with DevAddr {} matches", candidates.size(),
          frame.devAddr());
    }
  }

  private void drop(UplinkMessage up, EntityIdentifiers entity, UplinkMatcher.Rejected why) {
    ctx.metrics().uplinkDropped(why.reason());
    Status.Code code = why.reason().equals("mic_mismatch") ? Status.Code.NOT_FOUND
        : Status.Code.FAILED_PRECONDITION;
    ctx.publishError(NetworkServerEvents.UP_DATA_DROP,
        CorrelationIds.of(up.getCorrelationIdsList()),
        UplinkDrop.error(code, why.reason(), why.message()), entity);
  }

  /**
   * A retransmitted confirmed uplink: the device missed the ACK. The frame is not processed or
   * forwarded again; only the class A downlink with the ACK is sent. In lane.
   */
  private void acknowledge(EndDeviceIdentifiers ids, UplinkMatcher.Retransmission rt,
      UplinkMessage up) {
    EndDevice d = ctx.store().get(ids).orElse(null);
    if (d == null || !d.hasSession()
        || (d.getSession().getLastFCntUp() & 0xFFFF_FFFFL) != rt.fCnt32()) {
      return;
    }
    FrequencyPlan plan;
    try {
      plan = ctx.plans().get(d.getFrequencyPlanId());
    } catch (FrequencyPlanException e) {
      return;
    }
    ctx.metrics().uplinkDropped("retransmission");
    downlinks.rememberGateways(ids, up, plan, rt.dataRate());
    int channel = UplinkMatcher.channelIndex(d.getMacState().getCurrentParameters(), plan.band(),
        up);
    downlinks.afterUplink(ids, new DownlinkFlow.UplinkTrigger(up, rt.dataRate(), channel,
        rt.fCnt32(), true, false, CorrelationIds.of(up.getCorrelationIdsList())));
  }

  private void process(EndDeviceIdentifiers ids, DataFrame frame, byte[] raw, UplinkMessage up) {
    EndDevice d = ctx.store().get(ids).orElse(null);
    if (d == null) {
      return;
    }
    FrequencyPlan plan;
    try {
      plan = ctx.plans().get(d.getFrequencyPlanId());
    } catch (FrequencyPlanException e) {
      return;
    }
    Band band = plan.band();
    String addr = frame.devAddr().toString();
    EntityIdentifiers entity = Protos.entity(ids, addr);
    UplinkMatcher.Result r = UplinkMatcher.match(d, frame, raw, up, band, band.maxFCntGap());
    if (r instanceof UplinkMatcher.Rejected why) {
      drop(up, entity, why);
      return;
    }
    UplinkMatcher.Matched m = (UplinkMatcher.Matched) r;
    CorrelationIds corr = CorrelationIds.of(up.getCorrelationIdsList());
    long fCnt = m.fCnt32();
    UplinkMessage upEvent = up.hasPayload() ? up
        : up.toBuilder().setPayload(Protos.dataMessage(frame, fCnt)).build();
    ctx.publish(NetworkServerEvents.UP_DATA_RECEIVE, corr, upEvent, entity);
    if (frame.hasMacCommandsInFOptsAndFrmPayload()) {
      drop(up, entity, new UplinkMatcher.Rejected("mac_in_fopts_and_payload",
          "MAC commands in both FOpts and an FPort-0 payload (LoRaWAN 1.1 §4.3.1.6)", true));
      return;
    }
    Instant now = ctx.clock().instant();
    Instant receivedAt = up.hasReceivedAt() ? Protos.instant(up.getReceivedAt()) : now;

    EndDevice.Builder b = d.toBuilder();
    if (m.pending()) {
      b.setSession(d.getPendingSession()).clearPendingSession()
          .setMacState(d.hasPendingMacState() ? d.getPendingMacState()
              : MacStates.initial(d, plan, ctx.config(), true))
          .clearPendingMacState();
    }
    if (!b.hasMacState()) {
      b.setMacState(MacStates.initial(d, plan, ctx.config(), false));
    }
    b.getIdsBuilder().setDevAddr(addr);
    b.getSessionBuilder().setLastFCntUp((int) fCnt);
    b.setLastSeenAt(Protos.timestamp(receivedAt));

    byte[] mac = frame.fHdr().fOpts().toArray();
    if (mac.length > 0 && m.version().is1_1()) {
      mac = PayloadCipher.fOpts11(m.keys().nwkSEncKey(), true, frame.devAddr(), fCnt, true, mac);
    }
    boolean port0 = frame.fPort().isPresent() && frame.fPort().getAsInt() == 0;
    if (port0) {
      mac = PayloadCipher.frmPayload(m.keys().nwkSEncKey(), true, frame.devAddr(), fCnt,
          frame.frmPayload().toArray());
    }

    List<ApplicationUp> toAs = new ArrayList<>();
    MACState.Builder ms = b.getMacStateBuilder();
    if (ms.hasPendingApplicationDownlink()) {
      ApplicationDownlink p = ms.getPendingApplicationDownlink();
      if (frame.fHdr().fCtrl().ack()) {
        toAs.add(ApplicationUp.newBuilder().setEndDeviceIds(b.getIds())
            .addAllCorrelationIds(p.getCorrelationIdsList()).setDownlinkAck(p).build());
        ms.clearPendingApplicationDownlink();
      } else if (p.getConfirmedRetry().getAttempt()
          >= ctx.config().confirmedDownlinkMaxAttempts()) {
        toAs.add(ApplicationUp.newBuilder().setEndDeviceIds(b.getIds())
            .addAllCorrelationIds(p.getCorrelationIdsList()).setDownlinkNack(p).build());
        ms.clearPendingApplicationDownlink();
      }
      // otherwise the next downlink retransmits it
    }

    int gateways = up.getRxMetadataCount();
    double bestMargin = RadioSettings.bestSnrMargin(up, band, m.dataRate());
    MacUplinkContext mctx = new MacUplinkContext(receivedAt, fCnt, gateways, bestMargin,
        m.version(), band);
    pipeline.processUplink(mac, mctx, b,
        (def, data) -> ctx.publish(def, corr, data, entity));

    recordQuality(ms, up, fCnt, m.dataRate(), receivedAt);
    boolean adrBit = frame.fHdr().fCtrl().adr();
    if (adrBit && band.channelPlan() == Band.ChannelPlan.DYNAMIC_16
        && !MacQueue.hasRequest(ms, MacCommand.LinkADRReq.CID)) {
      var cur = ms.getCurrentParameters();
      Optional<AdrDecision> decision = adr.decide(ms.getRecentUplinksList(), band,
          cur.getAdrTxPowerIndex());
      if (decision.isPresent()) {
        AdrDecision a = decision.get();
        if (a.dataRate() != m.dataRate() || a.txPowerIndex() != cur.getAdrTxPowerIndex()
            || a.nbTrans() != Math.max(1, cur.getAdrNbTrans())) {
          LinkAdr.request(b, a.dataRate(), a.txPowerIndex(), a.nbTrans(),
              (def, data) -> ctx.publish(def, corr, data, entity));
        }
      }
    }
    if (DevStatus.due(b, fCnt, ctx.config().statusCountPeriodicity())) {
      DevStatus.request(b, fCnt, (def, data) -> ctx.publish(def, corr, data, entity));
    }
    boolean adrAckReq = frame.fHdr().fCtrl() instanceof FCtrl.Uplink u && u.adrAckReq();
    if (adrAckReq) {
      ms.setAdrAckReqCount(ms.getAdrAckReqCount() + 1);
    }
    ms.setRxWindowsAvailable(true);
    EndDevice updated = b.build();
    try {
      ctx.store().update(ids, cur -> updated, true);
    } catch (ApiException e) {
      LOG.debug("device {} disappeared while processing an uplink", ids.getDeviceId());
      return;
    }
    ctx.metrics().uplinkProcessed();
    ctx.publish(NetworkServerEvents.UP_DATA_PROCESS, corr, upEvent, entity);

    if (frame.fPort().isPresent() && frame.fPort().getAsInt() > 0) {
      ApplicationUplink.Builder au = ApplicationUplink.newBuilder()
          .setSessionKeyId(updated.getSession().getKeys().getSessionKeyId())
          .setFPort(frame.fPort().getAsInt())
          .setFCnt((int) fCnt)
          .setFrmPayload(com.google.protobuf.ByteString.copyFrom(frame.frmPayload().toArray()))
          .addAllRxMetadata(up.getRxMetadataList())
          .setSettings(up.getSettings())
          .setReceivedAt(Protos.timestamp(receivedAt))
          .setConfirmed(frame.confirmed())
          .setLastAFCntDown(updated.getSession().getLastAFCntDown());
      if (up.hasConsumedAirtime()) {
        au.setConsumedAirtime(up.getConsumedAirtime());
      }
      ApplicationUp forward = ApplicationUp.newBuilder()
          .setEndDeviceIds(updated.getIds())
          .addAllCorrelationIds(corr.asList())
          .setReceivedAt(Protos.timestamp(receivedAt))
          .setUplinkMessage(au)
          .setSimulated(updated.getSimulated())
          .build();
      toAs.add(forward);
      ctx.publish(NetworkServerEvents.UP_DATA_FORWARD, corr, forward, entity);
    }
    if (!toAs.isEmpty()) {
      downlinks.sendToAs(toAs);
    }
    downlinks.rememberGateways(ids, up, plan, m.dataRate());
    int channel = UplinkMatcher.channelIndex(updated.getMacState().getCurrentParameters(), band,
        up);
    downlinks.afterUplink(ids, new DownlinkFlow.UplinkTrigger(up, m.dataRate(), channel, fCnt,
        frame.confirmed(), adrAckReq, corr));
    if (updated.getMacState().getDeviceClass() == Class.CLASS_C) {
      long rx1 = Math.max(1, updated.getMacState().getCurrentParameters().getRx1Delay());
      downlinks.triggerClassC(ids, Duration.ofSeconds(rx1 + 1).plus(CLASS_C_AFTER_RX2));
    }
  }

  private void recordQuality(MACState.Builder ms, UplinkMessage up, long fCnt, int dataRate,
      Instant receivedAt) {
    float maxSnr = Float.NEGATIVE_INFINITY;
    float maxRssi = Float.NEGATIVE_INFINITY;
    for (RxMetadata md : up.getRxMetadataList()) {
      maxSnr = Math.max(maxSnr, md.getSnr());
      maxRssi = Math.max(maxRssi, md.getRssi());
    }
    if (up.getRxMetadataCount() == 0) {
      maxSnr = 0;
      maxRssi = 0;
    }
    List<MACState.UplinkQuality> l = new ArrayList<>(ms.getRecentUplinksList());
    l.add(MACState.UplinkQuality.newBuilder().setFCnt((int) fCnt).setMaxSnr(maxSnr)
        .setMaxRssi(maxRssi).setGatewayCount(up.getRxMetadataCount())
        .setDataRateIndex(dataRate).setReceivedAt(Protos.timestamp(receivedAt)).build());
    int max = ctx.config().adrHistory();
    if (l.size() > max) {
      l = l.subList(l.size() - max, l.size());
    }
    ms.clearRecentUplinks().addAllRecentUplinks(l);
  }
}
