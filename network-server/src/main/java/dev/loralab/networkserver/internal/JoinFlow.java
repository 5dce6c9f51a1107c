package dev.loralab.networkserver.internal;

import com.google.protobuf.ByteString;
import dev.loralab.api.ApiException;
import dev.loralab.api.v3.ApplicationJoinAccept;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.JoinAcceptPayload;
import dev.loralab.api.v3.JoinRequest;
import dev.loralab.api.v3.JoinResponse;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.MHDR;
import dev.loralab.api.v3.MType;
import dev.loralab.api.v3.Message;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.api.v3.TxRequest;
import dev.loralab.api.v3.TxSchedulePriority;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.events.CorrelationIds;
import dev.loralab.frequencyplans.Band;
import dev.loralab.frequencyplans.FrequencyPlan;
import dev.loralab.frequencyplans.FrequencyPlanException;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.MacVersion;
import dev.loralab.lorawan.NetId;
import dev.loralab.networkserver.NetworkServerEvents;
import io.grpc.Status;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The join path: allocate a DevAddr, ask the Join Server, keep the new session pending, schedule
 * the join-accept in RX1 (JOIN_ACCEPT_DELAY1) or RX2 through the best gateway, and hand the
 * join-accept to the Application Server. Events follow The Things Stack's order.
 */
public final class JoinFlow {

  private static final Logger LOG = LoggerFactory.getLogger(JoinFlow.class);
  /** NwkID width per NetID type (Backend Interfaces 1.0, Table 3). */
  private static final int[] NWK_ID_BITS = {6, 6, 9, 11, 12, 13, 15, 17};
  private static final int DEV_ADDR_ATTEMPTS = 8;

  private final NsContext ctx;
  private final DownlinkFlow downlinks;

  /** A flow on {@code ctx}. */
  public JoinFlow(NsContext ctx, DownlinkFlow downlinks) {
    this.ctx = ctx;
    this.downlinks = downlinks;
  }

  /** Handles a deduplicated join-request. Runs in the device's lane. */
  public void handle(EndDevice device, dev.loralab.lorawan.frame.JoinRequest jr,
      UplinkMessage up) {
    CorrelationIds corr = CorrelationIds.of(up.getCorrelationIdsList());
    DevAddr devAddr = allocateDevAddr();
    EntityIdentifiers entity = Protos.entity(device.getIds(), devAddr.toString());
    UplinkMessage upEvent = up.hasPayload() ? up
        : up.toBuilder().setPayload(Protos.joinRequestMessage(jr)).build();
    ctx.publish(NetworkServerEvents.UP_JOIN_RECEIVE, corr, upEvent, entity);

    Optional<MacVersion> version = Protos.macVersion(device.getLorawanVersion());
    FrequencyPlan plan;
    try {
      plan = ctx.plans().get(device.getFrequencyPlanId());
    } catch (FrequencyPlanException e) {
      drop(corr, entity, UplinkDrop.error(Status.Code.FAILED_PRECONDITION, "frequency_plan",
          "frequency plan '" + device.getFrequencyPlanId() + "': " + e.getMessage()));
      return;
    }
    if (version.isEmpty()) {
      drop(corr, entity, UplinkDrop.error(Status.Code.FAILED_PRECONDITION, "mac_version",
          "unknown LoRaWAN version " + device.getLorawanVersion()));
      return;
    }
    if (!device.getSupportsJoin() && device.hasSession() && !device.hasRootKeys()) {
      drop(corr, entity, UplinkDrop.error(Status.Code.FAILED_PRECONDITION, "abp_device",
          "ABP device sent a join-request"));
      return;
    }
    boolean v11 = version.get().is1_1();
    NetId netId = ctx.config().netId();
    var dlSettings = MacStates.dlSettings(plan, ctx.config(), v11);
    JoinRequest.Builder req = JoinRequest.newBuilder()
        .setRawPayload(up.getRawPayload())
        .setPayload(Protos.joinRequestMessage(jr))
        .setDevAddr(ByteString.copyFrom(devAddr.toBigEndianBytes()))
        .setSelectedMacVersion(device.getLorawanVersion())
        .setNetId(ByteString.copyFrom(new byte[] {(byte) (netId.value() >>> 16),
            (byte) (netId.value() >>> 8), (byte) netId.value()}))
        .setDownlinkSettings(dlSettings)
        .setRxDelay(ctx.config().defaultRx1DelaySeconds())
        .addAllCorrelationIds(corr.asList());
    if (up.hasConsumedAirtime()) {
      req.setConsumedAirtime(up.getConsumedAirtime());
    }
    MacStates.cfList(plan).ifPresent(req::setCfList);
    JoinRequest joinRequest = req.build();
    ctx.publish(NetworkServerEvents.UP_JOIN_CLUSTER_ATTEMPT, corr, joinRequest, entity);
    String key = DownlinkFlow.deviceKey(device.getIds());
    try {
      ctx.js().handleJoin(joinRequest).whenComplete((res, err) -> ctx.serial().executeAsync(key,
          () -> {
            if (err != null) {
              ApiException e = ApiException.from(err);
              ctx.publishError(NetworkServerEvents.UP_JOIN_CLUSTER_FAIL, corr, e, entity);
              drop(corr, entity, e);
              return null;
            }
            return accepted(device.getIds(), devAddr, plan, version.get(), jr, up, upEvent,
                joinRequest, res, corr, entity);
          }));
    } catch (RuntimeException e) {
      ApiException ae = ApiException.from(e);
      ctx.publishError(NetworkServerEvents.UP_JOIN_CLUSTER_FAIL, corr, ae, entity);
      drop(corr, entity, ae);
    }
  }

