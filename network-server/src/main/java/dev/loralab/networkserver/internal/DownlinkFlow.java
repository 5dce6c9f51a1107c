package dev.loralab.networkserver.internal;

import com.google.protobuf.ByteString;
import dev.loralab.api.ApiException;
import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.ApplicationDownlinkFailed;
import dev.loralab.api.v3.ApplicationInvalidatedDownlinks;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.Class;
import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.DownlinkPath;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.GatewayAntennaIdentifiers;
import dev.loralab.api.v3.GatewayTxAcknowledgment;
import dev.loralab.api.v3.MACCommand;
import dev.loralab.api.v3.MACState;
import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.ScheduleDownlinkResponse;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.TxAcknowledgment;
import dev.loralab.api.v3.TxRequest;
import dev.loralab.api.v3.TxSchedulePriority;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.events.CorrelationIds;
import dev.loralab.frequencyplans.FrequencyPlan;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.FCtrl;
import dev.loralab.lorawan.frame.FHdr;
import dev.loralab.lorawan.frame.MType;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import dev.loralab.networkserver.NetworkServerEvents;
import dev.loralab.networkserver.mac.MacProtos;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds data downlinks (MAC answers and requests in FOpts or on FPort 0, the head of the
 * application queue, ACK and FPending), asks the Gateway Server whether it would take them
 * ({@code NsGs.checkDownlink}), stores the frame counter durably, then asks the Gateway Server to
 * schedule them: class A after an uplink, class C as soon as possible. A downlink the check
 * refuses costs no write: nothing was taken, so nothing is given back.
 *
 * <p>A class A downlink that would carry only MAC requests the Network Server queued itself is
 * not attempted again on every uplink once the Gateway Server refused it: the device backs off
 * ({@link DownlinkBackoff}, see {@link #afterUplink}).
 */
public final class DownlinkFlow {

  private static final Logger LOG = LoggerFactory.getLogger(DownlinkFlow.class);
  /** How long a transmission is remembered for its TxAck. */
  private static final Duration TX_ACK_MEMORY = Duration.ofMinutes(2);
  /** MACPayload overhead: FHDR without FOpts (7) and FPort (1). */
  private static final int MAC_PAYLOAD_OVERHEAD = FHdr.MIN_SIZE + 1;

  private final NsContext ctx;
  private final DownlinkBackoff backoff;
  private final ConcurrentHashMap<String, Transmission> transmissions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, List<GatewayAntennaIdentifiers>> lastGateways =
      new ConcurrentHashMap<>();

  private record Transmission(String devAddr, DownlinkMessage message) {}

  /**
   * An uplink that opens class A receive windows.
   *
   * @param up the deduplicated uplink
   * @param dataRate its data rate index
   * @param channelIndex its channel index, or {@link #CHANNEL_FROM_DEVICE}: found (by
   *     {@link UplinkMatcher#channelIndex}) in the device's current parameters only when a
   *     downlink is built, which most uplinks do not need
   * @param fCntUp its full FCntUp
   * @param ack true to acknowledge it (confirmed uplink)
   * @param force true to send a downlink even if empty (ADRAckReq)
   * @param correlationIds the uplink's correlation IDs
   */
  public record UplinkTrigger(UplinkMessage up, int dataRate, int channelIndex, long fCntUp,
      boolean ack, boolean force, CorrelationIds correlationIds) {

    /** A {@code channelIndex} to look up in the device the downlink is built for. */
    public static final int CHANNEL_FROM_DEVICE = -1;
  }

  /**
   * A downlink built and stored: {@code before} is the device before, {@code builtAt} the
   * {@code mac_state.last_downlink_at} it stored (which identifies it as the latest one).
   */
  private record Built(EndDevice before, DownlinkMessage message, ApplicationDownlink app,
      boolean appFromQueue, com.google.protobuf.Timestamp builtAt) {}

  /**
   * What {@link #build} prepared: the device {@code change} to store durably, then the messages
   * for the Application Server and the downlink to schedule ({@code built}, null if none).
   */
  private record Prepared(UnaryOperator<EndDevice> change, List<ApplicationUp> toAs,
      Built built) {}

  /**
   * A built downlink on its way to the Gateway Server: {@code down} carries the request and the
   * correlation IDs {@code corr} of its events; {@code deferrable} (class A, answering uplink
   * {@code fCntUp}) if a refusal makes the device back off.
   */
  private record Offer(Built built, DownlinkMessage down, CorrelationIds corr,
      dev.loralab.api.v3.EntityIdentifiers entity, boolean classC, int attempt,
      boolean deferrable, long fCntUp) {}

  /** A flow on {@code ctx}. */
  public DownlinkFlow(NsContext ctx) {
    this.ctx = ctx;
    this.backoff = new DownlinkBackoff(ctx.config().downlinkBackoffSlots(),
        ctx.config().downlinkRefusalBackoffMax());
  }

  /** The key of a device in the serial executor and gateway memory. */
  public static String deviceKey(EndDeviceIdentifiers ids) {
    return LaneKeys.deviceLane(ids);
  }

  /** Remembers the gateways that heard the device last (class C path). */
  public void rememberGateways(EndDeviceIdentifiers ids, UplinkMessage up, FrequencyPlan plan,
      int dataRate) {
    List<GatewayAntennaIdentifiers> l = new ArrayList<>();
    for (RxMetadata md : RadioSettings.rankGateways(up, plan.band(), dataRate)) {
      if (l.size() < ctx.config().maxDownlinkPaths()) {
        l.add(GatewayAntennaIdentifiers.newBuilder().setGatewayIds(md.getGatewayIds())
            .setAntennaIndex(md.getAntennaIndex()).build());
      }
    }
    if (!l.isEmpty()) {
      lastGateways.put(deviceKey(ids), List.copyOf(l));
    }
  }

  /**
   * Whether the device may be or become class C, so that the class C path needs the gateways
   * that heard it last ({@link #rememberGateways}).
   */
  public static boolean mayBeClassC(EndDevice d) {
    return d.getSupportsClassC() || d.getMacState().getDeviceClass() == Class.CLASS_C;
  }

  /**
   * Sends the class A downlink answering an uplink, if there is anything to send. In lane; the
   * Gateway Server checks the downlink first, then its frame counter is stored durably before it
   * is scheduled: the lane waits for the returned stage (see
   * {@link KeyedSerialExecutor#executeAsync}).
   *
   * <p>Back-off: a downlink that would carry only MAC requests the Network Server queued itself
   * ({@link #deferrable}) is not attempted at all while the device backs off after the Gateway
   * Server refused such a downlink ({@link DownlinkBackoff}: the next 1, 2, 4, ... uplinks, up to
   * {@code downlinkRefusalBackoffMax}; counted as {@code ns_downlink_attempts_deferred_total}).
   * Without it, a request nobody waits for turns a saturated gateway into a storm: a fleet that
   * started together asks for DevStatusReq at the same uplink, most of those downlinks are
   * refused (the gateway is busy), the request stays queued, and every following uplink of every
   * device builds the downlink again, has it checked and publishes two events, until the server
   * sheds uplinks. Deferring such a request is always safe: it stays queued and goes with a later
   * downlink. What the device waits for is attempted on every uplink as before.
   *
   * @param d the device as the uplink left it (just stored): not read again
   * @param plan its frequency plan
   * @return null if nothing was built, else the check and the write the lane waits for, with
   *     what follows them
   */
  public CompletionStage<KeyedSerialExecutor.Step> afterUplink(EndDevice d, FrequencyPlan plan,
      UplinkTrigger t) {
    if (!d.hasSession() || !wantsDownlink(d, t)) {
      return null; // the common case: no store access, nothing built
    }
    boolean deferrable = backoff.enabled() && deferrable(d, t);
    if (deferrable && backoff.defers(DevAddr.parse(d.getSession().getDevAddr()), t.fCntUp())) {
      // backing off: nothing built, checked or published
      ctx.metrics().downlinkAttemptDeferred();
      return null;
    }
    EndDeviceIdentifiers ids = d.getIds();
    var params = d.getMacState().getCurrentParameters();
    if (rxWindowsPassed(t.up(), Math.max(1, params.getRx1Delay()))) {
      // Too late for RX1 and RX2 (an overloaded server): building and offering the downlink would
      // only add work; what it would carry stays queued for the next uplink.
      ctx.metrics().downlinkWindowsMissed();
      LOG.debug("RX windows of uplink {} of {} passed; no downlink attempted", t.fCntUp(),
          ids.getDeviceId());
      return null;
    }
    int rx1Dr = plan.band().rx1DataRate(t.dataRate(), params.getRx1DataRateOffset(),
        plan.dwellTime().downlinks());
    int maxPayload = RadioSettings.maxMacPayload(plan.band(), rx1Dr,
        params.getRx2DataRateIndex());
    Optional<Prepared> prepared = build(d, t.ack(), t.fCntUp(), t.force(), maxPayload, true);
    if (prepared.isEmpty()) {
      return null;
    }
    Built built = prepared.get().built();
    if (built == null) {
      return store(ids, prepared.get(), null);
    }
    List<DownlinkPath> paths = RadioSettings.classAPaths(t.up(), plan.band(), t.dataRate(),
        ctx.config().maxDownlinkPaths());
    TxSchedulePriority priority = priority(built.app(), TxSchedulePriority.HIGH);
    int channel = t.channelIndex() != UplinkTrigger.CHANNEL_FROM_DEVICE ? t.channelIndex()
        : UplinkMatcher.channelIndex(params, plan.band(), t.up());
    TxRequest req = RadioSettings.classA(plan, t.up(), t.dataRate(), channel,
        Math.max(1, params.getRx1Delay()), params.getRx1DataRateOffset(),
        params.getRx2DataRateIndex(), params.getRx2Frequency(), paths, priority);
    return checkThenStore(ids, prepared.get(), offer(ids, built, req, t.correlationIds(), false,
        0, deferrable, t.fCntUp()));
  }

  /**
   * Whether RX2 (RX1 delay + 1 s after the uplink was received, LoRaWAN 1.0.4 §3.3) has already
   * begun, so no class A window can be met any more.
   */
  private boolean rxWindowsPassed(UplinkMessage up, int rx1DelaySeconds) {
    if (!up.hasReceivedAt()) {
      return false;
    }
    Instant rx2 = Protos.instant(up.getReceivedAt()).plusSeconds(rx1DelaySeconds + 1L);
    return ctx.clock().instant().isAfter(rx2);
  }

  /**
   * Whether a class A downlink has anything to carry: an ACK, an answer to ADRACKReq, MAC
   * answers or requests, or an application downlink (new or to retransmit). What
   * {@link #build} would find, without building.
   */
  private static boolean wantsDownlink(EndDevice d, UplinkTrigger t) {
    MACState ms = d.getMacState();
    return t.ack() || t.force() || ms.getQueuedResponsesCount() > 0
        || ms.getQueuedRequestsCount() > 0 || ms.hasPendingApplicationDownlink()
        || d.getSession().getQueuedApplicationDownlinksCount() > 0;
  }

  /**
   * Whether the class A downlink would carry only MAC requests the Network Server queued itself
   * ({@code mac_state.queued_requests}: DevStatusReq, LinkADRReq, NewChannelReq, ...), which no
   * one waits for, so that its attempt may be deferred. Not deferrable: an ACK of a confirmed
   * uplink, an answer to ADRACKReq ({@code force}), queued MAC answers, an application downlink
   * to retransmit or queued.
   */
  private static boolean deferrable(EndDevice d, UplinkTrigger t) {
    MACState ms = d.getMacState();
    return !t.ack() && !t.force() && ms.getQueuedResponsesCount() == 0
        && ms.getQueuedRequestsCount() > 0 && !ms.hasPendingApplicationDownlink()
        && d.getSession().getQueuedApplicationDownlinksCount() == 0;
  }

  /**
   * Sends the head of a class C device's queue on RX2. In lane; like {@link #afterUplink} it
   * returns null or the check and durable write of the downlink's frame counter, which the lane
   * waits for.
   */
  public CompletionStage<KeyedSerialExecutor.Step> classC(EndDeviceIdentifiers ids,
      int attempt) {
    EndDevice d = ctx.store().get(ids).orElse(null);
    if (d == null || !d.hasSession() || d.getMacState().getDeviceClass() != Class.CLASS_C) {
      return null;
    }
    boolean appWaiting = d.getSession().getQueuedApplicationDownlinksCount() > 0
        && !d.getMacState().hasPendingApplicationDownlink();
    if (!appWaiting && d.getMacState().getQueuedRequestsCount() == 0) {
      return null;
    }
    FrequencyPlan plan = ctx.plans().get(d.getFrequencyPlanId());
    var params = d.getMacState().getCurrentParameters();
    CorrelationIds corr = appWaiting ? CorrelationIds.of(
        d.getSession().getQueuedApplicationDownlinks(0).getCorrelationIdsList())
        : CorrelationIds.empty();
    List<GatewayAntennaIdentifiers> gws = lastGateways.get(deviceKey(ids));
    if (gws == null || gws.isEmpty()) {
      ctx.publishError(NetworkServerEvents.DOWN_DATA_SCHEDULE_FAIL, corr,
          ApiException.failedPrecondition("class C downlink: no gateway has heard the device"
              + " since the Network Server started"), Protos.entity(d));
      return null;
    }
    int maxPayload = RadioSettings.maxMacPayload(plan.band(), params.getRx2DataRateIndex());
    Optional<Prepared> prepared = build(d, false, 0, false, maxPayload, false);
    if (prepared.isEmpty()) {
      return null;
    }
    Built built = prepared.get().built();
    if (built == null) {
      return store(ids, prepared.get(), null);
    }
    TxRequest req = RadioSettings.classC(plan, params, RadioSettings.fixedPaths(gws),
        priority(built.app(), TxSchedulePriority.NORMAL));
    return checkThenStore(ids, prepared.get(), offer(ids, built, req, corr, true, attempt,
        false, 0));
  }

  /**
   * Asks the Gateway Server whether it would take the downlink now ({@code NsGs.checkDownlink})
   * before anything is written: refused, the attempt ends here with its fail event, without a
   * write and so without a give-back; accepted, the lane (which waits for the check without
   * holding a thread, so that no other task of the device runs in between) stores the downlink's
   * state durably and then schedules it, as without the check. A write that also drops
   * invalidated or failed queue entries (and tells the Application Server) is not checked: it
   * must happen anyway.
   */
  private CompletionStage<KeyedSerialExecutor.Step> checkThenStore(EndDeviceIdentifiers ids,
      Prepared prepared, Offer offer) {
    Consumer<Built> schedule = built -> schedule(ids, offer);
    if (!prepared.toAs().isEmpty()) {
      return store(ids, prepared, schedule);
    }
    CompletableFuture<Void> check;
    try {
      check = ctx.gs().checkDownlink(offer.down());
    } catch (RuntimeException e) {
      check = CompletableFuture.failedFuture(e);
    }
    return check.handle((ok, error) -> () -> {
      if (error != null) {
        refusedByCheck(ids, offer, ApiException.from(KeyedSerialExecutor.cause(error)));
        return null;
      }
      return store(ids, prepared, schedule);
    });
  }

  /**
   * A downlink the Gateway Server's check refused: the same events as a refused scheduling
   * ({@code ns.down.data.schedule.attempt}, then {@code .fail}), counted as failed; nothing was
   * stored, so nothing is given back. A deferrable one starts or doubles the device's back-off;
   * class C retries as after a refused scheduling.
   */
  private void refusedByCheck(EndDeviceIdentifiers ids, Offer offer, ApiException error) {
    ctx.metrics().downlinkRefusedByCheck();
    backOff(ids, offer);
    ctx.publish(NetworkServerEvents.DOWN_DATA_SCHEDULE_ATTEMPT, offer.corr(), offer.down(),
        offer.entity());
    ctx.publishError(NetworkServerEvents.DOWN_DATA_SCHEDULE_FAIL, offer.corr(), error,
        offer.entity());
    retryClassC(ids, offer);
  }

  /**
   * Stores what {@link #build} prepared, durably, without holding the lane's thread; once stored,
   * in the lane: hands the Application Server its messages, then {@code then} (if not null)
   * schedules the downlink (if one was built). A failed write fails the step (the lane logs it),
   * as the blocking write's exception did: nothing is scheduled.
   */
  private CompletionStage<KeyedSerialExecutor.Step> store(EndDeviceIdentifiers ids,
      Prepared prepared, Consumer<Built> then) {
    return ctx.updateDurably(ids, prepared.change(), (stored, error) -> {
      if (error != null) {
        throw KeyedSerialExecutor.unchecked(error);
      }
      if (!prepared.toAs().isEmpty()) {
        sendToAs(prepared.toAs());
      }
      if (prepared.built() != null && then != null) {
        then.accept(prepared.built());
      }
      return null;
    });
  }

  private static TxSchedulePriority priority(ApplicationDownlink app, TxSchedulePriority dflt) {
    if (app == null || app.getPriority() == TxSchedulePriority.LOWEST) {
      return dflt;
    }
    return app.getPriority();
  }

  // ------------------------------------------------------------------------------- building

  /**
   * Builds the downlink (or, with nothing to send, only the queue without invalidated or failed
   * entries) and the change of the device that must be stored durably before it is scheduled and
   * before the Application Server hears of it; nothing is written here ({@link #store} does).
   */
  private Optional<Prepared> build(EndDevice d, boolean ack, long ackFCntUp, boolean force,
      int maxMacPayload, boolean allowRetransmission) {
    Optional<MacVersion> version = Protos.macVersion(d.getLorawanVersion());
    if (version.isEmpty()) {
      return Optional.empty();
    }
    boolean v11 = version.get().is1_1();
    SessionKeyRing keys;
    try {
      keys = SessionKeyRing.of(d.getSession(), v11);
    } catch (LoRaWanException e) {
      LOG.debug("no downlink for {}: {}", d.getIds().getDeviceId(), e.getMessage());
      return Optional.empty();
    }
    Session s = d.getSession();
    MACState ms = d.getMacState();
    List<ApplicationUp> toAs = new ArrayList<>();
    List<ApplicationDownlink> queue = new ArrayList<>(s.getQueuedApplicationDownlinksList());
    boolean sentAny = ms.hasLastDownlinkAt();
    long lastN = s.getLastNFCntDown() & 0xFFFF_FFFFL;
    long lastA = s.getLastAFCntDown() & 0xFFFF_FFFFL;

    ApplicationDownlink app = null;
    boolean fromQueue = false;
    if (ms.hasPendingApplicationDownlink()) {
      if (allowRetransmission) {
        app = ms.getPendingApplicationDownlink();
      }
    } else if (!queue.isEmpty()) {
      long min = !sentAny ? 0 : (v11 ? lastA + 1 : lastN + 1);
      ApplicationDownlink head = queue.get(0);
      if ((head.getFCnt() & 0xFFFF_FFFFL) < min) {
        toAs.add(ApplicationUp.newBuilder().setEndDeviceIds(d.getIds())
            .setDownlinkQueueInvalidated(ApplicationInvalidatedDownlinks.newBuilder()
                .addAllDownlinks(queue).setLastFCntDown((int) (min - 1))
                .setSessionKeyId(s.getKeys().getSessionKeyId()))
            .build());
        queue.clear();
      } else {
        app = head;
        fromQueue = true;
      }
    }

    List<MACCommand> mac = new ArrayList<>(ms.getQueuedResponsesList());
    mac.addAll(ms.getQueuedRequestsList());
    boolean deferredApp = false;
    if (app != null && app.getFrmPayload().size() + MAC_PAYLOAD_OVERHEAD > maxMacPayload) {
      toAs.add(ApplicationUp.newBuilder().setEndDeviceIds(d.getIds())
          .setDownlinkFailed(ApplicationDownlinkFailed.newBuilder().setDownlink(app)
              .setError(ApiException.invalidArgument("frm_payload", "expected at most "
                  + (maxMacPayload - MAC_PAYLOAD_OVERHEAD) + " bytes, found "
                  + app.getFrmPayload().size()).toErrorDetails()))
          .build());
      if (fromQueue) {
        queue.remove(0);
      }
      app = null;
      fromQueue = false;
    }
    int macLen = mac.stream().mapToInt(MacProtos::length).sum();
    int fOptsBudget = app == null ? 0
        : Math.min(FHdr.MAX_FOPTS_LENGTH,
            maxMacPayload - MAC_PAYLOAD_OVERHEAD - app.getFrmPayload().size());
    if (app != null && macLen > fOptsBudget) {
      // MAC commands first, on FPort 0; the application downlink waits (FPending)
      if (fromQueue) {
        deferredApp = true;
      }
      app = null;
      fromQueue = false;
    }
    List<MACCommand> sentMac = new ArrayList<>();
    int budget = app != null ? fOptsBudget : maxMacPayload - MAC_PAYLOAD_OVERHEAD;
    int used = 0;
    for (MACCommand c : mac) {
      if (used + MacProtos.length(c) <= budget) {
        sentMac.add(c);
        used += MacProtos.length(c);
      }
    }
    boolean macLeft = sentMac.size() < mac.size();
    // The Application Server hears of invalidated or failed downlinks only once the queue
    // without them is stored: an AS reacting at once (reading or replacing the queue) must not
    // see the stale entries.
    if (app == null && sentMac.isEmpty() && !ack && !force) {
      if (!toAs.isEmpty()) {
        List<ApplicationDownlink> q = queue;
        return Optional.of(new Prepared(cur -> cur.toBuilder().setSession(cur.getSession()
            .toBuilder().clearQueuedApplicationDownlinks().addAllQueuedApplicationDownlinks(q))
            .build(), toAs, null));
      }
      return Optional.empty();
    }

    boolean appDown = app != null;
    long fCnt;
    if (appDown) {
      fCnt = app.getFCnt() & 0xFFFF_FFFFL;
    } else {
      fCnt = sentAny ? (lastN + 1) & 0xFFFF_FFFFL : 0;
    }
    int remaining = queue.size() - (fromQueue ? 1 : 0);
    boolean fPending = remaining > 0 || deferredApp || macLeft;
    boolean confirmed = appDown && app.getConfirmed();
    DevAddr addr = DevAddr.parse(s.getDevAddr());
    byte[] macBytes = MacProtos.encodeAll(sentMac);
    Bytes fOpts = Bytes.EMPTY;
    OptionalInt fPort = OptionalInt.empty();
    Bytes frm = Bytes.EMPTY;
    if (appDown) {
      fOpts = Bytes.of(v11 ? PayloadCipher.fOpts11(keys.nwkSEncKey(), false, addr, fCnt, false,
          macBytes) : macBytes);
      fPort = OptionalInt.of(app.getFPort());
      frm = Bytes.of(app.getFrmPayload().toByteArray());
    } else if (macBytes.length > 0) {
      fPort = OptionalInt.of(0);
      frm = Bytes.of(PayloadCipher.frmPayload(keys.nwkSEncKey(), false, addr, fCnt, macBytes));
    }
    boolean adr = true; // this Network Server always drives ADR
    DataFrame frame = new DataFrame(MType.data(false, confirmed),
        new FHdr(addr, new FCtrl.Downlink(adr, ack, fPending), (int) (fCnt & 0xFFFF), fOpts),
        fPort, frm, new Mic(0));
    byte[] msg = PhyPayloadCodec.encodeWithoutMic(frame);
    int confFCnt = v11 && ack ? (int) (ackFCntUp & 0xFFFF) : 0;
    Mic mic = Mics.dataDownlinkMic(keys.sNwkSIntKey(), addr, fCnt, confFCnt, msg);
    frame = frame.withMic(mic);
    byte[] raw = PhyPayloadCodec.encode(frame);

    DownlinkMessage message = DownlinkMessage.newBuilder()
        .setRawPayload(ByteString.copyFrom(raw))
        .setPayload(Protos.dataMessage(frame, fCnt))
        .setEndDeviceIds(d.getIds().toBuilder().setDevAddr(s.getDevAddr()))
        .setSessionKeyId(s.getKeys().getSessionKeyId())
        .build();

    // durable state before scheduling: counters, MAC queues, application queue
    ApplicationDownlink sentApp = app;
    boolean popped = fromQueue;
    List<ApplicationDownlink> newQueue = new ArrayList<>(queue);
    if (popped) {
      newQueue.remove(0);
    }
    Instant now = ctx.clock().instant();
    long fc = fCnt;
    EndDevice before = d;
    UnaryOperator<EndDevice> change = cur -> {
      Session.Builder sb = cur.getSession().toBuilder();
      if (appDown && v11) {
        sb.setLastAFCntDown((int) fc);
      } else if (appDown) {
        sb.setLastNFCntDown((int) Math.max(fc, lastN)).setLastAFCntDown((int) fc);
      } else {
        sb.setLastNFCntDown((int) fc);
      }
      if (confirmed) {
        sb.setLastConfFCntDown((int) fc);
      }
      sb.clearQueuedApplicationDownlinks().addAllQueuedApplicationDownlinks(newQueue);
      MACState.Builder mb = cur.getMacState().toBuilder();
      List<MACCommand> requests = new ArrayList<>();
      List<MACCommand> keptRequests = new ArrayList<>();
      for (MACCommand c : mb.getQueuedRequestsList()) {
        (sentMac.contains(c) ? requests : keptRequests).add(c);
      }
      List<MACCommand> keptResponses = new ArrayList<>();
      for (MACCommand c : mb.getQueuedResponsesList()) {
        if (!sentMac.contains(c)) {
          keptResponses.add(c);
        }
      }
      mb.clearQueuedRequests().addAllQueuedRequests(keptRequests)
          .clearQueuedResponses().addAllQueuedResponses(keptResponses)
          .addAllPendingRequests(requests)
          .setLastDownlinkAt(Protos.timestamp(now));
      if (confirmed) {
        ApplicationDownlink.Builder pb = sentApp.toBuilder();
        pb.getConfirmedRetryBuilder().setAttempt(sentApp.getConfirmedRetry().getAttempt() + 1);
        mb.setPendingApplicationDownlink(pb).setLastConfirmedDownlinkAt(Protos.timestamp(now));
      }
      if (!appDown) {
        mb.setLastNetworkInitiatedDownlinkAt(Protos.timestamp(now));
      }
      return cur.toBuilder().setSession(sb).setMacState(mb).build();
    };
    return Optional.of(new Prepared(change, toAs,
        new Built(before, message, sentApp, popped, Protos.timestamp(now))));
  }

  // ------------------------------------------------------------------------------ scheduling

  /**
   * After a refused deferrable downlink: the device's next uplinks attempt none (see
   * {@link DownlinkBackoff}). In lane.
   */
  private void backOff(EndDeviceIdentifiers ids, Offer offer) {
    if (offer.deferrable()) {
      long n = backoff.refused(DevAddr.parse(offer.down().getEndDeviceIds().getDevAddr()),
          offer.fCntUp());
      LOG.debug("network-initiated downlink of {} refused at FCntUp {}: the next {} uplink(s)"
          + " attempt none", ids.getDeviceId(), offer.fCntUp(), n);
    }
  }

  /** The downlink with its request and new correlation IDs (no event yet). */
  private Offer offer(EndDeviceIdentifiers ids, Built built, TxRequest req, CorrelationIds base,
      boolean classC, int attempt, boolean deferrable, long fCntUp) {
    CorrelationIds corr = base.merge(built.app() == null ? List.of()
        : built.app().getCorrelationIdsList())
        .with(ctx.newCorrelationId(CorrelationIds.NS_DOWNLINK))
        .with(ctx.newCorrelationId(CorrelationIds.NS_TRANSMISSION));
    DownlinkMessage down = built.message().toBuilder().setRequest(req)
        .clearCorrelationIds().addAllCorrelationIds(corr.asList()).build();
    var entity = Protos.entity(ids, built.message().getEndDeviceIds().getDevAddr());
    return new Offer(built, down, corr, entity, classC, attempt, deferrable, fCntUp);
  }

  /** Schedules a downlink whose state is stored; its answer comes back into the device's lane. */
  private void schedule(EndDeviceIdentifiers ids, Offer offer) {
    Built built = offer.built();
    DownlinkMessage down = offer.down();
    CorrelationIds corr = offer.corr();
    var entity = offer.entity();
    ctx.publish(NetworkServerEvents.DOWN_DATA_SCHEDULE_ATTEMPT, corr, down, entity);
    String key = deviceKey(ids);
    ctx.gs().scheduleDownlink(down).whenComplete((res, err) -> ctx.serial().executeAsync(key,
        () -> {
          if (err == null) {
            scheduled(ids, built, down, res, corr, entity);
            return null;
          }
          return failed(ids, offer, ApiException.from(err));
        }));
  }

  private void scheduled(EndDeviceIdentifiers ids, Built built, DownlinkMessage down,
      ScheduleDownlinkResponse res, CorrelationIds corr,
      dev.loralab.api.v3.EntityIdentifiers entity) {
    ctx.metrics().downlinkScheduled();
    if (backoff.enabled()) {
      // the device's gateways took a downlink (which carried its queued requests): no back-off
      backoff.accepted(DevAddr.parse(down.getEndDeviceIds().getDevAddr()));
    }
    ctx.publish(NetworkServerEvents.DOWN_DATA_SCHEDULE_SUCCESS, corr, res, entity);
    rememberTransmission(corr, down);
    if (built.app() != null) {
      sendToAs(List.of(ApplicationUp.newBuilder().setEndDeviceIds(down.getEndDeviceIds())
          .addAllCorrelationIds(corr.asList())
          .setReceivedAt(Protos.timestamp(ctx.clock().instant()))
          .setDownlinkSent(built.app()).build()));
    }
  }

  /**
   * A stored downlink the Gateway Server refused to schedule (its check accepted it, but another
   * downlink took the slot in between, or the check is not implemented): gives back what it took,
   * durably (the lane waits for the returned write), then retries a class C downlink. A
   * deferrable one starts or doubles the device's back-off, as a refused check does.
   */
  private CompletionStage<KeyedSerialExecutor.Step> failed(EndDeviceIdentifiers ids,
      Offer offer, ApiException error) {
    ctx.metrics().downlinkFailed();
    backOff(ids, offer);
    ctx.publishError(NetworkServerEvents.DOWN_DATA_SCHEDULE_FAIL, offer.corr(), error,
        offer.entity());
    Built built = offer.built();
    EndDevice before = built.before();
    // the frame was not sent: give back its counter, MAC commands and application downlink
    UnaryOperator<EndDevice> giveBack = cur -> {
      if (!cur.getMacState().getLastDownlinkAt().equals(built.builtAt())) {
        // A later downlink was built meanwhile from this one's state and took the next frame
        // counters: giving back this one's would move the counters backwards and reuse them.
        if (!built.appFromQueue()) {
          return cur;
        }
        List<ApplicationDownlink> q = new ArrayList<>();
        q.add(built.app());
        q.addAll(cur.getSession().getQueuedApplicationDownlinksList());
        return cur.toBuilder().setSession(cur.getSession().toBuilder()
            .clearQueuedApplicationDownlinks().addAllQueuedApplicationDownlinks(q)).build();
      }
      Session.Builder sb = cur.getSession().toBuilder()
          .setLastNFCntDown(before.getSession().getLastNFCntDown())
          .setLastAFCntDown(before.getSession().getLastAFCntDown())
          .setLastConfFCntDown(before.getSession().getLastConfFCntDown());
      if (built.appFromQueue()) {
        List<ApplicationDownlink> q = new ArrayList<>();
        q.add(built.app());
        q.addAll(cur.getSession().getQueuedApplicationDownlinksList());
        sb.clearQueuedApplicationDownlinks().addAllQueuedApplicationDownlinks(q);
      }
      MACState.Builder mb = cur.getMacState().toBuilder()
          .clearQueuedRequests().addAllQueuedRequests(before.getMacState()
              .getQueuedRequestsList())
          .clearPendingRequests().addAllPendingRequests(before.getMacState()
              .getPendingRequestsList())
          .clearQueuedResponses();
      if (before.getMacState().hasLastDownlinkAt()) {
        mb.setLastDownlinkAt(before.getMacState().getLastDownlinkAt());
      } else {
        mb.clearLastDownlinkAt();
      }
      if (before.getMacState().hasPendingApplicationDownlink()) {
        mb.setPendingApplicationDownlink(before.getMacState().getPendingApplicationDownlink());
      } else {
        mb.clearPendingApplicationDownlink();
      }
      return cur.toBuilder().setSession(sb).setMacState(mb).build();
    };
    return ctx.updateDurably(ids, giveBack, (stored, failure) -> {
      if (failure != null) {
        if (failure instanceof ApiException) {
          LOG.debug("device {} gone after a failed downlink", ids.getDeviceId());
          return null;
        }
        throw KeyedSerialExecutor.unchecked(failure);
      }
      retryClassC(ids, offer);
      return null;
    });
  }

  /** After a refused class C downlink: the next attempt, unless it was the last one. */
  private void retryClassC(EndDeviceIdentifiers ids, Offer offer) {
    int attempt = offer.attempt();
    if (offer.classC() && attempt + 1 < ctx.config().classCMaxAttempts()) {
      long delay = ctx.config().classCRetryInterval().toNanos();
      ctx.timer().schedule(() -> ctx.serial().executeAsync(deviceKey(ids),
          () -> classC(ids, attempt + 1)), delay, TimeUnit.NANOSECONDS);
    }
  }

  /** Asks for a class C attempt in the device's lane. */
  public void triggerClassC(EndDeviceIdentifiers ids, Duration delay) {
    Runnable r = () -> ctx.serial().executeAsync(deviceKey(ids), () -> classC(ids, 0));
    if (delay.isZero()) {
      r.run();
    } else {
      ctx.timer().schedule(r, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void rememberTransmission(CorrelationIds corr, DownlinkMessage down) {
    for (String id : corr.asList()) {
      if (id.startsWith(CorrelationIds.NS_TRANSMISSION)) {
        transmissions.put(id, new Transmission(down.getEndDeviceIds().getDevAddr(), down));
        ctx.timer().schedule(() -> transmissions.remove(id), TX_ACK_MEMORY.toMillis(),
            TimeUnit.MILLISECONDS);
      }
    }
  }

  /**
   * Handles a gateway's TxAck: {@code ns.down.transmission.success|fail}. A transmission is
   * forgotten at its TxAck (the Gateway Server reports one per downlink), not kept for the rest
   * of {@link #TX_ACK_MEMORY}: under load a few hundred downlinks a second would otherwise each
   * stay in memory for two minutes.
   */
  public void txAck(GatewayTxAcknowledgment ack) {
    TxAcknowledgment t = ack.getTxAck();
    Transmission tx = null;
    for (String id : t.getCorrelationIdsList()) {
      tx = transmissions.remove(id);
      if (tx != null) {
        break;
      }
    }
    DownlinkMessage down = tx != null ? tx.message() : t.getDownlinkMessage();
    if (!down.hasEndDeviceIds()) {
      LOG.debug("TxAck for an unknown transmission from {}", ack.getGatewayIds().getGatewayId());
      return;
    }
    CorrelationIds corr = CorrelationIds.of(t.getCorrelationIdsList())
        .merge(down.getCorrelationIdsList());
    var entity = Protos.entity(down.getEndDeviceIds(), down.getEndDeviceIds().getDevAddr());
    if (t.getResult() == TxAcknowledgment.Result.SUCCESS) {
      ctx.publish(NetworkServerEvents.DOWN_TRANSMISSION_SUCCESS, corr, down, entity);
    } else {
      ctx.publishError(NetworkServerEvents.DOWN_TRANSMISSION_FAIL, corr,
          UplinkDrop.error(Status.Code.ABORTED, t.getResult().name().toLowerCase(),
              "gateway " + ack.getGatewayIds().getGatewayId() + " did not transmit: "
                  + t.getResult().name()), entity);
    }
  }

  /** Hands messages to the Application Server, logging failures. */
  public void sendToAs(List<ApplicationUp> ups) {
    try {
      ctx.as().handleUplink(ups).whenComplete((v, e) -> {
        if (e != null) {
          LOG.debug("Application Server refused {} message(s): {}", ups.size(), e.toString());
        }
      });
    } catch (RuntimeException e) {
      LOG.debug("Application Server call failed: {}", e.toString());
    }
  }
}
