package dev.loralab.applicationserver;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import dev.loralab.api.ApiException;
import dev.loralab.api.AppAs;
import dev.loralab.api.AsJs;
import dev.loralab.api.AsNs;
import dev.loralab.api.NsAs;
import dev.loralab.api.v3.AppSKeyResponse;
import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.ApplicationDownlinkFailed;
import dev.loralab.api.v3.ApplicationDownlinks;
import dev.loralab.api.v3.ApplicationInvalidatedDownlinks;
import dev.loralab.api.v3.ApplicationJoinAccept;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationUplink;
import dev.loralab.api.v3.DownlinkQueueRequest;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.ErrorDetails;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.MessagePayloadFormatters;
import dev.loralab.api.v3.PayloadFormatter;
import dev.loralab.api.v3.SessionKeyRequest;
import dev.loralab.applicationserver.formatters.DecodedPayload;
import dev.loralab.applicationserver.formatters.EncodedPayload;
import dev.loralab.applicationserver.formatters.JavaScriptFormatters;
import dev.loralab.applicationserver.formatters.PayloadFormatterException;
import dev.loralab.applicationserver.formatters.PayloadFormatters;
import dev.loralab.applicationserver.internal.KeyedSequencer;
import static dev.loralab.applicationserver.internal.ProtoTime.instant;
import static dev.loralab.applicationserver.internal.ProtoTime.timestamp;
import dev.loralab.applicationserver.webhooks.ApplicationWebhookRegistry;
import dev.loralab.applicationserver.webhooks.WebhookDispatcher;
import dev.loralab.events.CorrelationIds;
import dev.loralab.events.EventBus;
import dev.loralab.events.EventDefinition;
import dev.loralab.events.EventFactory;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.web.grpc.RpcCorrelation;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Application Server: receives join-accepts, uplinks and downlink lifecycle messages from the
 * Network Server ({@link NsAs}), decrypts and decodes uplinks, publishes {@code as.*} events,
 * delivers messages to webhooks and in-process subscribers, and serves the user-facing downlink
 * queue ({@link AppAs}), encrypting downlinks before handing them to the Network Server
 * ({@link AsNs}).
 *
 * <p><b>Threading.</b> All work concerning one device runs serialized on the worker executor;
 * different devices run concurrently. Calls return futures and never block the caller. JavaScript
 * formatters run on the worker executor, bounded by their time limit. As an exception (see
 * {@link ApplicationServerConfig#uplinksInlineWhenIdle}), a data uplink of a device without
 * pending work runs on the thread calling {@link #handleUplink}, still serialized per device.
 *
 * <p><b>AFCntDown.</b> The AS assigns every downlink's {@code f_cnt} from the session's
 * last AFCntDown + 1 and persists it before the downlink reaches the Network Server, which must
 * transmit it with exactly that counter (in LoRaWAN 1.0.x the one shared FCntDown). If the Network
 * Server used higher counters meanwhile, it reports {@code ApplicationUplink.last_a_f_cnt_down} or
 * {@code downlink_queue_invalidated{last_f_cnt_down}}; the AS then moves its counter forward and
 * re-encrypts and re-queues the invalidated downlinks.
 */
public final class ApplicationServer implements NsAs, AppAs, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApplicationServer.class);
  private static final String RPC_HANDLE_UPLINK = CorrelationIds.rpcPrefix(NsAs.HANDLE_UPLINK);
  /** FPort 224 is reserved for the LoRaWAN test protocol; application FPorts are 1..223. */
  private static final int MAX_APPLICATION_F_PORT = 223;

  private final ApplicationServerConfig config;
  private final ApplicationServerStore store;
  private final AsJs joinServer;
  private final AsNs networkServer;
  private final EventBus events;
  private final EventFactory eventFactory;
  private final Clock clock;
  private final Executor executor;
  private final KeyedSequencer devices;
  private final JavaScriptFormatters javaScript;
  private final PayloadFormatters formatters;
  private final WebhookDispatcher webhookDispatcher;
  private final ApplicationWebhookRegistry webhookRegistry;
  private final List<Consumer<ApplicationUp>> subscribers = new CopyOnWriteArrayList<>();
  private final Counter upForwarded;
  private final Counter upDropped;
  private final Counter decodeFailed;
  private final Counter downForwarded;
  private final Counter downDropped;
  private final Counter invalid;

  private ApplicationServer(Builder b) {
    this.config = Objects.requireNonNull(b.config, "config");
    this.store = Objects.requireNonNull(b.store, "store");
    this.joinServer = Objects.requireNonNull(b.joinServer, "joinServer");
    this.networkServer = Objects.requireNonNull(b.networkServer, "networkServer");
    this.events = Objects.requireNonNull(b.events, "events");
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.eventFactory = b.eventFactory != null ? b.eventFactory : EventFactory.system();
    this.executor = Objects.requireNonNull(b.executor, "executor");
    ScheduledExecutorService scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
    HttpClient http = Objects.requireNonNull(b.httpClient, "httpClient");
    MeterRegistry meters = b.meters != null ? b.meters : new SimpleMeterRegistry();
    this.devices = new KeyedSequencer(executor);
    this.javaScript = new JavaScriptFormatters(config.javaScript(), scheduler);
    this.formatters = new PayloadFormatters(javaScript);
    this.webhookDispatcher = new WebhookDispatcher(store, config.webhooks(), http, scheduler,
        events, eventFactory, meters);
    this.webhookRegistry = new ApplicationWebhookRegistry(store, config.webhooks(), clock);
    this.upForwarded = meters.counter("loralab.as.up.forwarded");
    this.upDropped = meters.counter("loralab.as.up.dropped");
    this.decodeFailed = meters.counter("loralab.as.up.decode.failed");
    this.downForwarded = meters.counter("loralab.as.down.forwarded");
    this.downDropped = meters.counter("loralab.as.down.dropped");
    this.invalid = meters.counter("loralab.as.up.invalid");
  }

  /** A builder; every dependency except the event factory and meter registry is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The configuration. */
  public ApplicationServerConfig config() {
    return config;
  }

  /** The store. */
  public ApplicationServerStore store() {
    return store;
  }

  /** Webhook management (validated CRUD). */
  public ApplicationWebhookRegistry webhooks() {
    return webhookRegistry;
  }

  /** The webhook dispatcher (for {@link WebhookDispatcher#pending()}). */
  public WebhookDispatcher webhookDispatcher() {
    return webhookDispatcher;
  }

  /**
   * Runs a trivial JavaScript formatter once so that the first real invocation does not pay the
   * engine's start-up inside its time limit. Blocks for up to a few seconds: call at start-up, off
   * any event loop.
   */
  public void warmUp() {
    try {
      javaScript.warmUp();
    } catch (RuntimeException e) {
      LOG.debug("JavaScript warm-up failed", e);
    }
  }

  /** The payload formatters (e.g. to test a formatter from the API). */
  public PayloadFormatters formatters() {
    return formatters;
  }

  /**
   * Registers an in-process subscriber receiving every forwarded {@link ApplicationUp} (as webhooks
   * would), serialized per device, on the worker executor or, for a data uplink processed inline
   * ({@link ApplicationServerConfig#uplinksInlineWhenIdle}), on the thread calling
   * {@link #handleUplink}: it must not block. Exceptions are logged and ignored.
   *
   * @return a handle removing the subscriber
   */
  public AutoCloseable subscribe(Consumer<ApplicationUp> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  // ---------------------------------------------------------------- NsAs

  /**
   * Handles messages from the Network Server. The returned future completes when every message has
   * been processed (forwarded or dropped with an event); it does not fail for a dropped message.
   */
  @Override
  public CompletableFuture<Void> handleUplink(List<ApplicationUp> ups) {
    String rpcId = RpcCorrelation.current().filter(id -> id.startsWith(RPC_HANDLE_UPLINK))
        .orElseGet(() -> CorrelationIds.newId(RPC_HANDLE_UPLINK, eventFactory.ulid()));
    List<CompletableFuture<Void>> all = new ArrayList<>(ups.size());
    for (ApplicationUp up : ups) {
      EndDeviceIdentifiers ids = up.getEndDeviceIds();
      if (ids.getDeviceId().isEmpty() || ids.getApplicationIds().getApplicationId().isEmpty()) {
        invalid.increment();
        LOG.debug("dropping application up without end_device_ids.device_id/application_id");
        continue;
      }
      // a data uplink of an idle device: on this thread (the Network Server's, after its write),
      // one hand-off less; the work is CPU-bound (see ApplicationServerConfig)
      Thread caller = Thread.currentThread();
      CompletableFuture<Void> processed = config.uplinksInlineWhenIdle() && up.hasUplinkMessage()
          ? devices.submitInlineIfIdle(deviceKey(ids),
              () -> process(up, rpcId, Thread.currentThread() == caller))
          : devices.submit(deviceKey(ids), () -> process(up, rpcId, false));
      all.add(processed
          .exceptionally(e -> {
            LOG.debug("processing {} of {} failed", up.getUpCase(), deviceKey(ids), e);
            return null;
          }));
    }
    // Each future already absorbs its failure; one message (the usual case) needs no aggregate.
    return all.size() == 1 ? all.get(0)
        : CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
  }

  /** @param onCaller running on the thread that called {@link #handleUplink}, not a worker */
  private CompletableFuture<Void> process(ApplicationUp up, String rpcId, boolean onCaller) {
    CorrelationIds base = CorrelationIds.of(validCorrelationIds(up.getCorrelationIdsList()))
        .with(rpcId);
    ApplicationUp.Builder b = up.toBuilder();
    if (!up.hasReceivedAt()) {
      b.setReceivedAt(timestamp(clock.instant()));
    }
    return switch (up.getUpCase()) {
      case JOIN_ACCEPT -> joinAccept(b, base.with(CorrelationIds.newId(CorrelationIds.AS_UP,
          eventFactory.ulid())));
      case UPLINK_MESSAGE -> uplink(b, base.with(CorrelationIds.newId(CorrelationIds.AS_UP,
          eventFactory.ulid())), onCaller);
      case DOWNLINK_SENT -> lifecycle(b, base, ApplicationServerEvents.DOWN_SENT_FORWARD);
      case DOWNLINK_ACK -> lifecycle(b, base, ApplicationServerEvents.DOWN_ACK_FORWARD);
      case DOWNLINK_NACK -> lifecycle(b, base, ApplicationServerEvents.DOWN_NACK_FORWARD);
      case DOWNLINK_FAILED -> lifecycle(b, base, ApplicationServerEvents.DOWN_FAILED_FORWARD);
      case DOWNLINK_QUEUED -> lifecycle(b, base, null);
      case DOWNLINK_QUEUE_INVALIDATED -> queueInvalidated(b, base);
      default -> {
        b.clearCorrelationIds().addAllCorrelationIds(base.asList());
        deliver(b.build());
        yield CompletableFuture.completedFuture(null);
      }
    };
  }

  /**
   * The IDs that are valid correlation IDs: invalid ones from the Network Server (empty or too
   * long) are not carried on. The list itself when all are valid (the usual case).
   */
  private static List<String> validCorrelationIds(List<String> ids) {
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      if (id.isEmpty() || id.length() > CorrelationIds.MAX_LENGTH) {
        List<String> valid = new ArrayList<>(ids.size() - 1);
        for (String v : ids) {
          if (!v.isEmpty() && v.length() <= CorrelationIds.MAX_LENGTH) {
            valid.add(v);
          }
        }
        return valid;
      }
    }
    return ids;
  }

  private CompletableFuture<Void> joinAccept(ApplicationUp.Builder up, CorrelationIds corr) {
    EndDeviceIdentifiers ids = up.getEndDeviceIds();
    ApplicationJoinAccept ja = up.getJoinAccept();
    publish(ApplicationServerEvents.UP_JOIN_RECEIVE, corr, null, ids);
    CompletableFuture<AesKey> key;
    try {
      if (ja.getSessionKeyId().isEmpty() && !ja.hasAppSKey()) {
        throw ApiException.invalidArgument("join_accept.session_key_id",
            "expected a session key ID or an AppSKey, found neither");
      }
      key = ja.hasAppSKey() && !ja.getAppSKey().getKey().isEmpty()
          ? CompletableFuture.completedFuture(plainKey("join_accept.app_s_key", ja.getAppSKey()))
          : fetchAppSKey(ids, ja.getSessionKeyId());
    } catch (RuntimeException e) {
      key = CompletableFuture.failedFuture(e);
    }
    // Continue on the worker executor, not on the Join Server client's thread.
    return key.thenApplyAsync(appSKey -> {
      DevAddr devAddr = devAddr(ids, null);
      AsSession previous = store.session(ids).orElse(null);
      AsSession session = new AsSession(ja.getSessionKeyId(), appSKey, devAddr, 0);
      store.putSession(ids, session);
      up.clearCorrelationIds().addAllCorrelationIds(corr.asList());
      // The AppSKey never leaves the AS; invalidated downlinks are re-queued below.
      up.setJoinAccept(ja.toBuilder().clearAppSKey().clearInvalidatedDownlinks());
      ApplicationUp forwarded = up.build();
      publish(ApplicationServerEvents.UP_JOIN_FORWARD, corr, forwarded, ids);
      upForwarded.increment();
      deliver(forwarded);
      return requeueAfterJoin(ids, previous, session, ja.getInvalidatedDownlinksList(), corr);
    }, executor).thenCompose(requeued -> requeued).exceptionally(e -> {
      upDropped.increment();
      publishError(ApplicationServerEvents.UP_JOIN_DROP, corr, e, ids);
      return null;
    });
  }

  /**
   * Queues the downlinks the Network Server invalidated with the join again, in the new session:
   * each is decrypted with the session it was encrypted in; those of an unknown session are
   * dropped with an event.
   */
  private CompletableFuture<Void> requeueAfterJoin(EndDeviceIdentifiers ids, AsSession previous,
      AsSession session, List<ApplicationDownlink> invalidated, CorrelationIds corr) {
    List<ApplicationDownlink> plain = new ArrayList<>();
    for (ApplicationDownlink d : invalidated) {
      if (previous != null && d.getSessionKeyId().equals(previous.sessionKeyId())) {
        plain.add(decrypted(previous, d));
      } else {
        downDropped.increment();
        publishError(ApplicationServerEvents.DOWN_DATA_DROP, corr.merge(d.getCorrelationIdsList()),
            ApiException.failedPrecondition("invalidated downlink of an unknown session: cannot"
                + " decrypt it to queue it again"), ids);
      }
    }
    if (plain.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return requeue(ids, session, plain, corr);
  }

  private CompletableFuture<Void> uplink(ApplicationUp.Builder up, CorrelationIds corr,
      boolean onCaller) {
    EndDeviceIdentifiers ids = up.getEndDeviceIds();
    ApplicationUplink msg = up.getUplinkMessage();
    publish(ApplicationServerEvents.UP_DATA_RECEIVE, corr, null, ids);
    if (msg.getFPort() == 0 || msg.getFPort() > 255) {
      upDropped.increment();
      publishError(ApplicationServerEvents.UP_DATA_DROP, corr, ApiException.invalidArgument(
          "uplink_message.f_port", "expected 1..255, found " + msg.getFPort()), ids);
      return CompletableFuture.completedFuture(null);
    }
    MessagePayloadFormatters f = formattersOf(ids);
    CompletableFuture<AsSession> sessionFuture = session(ids, msg.getSessionKeyId());
    Consumer<AsSession> forward = found -> {
      AsSession session = found;
      if (msg.getLastAFCntDown() > session.lastAFCntDown()) {
        session = session.withLastAFCntDown(msg.getLastAFCntDown());
        store.putSession(ids, session);
      }
      byte[] plain = PayloadCipher.frmPayload(session.appSKey(), true,
          devAddr(ids, session), Integer.toUnsignedLong(msg.getFCnt()),
          msg.getFrmPayload().toByteArray());
      ApplicationUplink.Builder out = msg.toBuilder().clearAppSKey()
          .setSessionKeyId(session.sessionKeyId())
          .setFrmPayload(ByteString.copyFrom(plain));
      up.clearCorrelationIds().addAllCorrelationIds(corr.asList());
      try {
        Optional<DecodedPayload> decoded = formatters.decodeUplink(f, plain, msg.getFPort(),
            instant(up.hasReceivedAt() ? up.getReceivedAt() : msg.getReceivedAt()));
        if (decoded.isPresent()) {
          out.setDecodedPayload(decoded.get().data())
              .clearDecodedPayloadWarnings()
              .addAllDecodedPayloadWarnings(decoded.get().warnings());
          if (!decoded.get().warnings().isEmpty()) {
            publish(ApplicationServerEvents.UP_DATA_DECODE_WARNING, corr, out.build(), ids);
          }
        }
      } catch (PayloadFormatterException e) {
        decodeFailed.increment();
        LOG.debug("uplink formatter of {} failed: {}", deviceKey(ids), e.getMessage());
        out.clearDecodedPayload().clearDecodedPayloadWarnings();
        publish(ApplicationServerEvents.UP_DATA_DECODE_FAIL, corr, formatterError(e), ids);
      }
      ApplicationUp forwarded = up.setUplinkMessage(out).build();
      publish(ApplicationServerEvents.UP_DATA_FORWARD, corr, forwarded, ids);
      upForwarded.increment();
      deliver(forwarded);
    };
    // Formatters run on the worker executor, never on the Join Server client's thread: a session
    // at hand (stored or ABP) is used right here, on the worker running this task; one fetched from
    // the Join Server continues on the executor. An uplink processed inline on the caller's thread
    // continues there too, unless it needs a worker.
    boolean here = sessionFuture.isDone()
        && !(onCaller && needsWorker(f, msg, sessionFuture));
    CompletableFuture<Void> done = here ? sessionFuture.thenAccept(forward)
        : sessionFuture.thenAcceptAsync(forward, executor);
    return done.exceptionally(e -> {
      upDropped.increment();
      publishError(ApplicationServerEvents.UP_DATA_DROP, corr, e, ids);
      return null;
    });
  }

  /**
   * Whether an uplink processed inline must continue on the worker executor: for a JavaScript
   * formatter (CPU up to its time limit) or a durable write of the session's AFCntDown.
   */
  private static boolean needsWorker(MessagePayloadFormatters f, ApplicationUplink msg,
      CompletableFuture<AsSession> session) {
    if (f.getUpFormatter() == PayloadFormatter.FORMATTER_JAVASCRIPT) {
      return true;
    }
    AsSession s = session.isCompletedExceptionally() ? null : session.getNow(null);
    return s != null && msg.getLastAFCntDown() > s.lastAFCntDown();
  }

  private CompletableFuture<Void> lifecycle(ApplicationUp.Builder up, CorrelationIds corr,
      EventDefinition event) {
    EndDeviceIdentifiers ids = up.getEndDeviceIds();
    AsSession session = store.session(ids).orElse(null);
    MessagePayloadFormatters f = formattersOf(ids);
    java.util.function.UnaryOperator<ApplicationDownlink> forApp =
        d -> decodedDownlink(ids, f, decrypted(session, d), session, corr);
    switch (up.getUpCase()) {
      case DOWNLINK_SENT -> up.setDownlinkSent(forApp.apply(up.getDownlinkSent()));
      case DOWNLINK_ACK -> up.setDownlinkAck(forApp.apply(up.getDownlinkAck()));
      case DOWNLINK_NACK -> up.setDownlinkNack(forApp.apply(up.getDownlinkNack()));
      case DOWNLINK_QUEUED -> up.setDownlinkQueued(forApp.apply(up.getDownlinkQueued()));
      case DOWNLINK_FAILED -> {
        ApplicationDownlinkFailed failed = up.getDownlinkFailed();
        up.setDownlinkFailed(failed.toBuilder().setDownlink(forApp.apply(failed.getDownlink())));
      }
      default -> { }
    }
    up.clearCorrelationIds().addAllCorrelationIds(corr.asList());
    ApplicationUp forwarded = up.build();
    if (event != null) {
      publish(event, corr, forwarded, ids);
    }
    deliver(forwarded);
    return CompletableFuture.completedFuture(null);
  }

  private CompletableFuture<Void> queueInvalidated(ApplicationUp.Builder up, CorrelationIds corr) {
    EndDeviceIdentifiers ids = up.getEndDeviceIds();
    ApplicationInvalidatedDownlinks inv = up.getDownlinkQueueInvalidated();
    up.clearCorrelationIds().addAllCorrelationIds(corr.asList());
    ApplicationUp forwarded = up.build();
    publish(ApplicationServerEvents.DOWN_QUEUE_INVALIDATED_FORWARD, corr, forwarded, ids);
    deliver(forwarded);
    Optional<AsSession> current = store.session(ids);
    if (current.isEmpty() || !current.get().matches(inv.getSessionKeyId())) {
      return CompletableFuture.completedFuture(null);
    }
    AsSession session = current.get();
    if (Integer.toUnsignedLong(inv.getLastFCntDown()) > session.lastAFCntDown()) {
      session = session.withLastAFCntDown(Integer.toUnsignedLong(inv.getLastFCntDown()));
      store.putSession(ids, session);
    }
    if (inv.getDownlinksCount() == 0) {
      return CompletableFuture.completedFuture(null);
    }
    List<ApplicationDownlink> plain = new ArrayList<>();
    for (ApplicationDownlink d : inv.getDownlinksList()) {
      if (d.getSessionKeyId().equals(session.sessionKeyId())) {
        plain.add(decrypted(session, d));
      } else {
        downDropped.increment();
        publishError(ApplicationServerEvents.DOWN_DATA_DROP, corr.merge(d.getCorrelationIdsList()),
            ApiException.failedPrecondition("invalidated downlink of another session: cannot"
                + " queue it again"), ids);
      }
    }
    if (plain.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return requeue(ids, session, plain, corr);
  }

  /** Re-encrypts plaintext (or old-session) downlinks with {@code session} and pushes them. */
  private CompletableFuture<Void> requeue(EndDeviceIdentifiers ids, AsSession session,
      List<ApplicationDownlink> downlinks, CorrelationIds corr) {
    List<ApplicationDownlink> encrypted = new ArrayList<>();
    AsSession s = session;
    for (ApplicationDownlink d : downlinks) {
      if (s.lastAFCntDown() >= AsSession.MAX_F_CNT) {
        break;
      }
      long fCnt = s.lastAFCntDown() + 1;
      s = s.withLastAFCntDown(fCnt);
      encrypted.add(encrypt(s, d.toBuilder().clearSessionKeyId().clearFCnt(), fCnt));
    }
    store.putSession(ids, s);
    DownlinkQueueRequest req = DownlinkQueueRequest.newBuilder().setEndDeviceIds(ids)
        .addAllDownlinks(encrypted).build();
    return callNetworkServer(() -> networkServer.downlinkQueuePush(req)).handle((v, e) -> {
      for (ApplicationDownlink d : encrypted) {
        if (e == null) {
          downForwarded.increment();
          publish(ApplicationServerEvents.DOWN_DATA_FORWARD, corr, d, ids);
        } else {
          downDropped.increment();
          publishError(ApplicationServerEvents.DOWN_DATA_DROP, corr, e, ids);
        }
      }
      return null;
    });
  }

  /**
   * Runs the down formatter's {@code decodeDownlink} on a decrypted downlink of the current
   * session that has no decoded payload yet; a failure is reported and the downlink kept as is.
   */
  private ApplicationDownlink decodedDownlink(EndDeviceIdentifiers ids,
      MessagePayloadFormatters f, ApplicationDownlink d, AsSession session, CorrelationIds corr) {
    if (d.hasDecodedPayload() || d.getFrmPayload().isEmpty() || session == null
        || !session.matches(d.getSessionKeyId())
        || f.getDownFormatter() == dev.loralab.api.v3.PayloadFormatter.FORMATTER_NONE) {
      return d;
    }
    try {
      Optional<DecodedPayload> decoded = formatters.decodeDownlink(f,
          d.getFrmPayload().toByteArray(), d.getFPort());
      if (decoded.isEmpty()) {
        return d;
      }
      return d.toBuilder().setDecodedPayload(decoded.get().data())
          .clearDecodedPayloadWarnings().addAllDecodedPayloadWarnings(decoded.get().warnings())
          .build();
    } catch (PayloadFormatterException e) {
      publish(ApplicationServerEvents.DOWN_DATA_DECODE_FAIL, corr, formatterError(e), ids);
      return d;
    }
  }

  /** A downlink of {@code session} with its FRMPayload decrypted; others are returned as is. */
  private static ApplicationDownlink decrypted(AsSession session, ApplicationDownlink d) {
    if (session == null || d.getFrmPayload().isEmpty() || !session.matches(d.getSessionKeyId())) {
      return d;
    }
    byte[] plain = PayloadCipher.frmPayload(session.appSKey(), false, session.devAddr(),
        Integer.toUnsignedLong(d.getFCnt()), d.getFrmPayload().toByteArray());
    return d.toBuilder().setFrmPayload(ByteString.copyFrom(plain)).build();
  }

  // ---------------------------------------------------------------- AppAs

  @Override
  public CompletableFuture<Void> downlinkQueuePush(DownlinkQueueRequest req) {
    return queue(req, false, RequestOrigin.UNKNOWN);
  }

  @Override
  public CompletableFuture<Void> downlinkQueueReplace(DownlinkQueueRequest req) {
    return queue(req, true, RequestOrigin.UNKNOWN);
  }

  /** {@link #downlinkQueuePush(DownlinkQueueRequest)}, recording who asked on the events. */
  public CompletableFuture<Void> downlinkQueuePush(DownlinkQueueRequest req, RequestOrigin origin) {
    return queue(req, false, Objects.requireNonNull(origin, "origin"));
  }

  /** {@link #downlinkQueueReplace(DownlinkQueueRequest)}, recording who asked on the events. */
  public CompletableFuture<Void> downlinkQueueReplace(DownlinkQueueRequest req,
      RequestOrigin origin) {
    return queue(req, true, Objects.requireNonNull(origin, "origin"));
  }

  /**
   * Lists the device's queue as the Network Server holds it, with each FRMPayload decrypted when
   * it belongs to the current session (never any key).
   */
  @Override
  public CompletableFuture<ApplicationDownlinks> downlinkQueueList(EndDeviceIdentifiers ids) {
    try {
      requireDeviceIds(ids, "end_device_ids");
    } catch (ApiException e) {
      return CompletableFuture.failedFuture(e);
    }
    return devices.submit(deviceKey(ids), () -> callNetworkServer(
        () -> networkServer.downlinkQueueList(ids)).thenApply(list -> {
          AsSession session = store.session(ids).orElse(null);
          ApplicationDownlinks.Builder out = ApplicationDownlinks.newBuilder();
          for (ApplicationDownlink d : list.getDownlinksList()) {
            out.addDownlinks(decrypted(session, d));
          }
          return out.build();
        }));
  }

  private CompletableFuture<Void> queue(DownlinkQueueRequest req, boolean replace,
      RequestOrigin origin) {
    EndDeviceIdentifiers ids = req.getEndDeviceIds();
    try {
      requireDeviceIds(ids, "end_device_ids");
      if (req.getDownlinksCount() > config.maxDownlinksPerRequest()) {
        throw ApiException.invalidArgument("downlinks", "expected at most "
            + config.maxDownlinksPerRequest() + " downlinks, found " + req.getDownlinksCount());
      }
      if (!replace && req.getDownlinksCount() == 0) {
        throw ApiException.invalidArgument("downlinks", "expected at least one downlink to push");
      }
      for (int i = 0; i < req.getDownlinksCount(); i++) {
        for (String c : req.getDownlinks(i).getCorrelationIdsList()) {
          if (c.isEmpty() || c.length() > CorrelationIds.MAX_LENGTH) {
            throw ApiException.invalidArgument("downlinks[" + i + "].correlation_ids", "expected 1.."
                + CorrelationIds.MAX_LENGTH + " characters, found " + c.length());
          }
        }
      }
    } catch (ApiException e) {
      return CompletableFuture.failedFuture(e);
    }
    return devices.submit(deviceKey(ids), () -> queueSerialized(ids, req.getDownlinksList(),
        replace, origin));
  }

  private CompletableFuture<Void> queueSerialized(EndDeviceIdentifiers ids,
      List<ApplicationDownlink> requested, boolean replace, RequestOrigin origin) {
    List<CorrelationIds> corrs = new ArrayList<>();
    List<ApplicationDownlink> received = new ArrayList<>();
    for (ApplicationDownlink d : requested) {
      CorrelationIds c = CorrelationIds.of(d.getCorrelationIdsList());
      if (!c.hasPrefix(CorrelationIds.AS_DOWNLINK)) {
        c = c.with(CorrelationIds.newId(CorrelationIds.AS_DOWNLINK, eventFactory.ulid()));
      }
      ApplicationDownlink r = d.toBuilder().clearCorrelationIds()
          .addAllCorrelationIds(c.asList()).build();
      corrs.add(c);
      received.add(r);
      publish(ApplicationServerEvents.DOWN_DATA_RECEIVE, c, r, ids, origin);
    }
    AsSession session;
    List<ApplicationDownlink> plain = new ArrayList<>();
    try {
      MessagePayloadFormatters f = formattersOf(ids);
      for (int i = 0; i < received.size(); i++) {
        plain.add(plaintext(ids, f, received.get(i), i, corrs.get(i)));
      }
      session = sessionForDownlink(ids);
      if (session.lastAFCntDown() + plain.size() > AsSession.MAX_F_CNT) {
        throw ApiException.failedPrecondition("AFCntDown of " + deviceKey(ids)
            + " is exhausted: the device must rejoin");
      }
    } catch (RuntimeException e) {
      for (CorrelationIds c : corrs) {
        downDropped.increment();
        publishError(ApplicationServerEvents.DOWN_DATA_DROP, c, e, ids);
      }
      return CompletableFuture.failedFuture(ApiException.from(e));
    }
    List<ApplicationDownlink> encrypted = new ArrayList<>();
    AsSession s = session;
    for (ApplicationDownlink d : plain) {
      long fCnt = s.lastAFCntDown() + 1;
      s = s.withLastAFCntDown(fCnt);
      encrypted.add(encrypt(s, d.toBuilder(), fCnt));
    }
    // Durable before the Network Server can transmit with these counters.
    store.putSession(ids, s);
    DownlinkQueueRequest out = DownlinkQueueRequest.newBuilder().setEndDeviceIds(ids)
        .addAllDownlinks(encrypted).build();
    CompletableFuture<Void> call = callNetworkServer(() -> replace
        ? networkServer.downlinkQueueReplace(out) : networkServer.downlinkQueuePush(out));
    return call.handle((v, e) -> {
      for (int i = 0; i < encrypted.size(); i++) {
        if (e == null) {
          downForwarded.increment();
          publish(ApplicationServerEvents.DOWN_DATA_FORWARD, corrs.get(i), encrypted.get(i), ids,
              origin);
        } else {
          downDropped.increment();
          publishError(ApplicationServerEvents.DOWN_DATA_DROP, corrs.get(i), e, ids);
        }
      }
      if (e != null) {
        throw ApiException.from(e);
      }
      return null;
    });
  }

  /** Validates one requested downlink and returns it with its plaintext FRMPayload and FPort. */
  private ApplicationDownlink plaintext(EndDeviceIdentifiers ids, MessagePayloadFormatters f,
      ApplicationDownlink d, int index, CorrelationIds corr) {
    String field = "downlinks[" + index + "]";
    ApplicationDownlink.Builder b = d.toBuilder().clearSessionKeyId().clearFCnt();
    int fPort = d.getFPort();
    if (d.getFrmPayload().isEmpty() && d.hasDecodedPayload()) {
      EncodedPayload enc;
      try {
        enc = formatters.encodeDownlink(f, d.getDecodedPayload(), fPort);
      } catch (PayloadFormatterException e) {
        publish(ApplicationServerEvents.DOWN_DATA_ENCODE_FAIL, corr, formatterError(e), ids);
        throw ApiException.invalidArgument(field + ".decoded_payload", e.getMessage());
      }
      b.setFrmPayload(enc.frmPayload());
      if (enc.fPort().isPresent()) {
        fPort = enc.fPort().getAsInt();
        b.setFPort(fPort);
      }
      if (!enc.warnings().isEmpty()) {
        b.clearDecodedPayloadWarnings().addAllDecodedPayloadWarnings(enc.warnings());
        publish(ApplicationServerEvents.DOWN_DATA_ENCODE_WARNING, corr, b.build(), ids);
      }
    }
    if (fPort < 1 || fPort > MAX_APPLICATION_F_PORT) {
      throw ApiException.invalidArgument(field + ".f_port", "expected 1.."
          + MAX_APPLICATION_F_PORT + ", found " + fPort);
    }
    if (b.getFrmPayload().size() > config.maxFrmPayloadBytes()) {
      throw ApiException.invalidArgument(field + ".frm_payload", "expected at most "
          + config.maxFrmPayloadBytes() + " bytes, found " + b.getFrmPayload().size());
    }
    return b.build();
  }

  private static ApplicationDownlink encrypt(AsSession s, ApplicationDownlink.Builder d,
      long fCnt) {
    byte[] enc = PayloadCipher.frmPayload(s.appSKey(), false, s.devAddr(), fCnt,
        d.getFrmPayload().toByteArray());
    return d.setSessionKeyId(s.sessionKeyId()).setFCnt((int) fCnt)
        .setFrmPayload(ByteString.copyFrom(enc)).build();
  }

  private AsSession sessionForDownlink(EndDeviceIdentifiers ids) {
    Optional<AsSession> stored = store.session(ids);
    if (stored.isPresent()) {
      return stored.get();
    }
    return abpSession(ids, ByteString.EMPTY).orElseThrow(() ->
        ApiException.failedPrecondition("device " + deviceKey(ids)
            + " has no session: expected a join or ABP session keys"));
  }

  // ---------------------------------------------------------------- sessions and keys

  /** The session an uplink belongs to: stored, ABP, or fetched from the Join Server. */
  private CompletableFuture<AsSession> session(EndDeviceIdentifiers ids,
      ByteString sessionKeyId) {
    try {
      Optional<AsSession> stored = store.session(ids);
      if (stored.isPresent() && stored.get().matches(sessionKeyId)) {
        return CompletableFuture.completedFuture(stored.get());
      }
      Optional<AsSession> abp = abpSession(ids, sessionKeyId);
      if (abp.isPresent()) {
        return CompletableFuture.completedFuture(abp.get());
      }
      if (sessionKeyId.isEmpty()) {
        throw ApiException.failedPrecondition("device " + deviceKey(ids)
            + " has no session: expected a join-accept, ABP session keys or a session key ID");
      }
      return fetchAppSKey(ids, sessionKeyId).thenApply(key -> {
        // A new session: AFCntDown restarts (the uplink's last_a_f_cnt_down may move it on).
        AsSession s = new AsSession(sessionKeyId, key, devAddr(ids, null), 0);
        store.putSession(ids, s);
        return s;
      });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * An ABP session from the registry's {@code session.keys.app_s_key}, if it applies: the only
   * place the server reads the whole device.
   */
  private Optional<AsSession> abpSession(EndDeviceIdentifiers ids, ByteString sessionKeyId) {
    Optional<EndDevice> device = store.endDevice(ids);
    if (device.isEmpty() || !device.get().hasSession()) {
      return Optional.empty();
    }
    EndDevice d = device.get();
    KeyEnvelope env = d.getSession().getKeys().getAppSKey();
    if (env.getKey().isEmpty()) {
      return Optional.empty();
    }
    ByteString sid = d.getSession().getKeys().getSessionKeyId();
    if (!sessionKeyId.isEmpty() && !sessionKeyId.equals(sid)) {
      return Optional.empty();
    }
    DevAddr addr;
    if (!d.getSession().getDevAddr().isEmpty()) {
      addr = parseDevAddr("session.dev_addr", d.getSession().getDevAddr());
    } else {
      addr = devAddr(ids, null);
    }
    AsSession s = new AsSession(sid, plainKey("session.keys.app_s_key", env), addr,
        Integer.toUnsignedLong(d.getSession().getLastAFCntDown()));
    store.putSession(ids, s);
    return Optional.of(s);
  }

  private CompletableFuture<AesKey> fetchAppSKey(EndDeviceIdentifiers ids, ByteString sid) {
    SessionKeyRequest req = SessionKeyRequest.newBuilder().setSessionKeyId(sid)
        .setDevEui(ids.getDevEui()).setJoinEui(ids.getJoinEui()).build();
    CompletableFuture<AppSKeyResponse> f;
    try {
      f = joinServer.getAppSKey(req);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.handle((resp, e) -> {
      if (e != null) {
        ApiException api = ApiException.from(e);
        throw new ApiException(api.code(), "cannot get the AppSKey from the Join Server: "
            + api.getMessage(), api.attributes(), api);
      }
      return plainKey("app_s_key", resp.getAppSKey());
    });
  }

  private static AesKey plainKey(String field, KeyEnvelope env) {
    if (env.getKey().isEmpty()) {
      throw ApiException.failedPrecondition(field + ": expected a plain key, found "
          + (env.getEncryptedKey().isEmpty() ? "none" : "a wrapped key (KEK "
          + env.getKekLabel() + "), which is not supported"));
    }
    try {
      return AesKey.parse(env.getKey());
    } catch (LoRaWanException e) {
      throw ApiException.invalidArgument(field, e.getMessage());
    }
  }

  private static DevAddr devAddr(EndDeviceIdentifiers ids, AsSession session) {
    if (!ids.getDevAddr().isEmpty()) {
      return parseDevAddr("end_device_ids.dev_addr", ids.getDevAddr());
    }
    if (session != null) {
      return session.devAddr();
    }
    throw ApiException.invalidArgument("end_device_ids.dev_addr",
        "expected 8 hex digits, found nothing");
  }

  private static DevAddr parseDevAddr(String field, String hex) {
    try {
      return DevAddr.parse(hex);
    } catch (LoRaWanException e) {
      throw ApiException.invalidArgument(field, e.getMessage());
    }
  }

  /** The device's own formatters, else its application's, else none. */
  private MessagePayloadFormatters formattersOf(EndDeviceIdentifiers ids) {
    Optional<MessagePayloadFormatters> own = store.deviceFormatters(ids);
    if (own.isPresent()) {
      return own.get();
    }
    return store.applicationFormatters(ids.getApplicationIds())
        .orElse(MessagePayloadFormatters.getDefaultInstance());
  }

  // ---------------------------------------------------------------- plumbing

  private <T> CompletableFuture<T> callNetworkServer(
      java.util.function.Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void deliver(ApplicationUp up) {
    try {
      webhookDispatcher.dispatch(up);
    } catch (RuntimeException e) {
      LOG.debug("webhook dispatch of {} failed", deviceKey(up.getEndDeviceIds()), e);
    }
    for (Consumer<ApplicationUp> s : subscribers) {
      try {
        s.accept(up);
      } catch (RuntimeException e) {
        LOG.debug("subscriber failed", e);
      }
    }
  }

  private void publish(EventDefinition def, CorrelationIds corr, com.google.protobuf.Message data,
      EndDeviceIdentifiers ids) {
    publish(def, corr, data, ids, RequestOrigin.UNKNOWN);
  }

  private void publish(EventDefinition def, CorrelationIds corr, com.google.protobuf.Message data,
      EndDeviceIdentifiers ids, RequestOrigin origin) {
    try {
      dev.loralab.events.Event.Builder b = eventFactory.builder(def).correlationIds(corr)
          .data(data).identifiers(EntityIdentifiers.newBuilder().setDeviceIds(ids).build())
          .remoteIp(origin.remoteIp()).userAgent(origin.userAgent());
      if (!origin.apiKeyId().isEmpty()) {
        b.authentication("bearer", "APIKey", origin.apiKeyId());
      }
      events.publish(b.build());
    } catch (RuntimeException e) {
      LOG.debug("cannot publish {}", def.name(), e);
    }
  }

  private void publishError(EventDefinition def, CorrelationIds corr, Throwable error,
      EndDeviceIdentifiers ids) {
    ApiException e = ApiException.from(error);
    LOG.debug("{} {}: {}", def.name(), deviceKey(ids), e.getMessage());
    publish(def, corr, e.toErrorDetails(), ids);
  }

  private static ErrorDetails formatterError(PayloadFormatterException e) {
    Struct.Builder attrs = Struct.newBuilder();
    attrs.putFields("field", com.google.protobuf.Value.newBuilder().setStringValue(e.field())
        .build());
    if (e.expected() != null) {
      attrs.putFields("expected", com.google.protobuf.Value.newBuilder()
          .setStringValue(e.expected()).build());
      attrs.putFields("found", com.google.protobuf.Value.newBuilder()
          .setStringValue(e.found()).build());
    }
    return ErrorDetails.newBuilder().setNamespace("loralab/applicationserver/formatters")
        .setName("formatter_failed").setMessageFormat(e.getMessage()).setAttributes(attrs)
        .setCode(Status.Code.INVALID_ARGUMENT.value()).build();
  }

  private static void requireDeviceIds(EndDeviceIdentifiers ids, String field) {
    if (ids.getApplicationIds().getApplicationId().isEmpty()) {
      throw ApiException.invalidArgument(field + ".application_ids.application_id",
          "expected an application ID, found nothing");
    }
    if (ids.getDeviceId().isEmpty()) {
      throw ApiException.invalidArgument(field + ".device_id",
          "expected a device ID, found nothing");
    }
  }

  static String deviceKey(EndDeviceIdentifiers ids) {
    return ids.getApplicationIds().getApplicationId() + "/" + ids.getDeviceId();
  }

  /** Closes the JavaScript engine. Executors and the HTTP client belong to the caller. */
  @Override
  public void close() {
    javaScript.close();
  }

  /** Builds an {@link ApplicationServer}. */
  public static final class Builder {
    private ApplicationServerConfig config = ApplicationServerConfig.defaults();
    private ApplicationServerStore store;
    private AsJs joinServer;
    private AsNs networkServer;
    private EventBus events;
    private EventFactory eventFactory;
    private Clock clock;
    private Executor executor;
    private ScheduledExecutorService scheduler;
    private HttpClient httpClient;
    private MeterRegistry meters;

    private Builder() {}

    /** Configuration (default {@link ApplicationServerConfig#defaults()}). */
    public Builder config(ApplicationServerConfig v) {
      config = v;
      return this;
    }

    /** Sessions, formatters and webhooks. */
    public Builder store(ApplicationServerStore v) {
      store = v;
      return this;
    }

    /** The Join Server, for AppSKeys. */
    public Builder joinServer(AsJs v) {
      joinServer = v;
      return this;
    }

    /** The Network Server's downlink queue. */
    public Builder networkServer(AsNs v) {
      networkServer = v;
      return this;
    }

    /** Where events go. */
    public Builder events(EventBus v) {
      events = v;
      return this;
    }

    /** Stamps events (default {@link EventFactory#system()}). */
    public Builder eventFactory(EventFactory v) {
      eventFactory = v;
      return this;
    }

    /** Time of received_at defaults and webhook timestamps. */
    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    /** Runs per-device work (formatters included): never a Netty event loop. */
    public Builder executor(Executor v) {
      executor = v;
      return this;
    }

    /** Formatter watchdog and webhook retries. */
    public Builder scheduler(ScheduledExecutorService v) {
      scheduler = v;
      return this;
    }

    /** Sends webhooks. */
    public Builder httpClient(HttpClient v) {
      httpClient = v;
      return this;
    }

    /** Metrics (default a private {@link SimpleMeterRegistry}). */
    public Builder meterRegistry(MeterRegistry v) {
      meters = v;
      return this;
    }

    /** Builds the server. */
    public ApplicationServer build() {
      return new ApplicationServer(this);
    }
  }
}