  private void drop(CorrelationIds corr, EntityIdentifiers entity, ApiException e) {
    ctx.metrics().uplinkDropped("join_" + UplinkDrop.reason(e));
    ctx.publishError(NetworkServerEvents.UP_JOIN_DROP, corr, e, entity);
  }

  /**
   * The Join Server accepted: stores the pending session durably (the lane waits for the
   * returned write without holding its thread), then schedules the join-accept.
   */
  private CompletionStage<KeyedSerialExecutor.Step> accepted(EndDeviceIdentifiers ids,
      DevAddr devAddr, FrequencyPlan plan, MacVersion version,
      dev.loralab.lorawan.frame.JoinRequest jr, UplinkMessage up, UplinkMessage upEvent,
      JoinRequest joinRequest, JoinResponse res, CorrelationIds corr,
      EntityIdentifiers entity) {
    JoinResponse.Builder stripped = JoinResponse.newBuilder()
        .setSessionKeys(SessionKeys.newBuilder()
            .setSessionKeyId(res.getSessionKeys().getSessionKeyId()))
        .addAllCorrelationIds(res.getCorrelationIdsList());
    if (res.hasLifetime()) {
      stripped.setLifetime(res.getLifetime());
    }
    ctx.publish(NetworkServerEvents.UP_JOIN_CLUSTER_SUCCESS, corr, stripped.build(), entity);
    if (res.getRawPayload().size() != 17 && res.getRawPayload().size() != 33) {
      drop(corr, entity, UplinkDrop.error(Status.Code.INTERNAL, "join_accept",
          "Join Server returned a join-accept of " + res.getRawPayload().size()
              + " bytes, expected 17 or 33"));
      return null;
    }
    Instant now = ctx.clock().instant();
    SessionKeys keys = res.getSessionKeys();
    SessionKeys nwkKeys = SessionKeys.newBuilder().setSessionKeyId(keys.getSessionKeyId())
        .setFNwkSIntKey(keys.getFNwkSIntKey()).setSNwkSIntKey(keys.getSNwkSIntKey())
        .setNwkSEncKey(keys.getNwkSEncKey()).build();
    UnaryOperator<EndDevice> pending = cur -> cur.toBuilder()
        .setPendingSession(Session.newBuilder().setDevAddr(devAddr.toString())
            .setKeys(nwkKeys).setStartedAt(Protos.timestamp(now)))
        .setPendingMacState(MacStates.initial(cur, plan, ctx.config(), true))
        .build();
    // the pending session is on stable storage before the join-accept is scheduled
    return ctx.updateDurably(ids, pending, (stored, error) -> {
      if (error != null) {
        if (error instanceof ApiException e) {
          drop(corr, entity, e);
          return null;
        }
        throw KeyedSerialExecutor.unchecked(error);
      }
      scheduleJoinAccept(ids, devAddr, plan, up, upEvent, joinRequest, res, corr, entity, now);
      return null;
    });
  }

