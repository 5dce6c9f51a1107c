package dev.loralab.networkserver;

import dev.loralab.api.ApiException;
import dev.loralab.api.AsNs;
import dev.loralab.api.GsNs;
import dev.loralab.api.NsAs;
import dev.loralab.api.NsGs;
import dev.loralab.api.NsJs;
import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.ApplicationDownlinks;
import dev.loralab.api.v3.Class;
import dev.loralab.api.v3.DownlinkQueueRequest;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.GatewayTxAcknowledgment;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.events.CorrelationIds;
import dev.loralab.events.EventBus;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.JoinRequest;
import dev.loralab.lorawan.frame.PhyPayload;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import dev.loralab.networkserver.internal.DataFlow;
import dev.loralab.networkserver.internal.Deduplicator;
import dev.loralab.networkserver.internal.DownlinkFlow;
import dev.loralab.networkserver.internal.JoinFlow;
import dev.loralab.networkserver.internal.NsContext;
import dev.loralab.networkserver.mac.MacCommandPipeline;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LoRaWAN Network Server: receives uplinks from the Gateway Server ({@link GsNs}),
 * deduplicates them, handles joins with the Join Server ({@link NsJs}), matches and processes
 * data uplinks (MIC, frame counters, MAC commands, ADR), forwards application payloads to the
 * Application Server ({@link NsAs}), keeps the application downlink queue ({@link AsNs}) and
 * schedules class A and class C downlinks through the Gateway Server ({@link NsGs}).
 *
 * <p>{@link #handleUplink} returns at once: the copy joins a deduplication window and is
 * processed when it closes (at the latest after {@link NetworkServerConfig#deduplicationWindow},
 * earlier once as many gateways heard it as heard the DevAddr's previous uplink, see
 * {@link NetworkServerConfig#deduplicationEarlyClose}). Uplinks of one DevAddr are processed in
 * the order their windows opened. Work on one device is serialized; different devices run in
 * parallel on the given executor. The thread calling {@link #handleUplink} with the copy that
 * completes a window hands the uplink on itself. With
 * {@link NetworkServerConfig#inlineEarlyClosedUplinks} (the default) it also looks a data uplink's
 * device up and processes it up to its durable write when the DevAddr's and the device's lanes
 * are idle (CPU-bound work and cached store reads; the write then continues on the device-work
 * executor), so the caller must not be an event loop. Without it, the caller only decodes and
 * queues the uplink: storage is only accessed on the device-work executor. Malformed
 * PHYPayloads complete the future with INVALID_ARGUMENT; uplinks of unknown devices complete
 * normally and emit no device events (the gateway's stream shows them). At most
 * {@link NetworkServerConfig#maxUplinksInFlight} data uplinks are processed at once
 * ({@link #uplinksInFlight}); beyond it new data uplinks are dropped as overloaded instead of
 * queued, so an overloaded server sheds load rather than slowing down for every uplink.
 */
public final class NetworkServer implements GsNs, AsNs {

  private static final Logger LOG = LoggerFactory.getLogger(NetworkServer.class);
  /** The uplink {@link #handleUplink} is adding on this thread, decoded (see there). */
  private static final ThreadLocal<DecodedUplink> DECODED =
      ThreadLocal.withInitial(DecodedUplink::new);
  private static final String RPC_HANDLE_UPLINK = CorrelationIds.rpcPrefix(GsNs.HANDLE_UPLINK);
  /** FPort values an application may use (LoRaWAN 1.1 §4.3.2: 0 is MAC, 224 is test). */
  private static final int MAX_APPLICATION_FPORT = 255;

  private final NsContext ctx;
  private final Deduplicator deduplicator;
  private final DownlinkFlow downlinks;
  private final JoinFlow joins;
  private final DataFlow data;

  /**
   * @param config settings
   * @param store the devices
   * @param gs the Gateway Server, to schedule downlinks
   * @param js the Join Server
   * @param as the Application Server
   * @param plans frequency plans
   * @param bus where events go
   * @param clock time of events, DeviceTimeAns and state
   * @param random DevAddr allocation and correlation IDs
   * @param executor timers (deduplication, class C, retries) and per-device work
   * @param registry metrics
   */
  public NetworkServer(NetworkServerConfig config, NetworkServerStore store, NsGs gs, NsJs js,
      NsAs as, FrequencyPlanStore plans, EventBus bus, Clock clock, RandomGenerator random,
      ScheduledExecutorService executor, MeterRegistry registry) {
    this(config, store, gs, js, as, plans, bus, clock, random, executor, executor, registry);
  }

  /**
   * A network server whose per-device work runs on its own executor. Per-device work waits for
   * durable storage writes (the frame counter is stored before anything acknowledges an uplink)
   * through {@link NetworkServerStore#updateAsync}, without holding a thread: a device's lane
   * continues on {@code deviceWork} once the write completed. With a store whose
   * {@code updateAsync} does not block, {@code deviceWork} needs about as many threads as cores;
   * with the blocking default it needs enough for the store to group concurrent writes into one
   * sync. Reads ({@link NetworkServerStore#byDevAddr}, {@link NetworkServerStore#get}) still run
   * on it synchronously. Timers stay on {@code timers} and never wait for storage.
   *
   * @param timers deduplication windows, class C, retries
   * @param deviceWork per-device work (serialized per device, parallel across devices)
   */
  public NetworkServer(NetworkServerConfig config, NetworkServerStore store, NsGs gs, NsJs js,
      NsAs as, FrequencyPlanStore plans, EventBus bus, Clock clock, RandomGenerator random,
      ScheduledExecutorService timers, Executor deviceWork, MeterRegistry registry) {
    ScheduledExecutorService executor = Objects.requireNonNull(timers, "timers");
    this.ctx = NsContext.create(Objects.requireNonNull(config, "config"),
        Objects.requireNonNull(store, "store"), Objects.requireNonNull(gs, "gs"),
        Objects.requireNonNull(js, "js"), Objects.requireNonNull(as, "as"),
        Objects.requireNonNull(plans, "plans"), Objects.requireNonNull(bus, "bus"),
        Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(random, "random"),
        executor, Objects.requireNonNull(deviceWork, "deviceWork"),
        Objects.requireNonNull(registry, "registry"));
    this.downlinks = new DownlinkFlow(ctx);
    this.joins = new JoinFlow(ctx, downlinks);
    this.data = new DataFlow(ctx, downlinks, MacCommandPipeline.standard());
    this.deduplicator = new Deduplicator(config.deduplicationWindow(), config.cooldownWindow(),
        config.deduplicationCooldownBatch(), config.maxOpenDeduplicationWindows(), config.maxCoolingDeduplicationWindows(),
        config.maxRxMetadata(),
        config.deduplicationEarlyClose(), config.deduplicationEarlyCloseDevAddrs(), executor,
        (up, onAddingThread) -> process(up, onAddingThread && config.inlineEarlyClosedUplinks()));
  }

  /** The configuration. */
  public NetworkServerConfig config() {
    return ctx.config();
  }

  // ------------------------------------------------------------------------------------ GsNs

  @Override
  public CompletableFuture<Void> handleUplink(UplinkMessage up) {
    ctx.metrics().uplinkReceived();
    if (up == null) {
      return CompletableFuture.failedFuture(ApiException.invalidArgument("uplink", "null"));
    }
    byte[] raw = up.getRawPayload().toByteArray();
    if (raw.length == 0 || raw.length > ctx.config().maxPhyPayloadSize()) {
      ctx.metrics().uplinkDropped("invalid_size");
      return CompletableFuture.failedFuture(ApiException.invalidArgument("raw_payload",
          "expected 1.." + ctx.config().maxPhyPayloadSize() + " bytes, found " + raw.length));
    }
    PhyPayload p;
    try {
      p = PhyPayloadCodec.decode(raw, ctx.config().maxPhyPayloadSize());
      if (!p.mType().uplink() || !(p instanceof JoinRequest || p instanceof DataFrame)) {
        ctx.metrics().uplinkDropped("unsupported_message_type");
        return CompletableFuture.failedFuture(ApiException.invalidArgument("raw_payload",
            "expected a join-request or a data uplink, found " + p.mType()));
      }
    } catch (LoRaWanException e) {
      ctx.metrics().uplinkDropped("invalid_payload");
      LOG.debug("undecodable uplink: {}", e.getMessage());
      return CompletableFuture.failedFuture(
          ApiException.invalidArgument("raw_payload", e.getMessage()));
    }
    List<String> given = up.getCorrelationIdsList();
    boolean rpc = false;
    for (int i = 0; i < given.size() && !rpc; i++) {
      rpc = given.get(i).startsWith(RPC_HANDLE_UPLINK);
    }
    String[] ids = given.toArray(new String[given.size() + (rpc ? 1 : 2)]);
    ids[given.size()] = ctx.newCorrelationId(CorrelationIds.NS_UPLINK);
    if (!rpc) {
      ids[given.size() + 1] = ctx.newCorrelationId(RPC_HANDLE_UPLINK);
    }
    CorrelationIds corr = CorrelationIds.of(Arrays.asList(ids));
    UplinkMessage tagged = up.toBuilder().clearCorrelationIds()
        .addAllCorrelationIds(corr.asList()).build();
    // a window closed on this thread by this copy hands on this same message: process reuses
    // the decoded frame instead of decoding the PHYPayload again
    DecodedUplink decoded = DECODED.get();
    decoded.set(tagged, raw, p, corr);
    Deduplicator.Outcome outcome;
    try {
      outcome = p instanceof DataFrame f
          ? deduplicator.add(Bytes.of(raw), f.devAddr(), tagged)
          : deduplicator.add(Bytes.of(raw), tagged);
    } finally {
      decoded.set(null, null, null, null);
    }
    switch (outcome) {
      case LATE_DUPLICATE -> {
        ctx.metrics().duplicate();
        LOG.debug("late duplicate dropped");
      }
      case OVERLOADED -> {
        ctx.metrics().uplinkOverloaded();
        if (p instanceof DataFrame f) {
          // its device's next uplink credits it to ADR (every shed copy counts: over-credit only)
          data.uplinkShed(f.devAddr());
        }
      }
      default -> { }
    }
    return CompletableFuture.completedFuture(null);
  }

  /**
   * A closed deduplication window: one uplink with every gateway's metadata.
   *
   * @param inline a data uplink may be processed on this thread if its lanes are idle
   */
  private void process(UplinkMessage up, boolean inline) {
    ctx.dropUplinkOnFailure(() -> {
      DecodedUplink decoded = DECODED.get();
      byte[] raw;
      PhyPayload p;
      CorrelationIds corr = null;
      if (decoded.up == up) {
        raw = decoded.raw;
        p = decoded.payload;
        corr = decoded.corr;
      } else {
        raw = up.getRawPayload().toByteArray();
        p = PhyPayloadCodec.decode(raw, ctx.config().maxPhyPayloadSize());
      }
      if (p instanceof JoinRequest jr) {
        // the lookup waits for storage: in a lane of the EUIs, not on the closing thread
        ctx.serial().execute("join:" + jr.joinEui() + "/" + jr.devEui(), () -> join(jr, up));
      } else if (p instanceof DataFrame f) {
        data.handle(f, raw, up, inline, corr);
      }
    });
  }

  /** Finds the device of a join-request, then continues in its lane. */
  private void join(JoinRequest jr, UplinkMessage up) {
    try {
      var device = ctx.store().byEuis(jr.joinEui(), jr.devEui());
      if (device.isEmpty()) {
        ctx.metrics().uplinkDropped("unknown_device");
        LOG.debug("join-request of unknown device {}/{}", jr.joinEui(), jr.devEui());
        return;
      }
      EndDevice d = device.get();
      ctx.serial().execute(DownlinkFlow.deviceKey(d.getIds()), () -> joins.handle(d, jr, up));
    } catch (ApiException e) {
      ctx.metrics().uplinkDropped("processing");
      LOG.debug("join-request dropped: {}", e.getMessage());
    } catch (RuntimeException e) {
      ctx.metrics().uplinkDropped("internal");
      LOG.warn("join-request processing failed", e);
    }
  }

  @Override
  public CompletableFuture<Void> reportTxAcknowledgment(GatewayTxAcknowledgment ack) {
    if (ack == null) {
      return CompletableFuture.failedFuture(ApiException.invalidArgument("tx_ack", "null"));
    }
    downlinks.txAck(ack);
    return CompletableFuture.completedFuture(null);
  }

  // ------------------------------------------------------------------------------------ AsNs

  @Override
  public CompletableFuture<Void> downlinkQueuePush(DownlinkQueueRequest req) {
    return changeQueue(req, queue -> {
      List<ApplicationDownlink> l = new ArrayList<>(queue);
      l.addAll(req.getDownlinksList());
      return l;
    });
  }

  @Override
  public CompletableFuture<Void> downlinkQueueReplace(DownlinkQueueRequest req) {
    return changeQueue(req, queue -> req.getDownlinksList());
  }

  @Override
  public CompletableFuture<ApplicationDownlinks> downlinkQueueList(EndDeviceIdentifiers ids) {
    CompletableFuture<ApplicationDownlinks> f = new CompletableFuture<>();
    if (ids == null) {
      return CompletableFuture.failedFuture(ApiException.invalidArgument("end_device_ids", "null"));
    }
    ctx.serial().execute(DownlinkFlow.deviceKey(ids), () -> {
      try {
        EndDevice d = ctx.store().get(ids).orElseThrow(() -> ApiException.notFound(
            "device " + ids.getApplicationIds().getApplicationId() + "/" + ids.getDeviceId()));
        f.complete(ApplicationDownlinks.newBuilder()
            .addAllDownlinks(d.getSession().getQueuedApplicationDownlinksList()).build());
      } catch (RuntimeException e) {
        f.completeExceptionally(ApiException.from(e));
      }
    });
    return f;
  }

  private CompletableFuture<Void> changeQueue(DownlinkQueueRequest req,
      Function<List<ApplicationDownlink>, List<ApplicationDownlink>> change) {
    if (req == null || !req.hasEndDeviceIds()) {
      return CompletableFuture.failedFuture(ApiException.invalidArgument("end_device_ids",
          "required"));
    }
    for (ApplicationDownlink dl : req.getDownlinksList()) {
      if (dl.getFPort() < 1 || dl.getFPort() > MAX_APPLICATION_FPORT) {
        return CompletableFuture.failedFuture(ApiException.invalidArgument("f_port",
            "expected 1.." + MAX_APPLICATION_FPORT + ", found " + dl.getFPort()));
      }
      if (dl.getFrmPayload().size() > PhyPayloadCodec.DEFAULT_MAX_SIZE) {
        return CompletableFuture.failedFuture(ApiException.invalidArgument("frm_payload",
            "expected at most " + PhyPayloadCodec.DEFAULT_MAX_SIZE + " bytes, found "
                + dl.getFrmPayload().size()));
      }
    }
    EndDeviceIdentifiers ids = req.getEndDeviceIds();
    CompletableFuture<Void> f = new CompletableFuture<>();
    ctx.serial().executeAsync(DownlinkFlow.deviceKey(ids), () -> {
      try {
        EndDevice d = ctx.store().get(ids).orElseThrow(() -> ApiException.notFound(
            "device " + ids.getApplicationIds().getApplicationId() + "/" + ids.getDeviceId()));
        if (!d.hasSession()) {
          throw ApiException.failedPrecondition("device " + ids.getDeviceId()
              + " has no active session" + (d.hasPendingSession()
                  ? " (the session of its join is confirmed by its first uplink)" : ""));
        }
        List<ApplicationDownlink> next =
            change.apply(d.getSession().getQueuedApplicationDownlinksList());
        if (next.size() > ctx.config().maxQueuedDownlinks()) {
          throw ApiException.resourceExhausted("downlink queue of " + ids.getDeviceId()
              + ": at most " + ctx.config().maxQueuedDownlinks() + " downlinks, found "
              + next.size());
        }
        // the lane waits for the durable write without holding its thread
        return ctx.updateDurably(ids, cur -> cur.toBuilder().setSession(
            cur.getSession().toBuilder().clearQueuedApplicationDownlinks()
                .addAllQueuedApplicationDownlinks(next)).build(), (updated, error) -> {
          if (error != null) {
            f.completeExceptionally(ApiException.from(error));
            return null;
          }
          f.complete(null);
          return updated.getMacState().getDeviceClass() == Class.CLASS_C
              ? downlinks.classC(ids, 0) : null;
        });
      } catch (RuntimeException e) {
        f.completeExceptionally(ApiException.from(e));
      }
      return null;
    });
    return f;
  }

  /**
   * Queues a network-initiated MAC command (LinkADRReq, DevStatusReq, DutyCycleReq,
   * RXParamSetupReq, NewChannelReq, RXTimingSetupReq, TxParamSetupReq, DlChannelReq,
   * ADRParamSetupReq) for the device's next downlink; a class C device gets it at once.
   */
  public CompletableFuture<Void> requestMacCommand(EndDeviceIdentifiers ids,
      dev.loralab.lorawan.mac.MacCommand request) {
    if (ids == null || request == null || request.uplink()) {
      return CompletableFuture.failedFuture(ApiException.invalidArgument("mac_command",
          "expected a network-initiated request"));
    }
    CompletableFuture<Void> f = new CompletableFuture<>();
    ctx.serial().executeAsync(DownlinkFlow.deviceKey(ids), () -> {
      try {
        EndDevice d = ctx.store().get(ids).orElseThrow(() -> ApiException.notFound(
            "device " + ids.getApplicationIds().getApplicationId() + "/" + ids.getDeviceId()));
        if (!d.hasSession() || !d.hasMacState()) {
          throw ApiException.failedPrecondition("device " + ids.getDeviceId()
              + " has no active session");
        }
        var band = ctx.plans().get(d.getFrequencyPlanId()).band();
        var entity = dev.loralab.networkserver.internal.Protos.entity(d);
        List<Runnable> events = new ArrayList<>();
        return ctx.updateDurably(ids, cur -> {
          EndDevice.Builder b = cur.toBuilder();
          events.clear();
          dev.loralab.networkserver.mac.MacRequests.enqueue(b, request, band,
              cur.getSession().getLastFCntUp() & 0xFFFF_FFFFL,
              (def, data) -> events.add(() -> ctx.publish(def, CorrelationIds.empty(), data,
                  entity)));
          return b.build();
        }, (updated, error) -> {
          if (error != null) {
            f.completeExceptionally(error instanceof IllegalArgumentException
                ? ApiException.invalidArgument("mac_command", error.getMessage())
                : ApiException.from(error));
            return null;
          }
          events.forEach(Runnable::run);
          f.complete(null);
          return updated.getMacState().getDeviceClass() == Class.CLASS_C
              ? downlinks.classC(ids, 0) : null;
        });
      } catch (IllegalArgumentException e) {
        f.completeExceptionally(ApiException.invalidArgument("mac_command", e.getMessage()));
      } catch (RuntimeException e) {
        f.completeExceptionally(ApiException.from(e));
      }
      return null;
    });
    return f;
  }

  /** Late copies dropped so far (also the metric {@code ns_uplink_duplicates_total}). */
  public long lateDuplicates() {
    return (long) ctx.metrics().duplicates();
  }

  /**
   * Data uplinks accepted for processing whose processing has not ended yet (also the gauge
   * {@code ns_uplinks_in_flight}); at most {@link NetworkServerConfig#maxUplinksInFlight}.
   */
  public int uplinksInFlight() {
    return data.uplinksInFlight();
  }

  /** How long copies are collected. */
  public Duration deduplicationWindow() {
    return ctx.config().deduplicationWindow();
  }

  /**
   * An uplink message with its PHYPayload as decoded from {@code raw} (a copy nothing changes)
   * and its correlation IDs as a set, while the thread adds it to the deduplicator; fields null
   * otherwise. Matched by identity.
   */
  private static final class DecodedUplink {
    UplinkMessage up;
    byte[] raw;
    PhyPayload payload;
    CorrelationIds corr;

    void set(UplinkMessage up, byte[] raw, PhyPayload payload, CorrelationIds corr) {
      this.up = up;
      this.raw = raw;
      this.payload = payload;
      this.corr = corr;
    }
  }
}
