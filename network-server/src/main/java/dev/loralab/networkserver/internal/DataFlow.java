package dev.loralab.networkserver.internal;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import dev.loralab.api.ApiException;
import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationUplink;
import dev.loralab.api.v3.Class;
import dev.loralab.api.EndDeviceCopies;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.MACState;
import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.events.CorrelationIds;
import dev.loralab.events.EventDefinition;
import dev.loralab.frequencyplans.Band;
import dev.loralab.frequencyplans.FrequencyPlan;
import dev.loralab.frequencyplans.FrequencyPlanException;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.FCtrl;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.networkserver.NetworkServerEvents;
import dev.loralab.networkserver.adr.AdrDecision;
import dev.loralab.networkserver.adr.MarginAdr;
import dev.loralab.networkserver.mac.DevStatus;
import dev.loralab.networkserver.mac.LinkAdr;
import dev.loralab.networkserver.mac.MacCommandPipeline;
import dev.loralab.networkserver.mac.MacEvents;
import dev.loralab.networkserver.mac.MacQueue;
import dev.loralab.networkserver.mac.MacUplinkContext;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data uplink path: match the DevAddr's devices by MIC and frame counter, confirm a pending
 * session, process MAC commands and ADR, store the counters, forward the (still encrypted)
 * application payload to the Application Server, and answer in the device's receive windows.
 *
 * <p>Two lanes of the serial executor carry an uplink: the DevAddr's lane looks the device up
 * (uplinks of one DevAddr one at a time, in the order the deduplicator hands them on), then the
 * device's lane processes it, so uplinks reach their device in order. The device lane reads the
 * device once, inside the store's read-modify-write, and decides on a downlink from the device it
 * just wrote. While the write becomes durable the lane waits without holding a thread
 * ({@link KeyedSerialExecutor#executeAsync}); the device's next uplink starts after this one's
 * continuation. When the device's lane is idle, its task runs on the DevAddr lane's thread
 * ({@link KeyedSerialExecutor#executeAsyncInlineIfIdle}) instead of another hand-off.
 *
 * <p>At most {@link dev.loralab.networkserver.NetworkServerConfig#maxUplinksInFlight} data
 * uplinks are in flight: from {@link #handle} until the lanes' tasks of the uplink ended (the
 * uplink forwarded after its durable write and the answering downlink's write done, or the
 * uplink dropped for any reason, including the executor refusing the work). A data uplink
 * handed in beyond the bound is dropped at once: counted as
 * {@code ns_uplink_dropped_total{reason="overloaded"}} and logged at DEBUG once when shedding
 * starts, without an {@code ns.up.data.drop} event (its device is not known before the lookup
 * the drop saves, as for an unknown DevAddr; an event per shed uplink would cost a large part of
 * what shedding saves). The count is the gauge {@code ns_uplinks_in_flight}. An uplink's place
 * is held while its lanes wait for store writes and the Gateway Server's downlink check, so these
 * must complete (successfully or not) for places to come back.
 */
public final class DataFlow {

  private static final Logger LOG = LoggerFactory.getLogger(DataFlow.class);
  /** Class C downlinks wait for the class A windows of the uplink to pass. */
  private static final Duration CLASS_C_AFTER_RX2 = Duration.ofSeconds(1);

  private final NsContext ctx;
  private final DownlinkFlow downlinks;
  private final MacCommandPipeline pipeline;
  private final MarginAdr adr;
  private final InFlightUplinks inFlight;
  private final ShedUplinks shed;
  /** True while uplinks are being shed (logged once per episode). */
  private volatile boolean shedding;
  /** The whole second ADR history entries were last stamped with (see {@link #historySecond}). */
  private volatile Timestamp historySecond;

  /** A flow on {@code ctx}. */
  public DataFlow(NsContext ctx, DownlinkFlow downlinks, MacCommandPipeline pipeline) {
    this.ctx = ctx;
    this.downlinks = downlinks;
    this.pipeline = pipeline;
    this.adr = new MarginAdr(ctx.config().adrMarginDb(), ctx.config().adrHistory());
    this.inFlight = new InFlightUplinks(ctx.config().maxUplinksInFlight());
    this.shed = new ShedUplinks(ctx.config().shedUplinkCounters());
    ctx.metrics().uplinksInFlight(inFlight);
  }

  /** Data uplinks in flight now (also the gauge {@code ns_uplinks_in_flight}). */
  public int uplinksInFlight() {
    return inFlight.count();
  }

  /**
   * A data uplink of {@code devAddr} shed because the Network Server is overloaded (before its
   * device was looked up): the device's next processed uplink credits it to ADR, so that the
   * frame counter gap it leaves is not taken for radio loss. Only for overload-type drops, never
   * for invalid or duplicate frames.
   */
  public void uplinkShed(DevAddr devAddr) {
    shed.shed(devAddr);
  }

  /** The key of a DevAddr's lane in the serial executor. */
  static String devAddrKey(DevAddr devAddr) {
    return LaneKeys.devAddrLane(devAddr);
  }

  /**
   * Handles a deduplicated data uplink: queues it in its DevAddr's lane, which finds the device
   * and continues in the device's lane. Uplinks of one DevAddr handed in here in order reach
   * their device in that order.
   */
  public void handle(DataFrame frame, byte[] raw, UplinkMessage up) {
    handle(frame, raw, up, false);
  }

  /**
   * As {@link #handle(DataFrame, byte[], UplinkMessage)}; if {@code inline}, the DevAddr's lane
   * runs on the calling thread when it is idle (and the device's lane then too, when idle), up
   * to the durable write: the caller must be allowed to run CPU-bound work and cached store
   * reads.
   */
  public void handle(DataFrame frame, byte[] raw, UplinkMessage up, boolean inline) {
    handle(frame, raw, up, inline, null);
  }

  /**
   * As {@link #handle(DataFrame, byte[], UplinkMessage, boolean)}, with {@code corr} the
   * uplink's correlation IDs ({@code CorrelationIds.of(up.getCorrelationIdsList())}) if the
   * caller has them, else null.
   */
  public void handle(DataFrame frame, byte[] raw, UplinkMessage up, boolean inline,
      CorrelationIds corr) {
    InFlightUplinks.Permit permit = inFlight.tryAcquire();
    if (permit == null) {
      ctx.metrics().uplinkOverloaded();
      shed.shed(frame.devAddr());
      if (!shedding) {
        shedding = true;
        LOG.debug("{} data uplinks in flight: dropping new ones until some completed",
            inFlight.max());
      }
      return;
    }
    if (shedding) {
      shedding = false;
    }
    // formatted once per uplink: the lane key, the match, the event identifiers and the device
    String addr = LaneKeys.formatted(frame.devAddr());
    String key = devAddrKey(frame.devAddr());
    KeyedSerialExecutor.Step find = inFlight.track(permit, () -> {
      findDevice(frame, addr, raw, up, corr, permit);
      return null;
    });
    try {
      if (inline) {
        ctx.serial().executeAsyncInlineIfIdle(key, find);
      } else {
        ctx.serial().executeAsync(key, find);
      }
    } catch (RuntimeException | Error e) {
      permit.release(); // idempotent: nothing if the task already ended
      throw e;
    }
  }

  /**
   * In the DevAddr's lane: the device whose session the frame matches, then its lane. The
   * task handed to the device's lane holds a share of {@code permit}.
   */
  private void findDevice(DataFrame frame, String addr, byte[] raw, UplinkMessage up,
      CorrelationIds corr, InFlightUplinks.Permit permit) {
    ctx.dropUplinkOnFailure(() -> findDevice(ctx.store().byDevAddr(frame.devAddr()), frame, addr,
        raw, up, corr, permit));
  }

  private void findDevice(List<EndDevice> candidates, DataFrame frame, String addr, byte[] raw,
      UplinkMessage up, CorrelationIds corr, InFlightUplinks.Permit permit) {
    if (candidates.isEmpty()) {
      ctx.metrics().uplinkDropped("unknown_dev_addr");
      LOG.debug("no device with DevAddr {}", frame.devAddr());
      return;
    }
    UplinkMatcher.Rejected single = null;
    for (EndDevice d : candidates) {
      UplinkMatcher.Result r;
      FrequencyPlan plan = null;
      try {
        plan = ctx.plans().get(d.getFrequencyPlanId());
        Band band = plan.band();
        r = UplinkMatcher.match(d, frame, addr, raw, up, band, band.maxFCntGap());
      } catch (FrequencyPlanException e) {
        r = new UplinkMatcher.Rejected("frequency_plan", e.getMessage(), false);
      }
      if (r instanceof UplinkMatcher.Matched m) {
        EndDeviceIdentifiers ids = d.getIds();
        FrequencyPlan matchedPlan = plan;
        // on this lane's thread if the device's lane is idle: the work up to the durable write
        // is CPU-only, and the lane then waits without holding the thread
        ctx.serial().executeAsyncInlineIfIdle(DownlinkFlow.deviceKey(ids),
            inFlight.track(permit.share(),
                () -> process(ids, new UplinkUpdate(ids, d, m, matchedPlan, frame, addr, raw,
                    up, corr))));
        return;
      }
      if (r instanceof UplinkMatcher.Retransmission rt) {
        EndDeviceIdentifiers ids = d.getIds();
        ctx.serial().executeAsyncInlineIfIdle(DownlinkFlow.deviceKey(ids),
            inFlight.track(permit.share(),
                () -> ctx.store().get(ids).map(cur -> acknowledge(cur, rt, up)).orElse(null)));
        return;
      }
      single = (UplinkMatcher.Rejected) r;
    }
    if (candidates.size() == 1) {
      EndDevice d = candidates.get(0);
      UplinkMatcher.Rejected why = single;
      ctx.serial().executeAsyncInlineIfIdle(DownlinkFlow.deviceKey(d.getIds()),
          inFlight.track(permit.share(), () -> {
            drop(up, CorrelationIds.of(up.getCorrelationIdsList()),
                Protos.entity(d.getIds(), addr), why);
            return null;
          }));
    } else {
      ctx.metrics().uplinkDropped("no_matching_device");
      LOG.debug("none of {} devices with DevAddr {} matches", candidates.size(),
          frame.devAddr());
    }
  }

  private void drop(UplinkMessage up, CorrelationIds corr, EntityIdentifiers entity,
      UplinkMatcher.Rejected why) {
    ctx.metrics().uplinkDropped(why.reason());
    Status.Code code = why.reason().equals("mic_mismatch") ? Status.Code.NOT_FOUND
        : Status.Code.FAILED_PRECONDITION;
    ctx.publishError(NetworkServerEvents.UP_DATA_DROP, corr,
        UplinkDrop.error(code, why.reason(), why.message()), entity);
  }

  /**
   * A retransmitted confirmed uplink: the device missed the ACK. The frame is not processed or
   * forwarded again; only the class A downlink with the ACK is sent. In lane; {@code d} is the
   * device as stored now. Returns null, or the downlink's write the lane waits for.
   */
  private CompletionStage<KeyedSerialExecutor.Step> acknowledge(EndDevice d,
      UplinkMatcher.Retransmission rt, UplinkMessage up) {
    if (!d.hasSession() || (d.getSession().getLastFCntUp() & 0xFFFF_FFFFL) != rt.fCnt32()) {
      return null;
    }
    FrequencyPlan plan;
    try {
      plan = ctx.plans().get(d.getFrequencyPlanId());
    } catch (FrequencyPlanException e) {
      return null;
    }
    ctx.metrics().uplinkDropped("retransmission");
    if (DownlinkFlow.mayBeClassC(d)) {
      downlinks.rememberGateways(d.getIds(), up, plan, rt.dataRate());
    }
    // the channel in d's current parameters, looked up only if a downlink is built
    return downlinks.afterUplink(d, plan, new DownlinkFlow.UplinkTrigger(up, rt.dataRate(),
        DownlinkFlow.UplinkTrigger.CHANNEL_FROM_DEVICE, rt.fCnt32(), true, false,
        CorrelationIds.of(up.getCorrelationIdsList())));
  }

  /**
   * In the device's lane: applies the uplink to the device and waits, without holding a thread,
   * for the durable write; the lane continues with {@link #stored} once it completed, before the
   * device's next task. Nothing is forwarded or answered before the frame counter is stored.
   */
  private CompletionStage<KeyedSerialExecutor.Step> process(EndDeviceIdentifiers ids,
      UplinkUpdate u) {
    return ctx.updateDurably(ids, u::apply, (updated, error) -> stored(ids, u, updated, error));
  }

  /**
   * In the device's lane, once the uplink's write completed: {@code updated} as stored, or the
   * {@code error} of the write. An aborted update was not applied (the uplink is dropped or
   * acknowledged as before the write); a failed write drops the uplink, counted and logged by
   * {@link NsContext#dropUplinkOnFailure}. Returns null, or the write of the answering
   * downlink's frame counter, which the lane waits for in turn.
   */
  private CompletionStage<KeyedSerialExecutor.Step> stored(EndDeviceIdentifiers ids,
      UplinkUpdate u, EndDevice updated, Throwable error) {
    DataFrame frame = u.frame;
    UplinkMessage up = u.up;
    if (error != null) {
      if (u.aborted) {
        // not applied, nothing written
        u.publishEvents();
        if (u.result instanceof UplinkMatcher.Rejected why) {
          drop(up, u.corr, u.entity, why);
        } else if (u.result instanceof UplinkMatcher.Retransmission rt) {
          return acknowledge(u.current, rt, up);
        }
        return null;
      }
      if (error instanceof ApiException api && api.code() == Status.Code.NOT_FOUND) {
        LOG.debug("device {} disappeared while processing an uplink", ids.getDeviceId());
        return null;
      }
      ctx.dropUplinkOnFailure(() -> {
        throw KeyedSerialExecutor.unchecked(error);
      });
      return null;
    }
    ctx.metrics().uplinkProcessed();
    u.publishEvents();
    ctx.publish(NetworkServerEvents.UP_DATA_PROCESS, u.corr, u.upEvent, u.entity);

    UplinkMatcher.Matched m = (UplinkMatcher.Matched) u.result;
    long fCnt = m.fCnt32();
    if (frame.fPort().isPresent() && frame.fPort().getAsInt() > 0) {
      ApplicationUplink.Builder au = ApplicationUplink.newBuilder()
          .setSessionKeyId(updated.getSession().getKeys().getSessionKeyId())
          .setFPort(frame.fPort().getAsInt())
          .setFCnt((int) fCnt)
          // toArray is a fresh copy that nothing else holds
          .setFrmPayload(UnsafeByteOperations.unsafeWrap(frame.frmPayload().toArray()))
          .addAllRxMetadata(up.getRxMetadataList())
          .setSettings(up.getSettings())
          .setReceivedAt(u.receivedAt)
          .setConfirmed(frame.confirmed())
          .setLastAFCntDown(updated.getSession().getLastAFCntDown());
      if (up.hasConsumedAirtime()) {
        au.setConsumedAirtime(up.getConsumedAirtime());
      }
      ApplicationUp forward = ApplicationUp.newBuilder()
          .setEndDeviceIds(updated.getIds())
          .addAllCorrelationIds(u.corr.asList())
          .setReceivedAt(u.receivedAt)
          .setUplinkMessage(au)
          .setSimulated(updated.getSimulated())
          .build();
      u.toAs.add(forward);
      ctx.publish(NetworkServerEvents.UP_DATA_FORWARD, u.corr, forward, u.entity);
    }
    if (!u.toAs.isEmpty()) {
      downlinks.sendToAs(u.toAs);
    }
    if (DownlinkFlow.mayBeClassC(updated)) {
      downlinks.rememberGateways(ids, up, u.plan, m.dataRate());
    }
    // the channel in updated's current parameters, looked up only if a downlink is built
    CompletionStage<KeyedSerialExecutor.Step> downlink = downlinks.afterUplink(updated, u.plan,
        new DownlinkFlow.UplinkTrigger(up, m.dataRate(),
            DownlinkFlow.UplinkTrigger.CHANNEL_FROM_DEVICE, fCnt, frame.confirmed(),
            u.adrAckReq, u.corr));
    if (updated.getMacState().getDeviceClass() == Class.CLASS_C) {
      // a later task of the lane: it runs after the class A downlink's write
      long rx1 = Math.max(1, updated.getMacState().getCurrentParameters().getRx1Delay());
      downlinks.triggerClassC(ids, Duration.ofSeconds(rx1 + 1).plus(CLASS_C_AFTER_RX2));
    }
    return downlink;
  }

  /** An event waiting for the device change it reports to be stored. */
  private record Emission(EventDefinition definition, Message data) {}

  /**
   * One uplink applied to the device inside the store's read-modify-write ({@link #apply} runs
   * exactly once): matched against the current state, its MAC commands, ADR and counters
   * applied. If it does not match any more (the device changed since the DevAddr lane looked),
   * {@link #apply} aborts the update by throwing, and nothing is written. Events wait in
   * {@link #events} until the change is stored.
   */
  private final class UplinkUpdate {
    final EndDeviceIdentifiers ids;
    /** The device as the DevAddr lane matched it, and the match. */
    final EndDevice looked;
    final UplinkMatcher.Matched lookedMatch;
    /** The frequency plan the DevAddr lane matched {@link #looked} in. */
    final FrequencyPlan lookedPlan;
    final DataFrame frame;
    /** The frame's DevAddr, formatted. */
    final String addr;
    final byte[] raw;
    final UplinkMessage up;
    final CorrelationIds corr;
    final EntityIdentifiers entity;
    final List<Emission> events = new ArrayList<>(2);
    final List<ApplicationUp> toAs = new ArrayList<>(2);
    final MacEvents emit = (def, data) -> events.add(new Emission(def, data));
    /** Matched, or why not; null if the device's frequency plan is unknown. */
    UplinkMatcher.Result result;
    /** The device as read, when the update was aborted. */
    EndDevice current;
    boolean aborted;
    FrequencyPlan plan;
    UplinkMessage upEvent;
    Timestamp receivedAt;
    boolean adrAckReq;

    UplinkUpdate(EndDeviceIdentifiers ids, EndDevice looked, UplinkMatcher.Matched lookedMatch,
        FrequencyPlan lookedPlan, DataFrame frame, String addr, byte[] raw, UplinkMessage up,
        CorrelationIds corr) {
      this.ids = ids;
      this.looked = looked;
      this.lookedMatch = lookedMatch;
      this.lookedPlan = lookedPlan;
      this.frame = frame;
      this.addr = addr;
      this.raw = raw;
      this.up = up;
      this.corr = corr != null ? corr : CorrelationIds.of(up.getCorrelationIdsList());
      this.entity = Protos.entity(ids, addr);
    }

    void publishEvents() {
      for (Emission e : events) {
        ctx.publish(e.definition(), corr, e.data(), entity);
      }
    }

    private RuntimeException abort(EndDevice d, UplinkMatcher.Result why) {
      current = d;
      result = why;
      aborted = true;
      return NotApplied.INSTANCE;
    }

    EndDevice apply(EndDevice d) {
      // the same (immutable) device the DevAddr lane matched, as a caching store returns it when
      // nothing changed in between: the same plan and match; otherwise look and match again
      boolean same = d == looked && lookedPlan != null;
      if (same) {
        plan = lookedPlan;
      } else {
        try {
          plan = ctx.plans().get(d.getFrequencyPlanId());
        } catch (FrequencyPlanException e) {
          throw abort(d, null);
        }
      }
      Band band = plan.band();
      UplinkMatcher.Result r = same ? lookedMatch
          : UplinkMatcher.match(d, frame, addr, raw, up, band, band.maxFCntGap());
      if (!(r instanceof UplinkMatcher.Matched m)) {
        throw abort(d, r);
      }
      result = m;
      long fCnt = m.fCnt32();
      upEvent = up.hasPayload() ? up
          : up.toBuilder().setPayload(Protos.dataMessage(frame, addr, fCnt)).build();
      events.add(new Emission(NetworkServerEvents.UP_DATA_RECEIVE, upEvent));
      if (frame.hasMacCommandsInFOptsAndFrmPayload()) {
        throw abort(d, new UplinkMatcher.Rejected("mac_in_fopts_and_payload",
            "MAC commands in both FOpts and an FPort-0 payload (LoRaWAN 1.1 §4.3.1.6)", true));
      }
      Instant received = up.hasReceivedAt() ? Protos.instant(up.getReceivedAt())
          : ctx.clock().instant();
      receivedAt = Protos.timestamp(received);

      EndDevice.Builder b = EndDeviceCopies.builderOf(d);
      if (m.pending()) {
        b.setSession(d.getPendingSession()).clearPendingSession()
            .setMacState(d.hasPendingMacState() ? d.getPendingMacState()
                : MacStates.initial(d, plan, ctx.config(), true))
            .clearPendingMacState();
        DevStatus.countFrom(b, fCnt);
      }
      if (!b.hasMacState()) {
        b.setMacState(MacStates.initial(d, plan, ctx.config(), false));
        DevStatus.countFrom(b, fCnt);
      }
      if (!addr.equals(d.getIds().getDevAddr())) {
        // set once (after a join or for a new ABP device): an unchanged ids message is kept
        b.getIdsBuilder().setDevAddr(addr);
      }
      b.getSessionBuilder().setLastFCntUp((int) fCnt);
      b.setLastSeenAt(receivedAt);

      byte[] mac = frame.fHdr().fOpts().toArray();
      if (mac.length > 0 && m.version().is1_1()) {
        mac = PayloadCipher.fOpts11(m.keys().nwkSEncKey(), true, frame.devAddr(), fCnt, true,
            mac);
      }
      if (frame.fPort().isPresent() && frame.fPort().getAsInt() == 0) {
        mac = PayloadCipher.frmPayload(m.keys().nwkSEncKey(), true, frame.devAddr(), fCnt,
            frame.frmPayload().toArray());
      }

      MACState.Builder ms = b.getMacStateBuilder();
      // MAC answers go in the downlink answering the uplink that asked (LoRaWAN 1.0.4 §5): one
      // that downlink did not carry (refused by the gateways, RX windows missed) is stale now; a
      // device still waiting for a confirmation repeats its indication, which queues it again
      if (ms.getQueuedResponsesCount() > 0) {
        ms.clearQueuedResponses();
      }
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

      double bestMargin = RadioSettings.bestSnrMargin(up, band, m.dataRate());
      pipeline.processUplink(mac, new MacUplinkContext(received, fCnt, up.getRxMetadataCount(),
          bestMargin, m.version(), band), b, emit);

      // the uplinks of this DevAddr shed since its previous uplink: taken only once nothing can
      // abort this update any more (a failed write loses them: ADR then sees them as before)
      int shedBefore = shed.take(frame.devAddr());
      if (shedBefore > 0) {
        ctx.metrics().adrShedUplinksCredited(shedBefore);
      }
      recordQuality(ms, fCnt, m.dataRate(), shedBefore);
      if (frame.fHdr().fCtrl().adr() && band.channelPlan() == Band.ChannelPlan.DYNAMIC_16
          && !MacQueue.hasRequest(ms, MacCommand.LinkADRReq.CID)) {
        var cur = ms.getCurrentParameters();
        Optional<AdrDecision> decision = adr.decide(ms.getRecentUplinksList(), band,
            cur.getAdrTxPowerIndex());
        if (decision.isPresent()) {
          AdrDecision a = decision.get();
          if (a.dataRate() != m.dataRate() || a.txPowerIndex() != cur.getAdrTxPowerIndex()
              || a.nbTrans() != Math.max(1, cur.getAdrNbTrans())) {
            LinkAdr.request(b, a.dataRate(), a.txPowerIndex(), a.nbTrans(), emit);
          }
        }
      }
      if (DevStatus.due(b, fCnt, ctx.config().statusCountPeriodicity(),
          frame.devAddr())) {
        DevStatus.request(b, fCnt, emit);
      }
      adrAckReq = frame.fHdr().fCtrl() instanceof FCtrl.Uplink ul && ul.adrAckReq();
      if (adrAckReq) {
        ms.setAdrAckReqCount(ms.getAdrAckReqCount() + 1);
      }
      ms.setRxWindowsAvailable(true);
      return b.build();
    }

    /** Appends this uplink's quality to the ADR history, keeping the newest entries. */
    private void recordQuality(MACState.Builder ms, long fCnt, int dataRate, int shedBefore) {
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
      // the oldest entries go before the new one comes (adrHistory >= 1), so that the list
      // copied on the first change has room for it: the same newest adrHistory entries remain
      for (int excess = ms.getRecentUplinksCount() + 1 - ctx.config().adrHistory(); excess > 0;
          excess--) {
        ms.removeRecentUplinks(0);
      }
      ms.addRecentUplinks(MACState.UplinkQuality.newBuilder().setFCnt((int) fCnt)
          .setMaxSnr(maxSnr).setMaxRssi(maxRssi).setGatewayCount(up.getRxMetadataCount())
          .setDataRateIndex(dataRate).setReceivedAt(historySecond(receivedAt))
          .setServerDroppedBefore(shedBefore));
    }
  }

  /**
   * {@code t} to the whole second, one shared instance per second: an ADR history entry lives
   * for the device's next {@code adrHistory} uplinks (seconds under load, through several young
   * collections), and a timestamp of its own per entry was a third of what the history kept
   * alive. ADR does not read the time; the uplink's exact time is in its events and in
   * {@code last_seen_at}. Racing threads may each build one: harmless.
   */
  private Timestamp historySecond(Timestamp t) {
    Timestamp s = historySecond;
    if (s == null || s.getSeconds() != t.getSeconds()) {
      s = Timestamp.newBuilder().setSeconds(t.getSeconds()).build();
      historySecond = s;
    }
    return s;
  }

  /**
   * Aborts the store's read-modify-write of an uplink that no longer matches its device (the
   * reason is in the {@link UplinkUpdate}). Shared and without a stack trace: it is control flow.
   */
  private static final class NotApplied extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final NotApplied INSTANCE = new NotApplied();

    private NotApplied() {
      super("uplink not applied", null, false, false);
    }
  }
}