  /** In lane, once the pending session is stored: schedules the join-accept. */
  private void scheduleJoinAccept(EndDeviceIdentifiers ids, DevAddr devAddr, FrequencyPlan plan,
      UplinkMessage up, UplinkMessage upEvent, JoinRequest joinRequest, JoinResponse res,
      CorrelationIds corr, EntityIdentifiers entity, Instant now) {
    SessionKeys keys = res.getSessionKeys();
    ctx.publish(NetworkServerEvents.UP_JOIN_PROCESS, corr, upEvent, entity);

    Band band = plan.band();
    int uplinkDr = Protos.dataRate(up.getSettings().getDataRate()).flatMap(band::dataRateIndex)
        .orElse(0);
    int channel = UplinkMatcher.channelIndex(
        dev.loralab.api.v3.MACParameters.getDefaultInstance(), band, up);
    TxRequest tx;
    try {
      tx = RadioSettings.classA(plan, up, uplinkDr, channel,
          (int) band.joinAcceptDelay1().toSeconds(), 0, band.rx2().dataRate(),
          band.rx2().frequencyHz(),
          RadioSettings.classAPaths(up, band, uplinkDr, ctx.config().maxDownlinkPaths()),
          TxSchedulePriority.HIGHEST);
    } catch (FrequencyPlanException | LoRaWanException e) {
      drop(corr, entity, UplinkDrop.error(Status.Code.FAILED_PRECONDITION, "rx_parameters",
          e.getMessage()));
      return;
    }
    // the NS cannot read the encrypted join-accept: the clear fields are those it asked for,
    // and the JoinNonce is shown as 000000 (as The Things Stack does)
    JoinAcceptPayload.Builder ja = JoinAcceptPayload.newBuilder().setJoinNonce("000000")
        .setNetId(ctx.config().netId().toString()).setDevAddr(devAddr.toString())
        .setDlSettings(joinRequest.getDownlinkSettings()).setRxDelay(joinRequest.getRxDelay());
    if (joinRequest.hasCfList()) {
      ja.setCfList(joinRequest.getCfList());
    }
    CorrelationIds downCorr = corr.with(ctx.newCorrelationId(CorrelationIds.NS_DOWNLINK))
        .with(ctx.newCorrelationId(CorrelationIds.NS_TRANSMISSION));
    DownlinkMessage down = DownlinkMessage.newBuilder()
        .setRawPayload(res.getRawPayload())
        .setPayload(Message.newBuilder().setMHdr(MHDR.newBuilder().setMType(MType.JOIN_ACCEPT))
            .setJoinAcceptPayload(ja))
        .setEndDeviceIds(ids.toBuilder().setDevAddr(devAddr.toString()))
        .setRequest(tx)
        .addAllCorrelationIds(downCorr.asList())
        .setSessionKeyId(keys.getSessionKeyId())
        .build();
    ctx.publish(NetworkServerEvents.DOWN_JOIN_SCHEDULE_ATTEMPT, downCorr, down, entity);
    String key = DownlinkFlow.deviceKey(ids);
    ctx.gs().scheduleDownlink(down).whenComplete((sres, err) -> ctx.serial().execute(key, () -> {
      if (err != null) {
        ctx.metrics().downlinkFailed();
        ctx.publishError(NetworkServerEvents.DOWN_JOIN_SCHEDULE_FAIL, downCorr,
            ApiException.from(err), entity);
        return;
      }
      ctx.metrics().downlinkScheduled();
      ctx.metrics().joinAccepted();
      ctx.publish(NetworkServerEvents.DOWN_JOIN_SCHEDULE_SUCCESS, downCorr, sres, entity);
      forwardJoinAccept(ids, devAddr, keys, up, corr, entity, now);
      LOG.debug("join-accept for {} scheduled", ids.getDeviceId());
    }));
  }

  private void forwardJoinAccept(EndDeviceIdentifiers ids, DevAddr devAddr, SessionKeys keys,
      UplinkMessage up, CorrelationIds corr, EntityIdentifiers entity, Instant now) {
    ApplicationJoinAccept.Builder ja = ApplicationJoinAccept.newBuilder()
        .setSessionKeyId(keys.getSessionKeyId()).setPendingSession(true)
        .setReceivedAt(up.hasReceivedAt() ? up.getReceivedAt() : Protos.timestamp(now));
    ApplicationUp.Builder au = ApplicationUp.newBuilder()
        .setEndDeviceIds(ids.toBuilder().setDevAddr(devAddr.toString()))
        .addAllCorrelationIds(corr.asList())
        .setReceivedAt(ja.getReceivedAt());
    ApplicationUp withoutKey = au.clone().setJoinAccept(ja).build();
    KeyEnvelope appSKey = keys.getAppSKey();
    ApplicationUp forwarded = appSKey.getKey().isEmpty() && appSKey.getEncryptedKey().isEmpty()
        ? withoutKey : au.setJoinAccept(ja.clone().setAppSKey(appSKey)).build();
    // published before the hand-over, as for data uplinks, so that the Application Server's
    // as.up.join.* events follow it on every stream
    ctx.publish(NetworkServerEvents.UP_JOIN_ACCEPT_FORWARD, corr, withoutKey, entity);
    downlinks.sendToAs(List.of(forwarded));
  }

  /** A random DevAddr in the configured NetID, avoiding addresses in use when possible. */
  DevAddr allocateDevAddr() {
    NetId netId = ctx.config().netId();
    int type = netId.type();
    int width = 32 - (type + 1) - NWK_ID_BITS[type];
    int bits = Math.min(width, ctx.config().nwkAddrBits());
    DevAddr a = null;
    for (int i = 0; i < DEV_ADDR_ATTEMPTS; i++) {
      int nwkAddr = bits >= 31 ? ctx.random().nextInt() & 0x7FFFFFFF
          : ctx.random().nextInt(1 << bits);
      a = DevAddr.inNetId(netId, nwkAddr);
      if (ctx.store().byDevAddr(a).isEmpty()) {
        return a;
      }
    }
    return a;
  }
}
