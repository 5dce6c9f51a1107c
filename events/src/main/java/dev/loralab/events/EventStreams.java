package dev.loralab.events;

import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import dev.loralab.api.ApiException;
import dev.loralab.api.auth.AccessControl;
import dev.loralab.api.auth.Caller;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.auth.PermissionDenied;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.StreamEventsRequest;
import dev.loralab.events.internal.StreamSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The transport-independent part of {@code Events.Stream} and {@code Events.FindRelated}, shared by
 * {@link EventsHttpRoutes} and {@link EventsGrpcService}: request validation, name expansion,
 * authorization, history replay, live delivery with per-event visibility checks.
 *
 * <p>Semantics (The Things Stack's, improved where the issue says so): identifiers are mandatory;
 * the caller needs a right on every requested entity (else PERMISSION_DENIED naming it); the first
 * event is {@code events.stream.start} with the expanded names; {@code tail}/{@code after}/
 * {@code Last-Event-ID} replay history before live events, without duplicates; an event is delivered
 * only when the caller's (expanded) rights on one of its identifiers include one of its visibility
 * rights. Rights are looked up once per entity per stream.
 */
public final class EventStreams {

  /** Full method name of the stream RPC, used for the stream's correlation ID. */
  public static final String STREAM_METHOD = "ttn.lorawan.v3.Events/Stream";

  /** Where a stream writes. Calls are never concurrent. */
  public interface Output {
    /** Whether more events can be written now; when false, call {@link Handle#wake()} once ready. */
    boolean ready();

    /** Writes one event frame. */
    void send(Event event);

    /** Flushes written frames. */
    void flush();

    /** Sends an in-band error and ends the stream. */
    void error(ApiException error);
  }

  /** A running stream. */
  public interface Handle extends AutoCloseable {
    /** Resumes delivery after the output became ready again. */
    void wake();

    /** Stops the stream (unsubscribes). Idempotent. */
    @Override
    void close();
  }

  /** A validated, authorized stream request, ready to start. */
  public final class Prepared {
    private final Caller caller;
    private final List<EntityIdentifiers> identifiers;
    private final List<String> names;
    private final int tail;
    private final Instant after;
    private final String lastEventId;
    private final String correlationId;
    private final RightsCache rights;

    private Prepared(Caller caller, List<EntityIdentifiers> identifiers, List<String> names, int tail, Instant after,
        String lastEventId, String correlationId, RightsCache rights) {
      this.caller = caller;
      this.identifiers = identifiers;
      this.names = names;
      this.tail = tail;
      this.after = after;
      this.lastEventId = lastEventId;
      this.correlationId = correlationId;
      this.rights = rights;
    }

    /** The expanded name filter (empty: all events). */
    public List<String> names() {
      return names;
    }

    /** The authenticated caller. */
    public Caller caller() {
      return caller;
    }

    /**
     * Subscribes, sends {@code events.stream.start}, replays history, then delivers live events on
     * the executor. Runs the replay on the calling thread.
     */
    public Handle start(Output out) {
      Value data = null;
      if (!names.isEmpty()) {
        ListValue.Builder lv = ListValue.newBuilder();
        names.forEach(n -> lv.addValues(Value.newBuilder().setStringValue(n)));
        data = Value.newBuilder().setListValue(lv).build();
      }
      Event startEvent = factory.builder(EventCatalogue.STREAM_START).identifiers(identifiers)
          .correlationIds(CorrelationIds.of(correlationId)).data(data).build();
      StreamSession session = new StreamSession(out, rights::visible);
      SubscriptionRequest req = new SubscriptionRequest(identifiers, new HashSet<>(names),
          config.subscriberQueueSize());
      session.attach(bus.subscribe(req, session, executor));
      out.send(startEvent);
      session.replay(replay(req));
      out.flush();
      session.goLive();
      return session;
    }

    private List<Event> replay(SubscriptionRequest req) {
      if (history == null || (tail == 0 && after == null && lastEventId == null)) {
        return List.of();
      }
      List<Event> candidates = lastEventId != null ? history.afterEventId(identifiers, lastEventId)
          : after != null ? history.after(identifiers, after)
          : history.tail(identifiers, Integer.MAX_VALUE);
      List<Event> out = new ArrayList<>();
      for (Event e : candidates) {
        if (req.acceptsName(e.name()) && rights.visible(e)) {
          out.add(e);
        }
      }
      if (tail > 0 && out.size() > tail) {
        return out.subList(out.size() - tail, out.size());
      }
      return out;
    }
  }

  private final EventBus bus;
  private final EventHistory history;
  private final EventCatalogue catalogue;
  private final AccessControl accessControl;
  private final EventFactory factory;
  private final EventsConfig config;
  private final ScheduledExecutorService executor;

  /**
   * @param bus           live events
   * @param history       replay and FindRelated; null disables both (FAILED_PRECONDITION / no replay)
   * @param catalogue     for name expansion and the definitions listing
   * @param accessControl authentication and rights
   * @param factory       stamps synthetic events
   * @param config        limits, queue sizes, keepalive interval
   * @param executor      delivers events to streams and runs keepalives
   */
  public EventStreams(EventBus bus, EventHistory history, EventCatalogue catalogue, AccessControl accessControl,
      EventFactory factory, EventsConfig config, ScheduledExecutorService executor) {
    this.bus = Objects.requireNonNull(bus, "bus");
    this.history = history;
    this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    this.accessControl = Objects.requireNonNull(accessControl, "accessControl");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.config = Objects.requireNonNull(config, "config");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  public EventCatalogue catalogue() {
    return catalogue;
  }

  public EventsConfig config() {
    return config;
  }

  public AccessControl accessControl() {
    return accessControl;
  }

  public ScheduledExecutorService executor() {
    return executor;
  }

  /** A new stream correlation ID {@code rpc:/ttn.lorawan.v3.Events/Stream:<ULID>}. */
  public String newStreamCorrelationId() {
    return CorrelationIds.rpcPrefix(STREAM_METHOD) + factory.ulid().next();
  }

  /**
   * Validates and authorizes a stream request.
   *
   * @param lastEventId   resume after this event ID (SSE {@code Last-Event-ID}), or null
   * @param correlationId the stream's RPC correlation ID
   * @throws ApiException      INVALID_ARGUMENT for bad identifiers or names
   * @throws PermissionDenied  naming the first entity the caller has no rights on
   */
  public Prepared prepare(Caller caller, StreamEventsRequest request, String lastEventId, String correlationId) {
    Objects.requireNonNull(caller, "caller");
    List<EntityIdentifiers> ids = request.getIdentifiersList();
    if (ids.isEmpty()) {
      throw ApiException.invalidArgument("identifiers", "expected at least one entity, found none");
    }
    if (ids.size() > config.maxIdentifiers()) {
      throw ApiException.invalidArgument("identifiers", "expected at most " + config.maxIdentifiers()
          + " entities, found " + ids.size());
    }
    for (int i = 0; i < ids.size(); i++) {
      String problem = identifierProblem(ids.get(i));
      if (problem != null) {
        throw ApiException.invalidArgument("identifiers[" + i + "]", problem);
      }
    }
    List<String> names = catalogue.expandNames(request.getNamesList());
    if (lastEventId != null && !Ulid.isValid(lastEventId)) {
      throw ApiException.invalidArgument("Last-Event-ID", "expected a ULID, found '"
          + (lastEventId.length() > 40 ? lastEventId.substring(0, 40) + "..." : lastEventId) + "'");
    }
    RightsCache rights = new RightsCache(caller);
    for (EntityIdentifiers id : ids) {
      if (rights.of(id).isEmpty()) {
        throw new PermissionDenied(id, "the caller has no rights on this entity");
      }
    }
    int tail = (int) Math.min(Integer.toUnsignedLong(request.getTail()), config.maxTail());
    Instant after = request.hasAfter()
        ? Instant.ofEpochSecond(request.getAfter().getSeconds(), request.getAfter().getNanos()) : null;
    return new Prepared(caller, List.copyOf(ids), names, tail, after, lastEventId, correlationId, rights);
  }

  /**
   * The events sharing a correlation ID; events the caller may not see are redacted (name, time,
   * identifiers, origin, visibility and unique ID only), as in The Things Stack.
   *
   * @throws ApiException INVALID_ARGUMENT for a bad ID, FAILED_PRECONDITION without history
   */
  public List<Event> findRelated(Caller caller, String correlationId) {
    Objects.requireNonNull(caller, "caller");
    if (correlationId == null || correlationId.isEmpty() || correlationId.length() > CorrelationIds.MAX_LENGTH) {
      throw ApiException.invalidArgument("correlation_id", "expected 1.." + CorrelationIds.MAX_LENGTH
          + " characters, found " + (correlationId == null ? 0 : correlationId.length()));
    }
    if (history == null) {
      throw ApiException.failedPrecondition("events storage is disabled");
    }
    RightsCache rights = new RightsCache(caller);
    List<Event> out = new ArrayList<>();
    for (Event e : history.related(correlationId)) {
      out.add(rights.visible(e) ? e : e.redacted());
    }
    return out;
  }

  /** Authenticates a bearer token (or {@code Bearer <token>} header value). */
  public Caller authenticate(String token) {
    return accessControl.authenticate(token);
  }

  private static String identifierProblem(EntityIdentifiers id) {
    return switch (id.getIdsCase()) {
      case IDS_NOT_SET -> "expected one of application_ids, client_ids, device_ids, gateway_ids, "
          + "organization_ids, user_ids; found none";
      case APPLICATION_IDS -> id.getApplicationIds().getApplicationId().isEmpty()
          ? "application_ids.application_id: expected an ID, found empty" : null;
      case DEVICE_IDS -> id.getDeviceIds().getDeviceId().isEmpty()
          ? "device_ids.device_id: expected an ID, found empty"
          : id.getDeviceIds().getApplicationIds().getApplicationId().isEmpty()
          ? "device_ids.application_ids.application_id: expected an ID, found empty" : null;
      case GATEWAY_IDS -> id.getGatewayIds().getGatewayId().isEmpty()
          ? "gateway_ids.gateway_id: expected an ID, found empty" : null;
      case USER_IDS -> id.getUserIds().getUserId().isEmpty() ? "user_ids.user_id: expected an ID, found empty" : null;
      case ORGANIZATION_IDS -> id.getOrganizationIds().getOrganizationId().isEmpty()
          ? "organization_ids.organization_id: expected an ID, found empty" : null;
      case CLIENT_IDS -> id.getClientIds().getClientId().isEmpty()
          ? "client_ids.client_id: expected an ID, found empty" : null;
    };
  }

  /** The caller's expanded rights per entity, looked up once per stream. Devices share their application's entry. */
  private final class RightsCache {
    private final Caller caller;
    /** Rights on applications (and so on their devices) by application ID. */
    private final ConcurrentHashMap<String, RightSet> byApplication = new ConcurrentHashMap<>();
    /** Rights on other entities by entity key. */
    private final ConcurrentHashMap<String, RightSet> byKey = new ConcurrentHashMap<>();

    RightsCache(Caller caller) {
      this.caller = caller;
    }

    RightSet of(EntityIdentifiers id) {
      // Devices and applications, nearly every event, by the application ID itself: no key
      // string is built per event and subscriber.
      String applicationId = switch (id.getIdsCase()) {
        case DEVICE_IDS -> id.getDeviceIds().getApplicationIds().getApplicationId();
        case APPLICATION_IDS -> id.getApplicationIds().getApplicationId();
        default -> null;
      };
      ConcurrentHashMap<String, RightSet> map = applicationId != null ? byApplication : byKey;
      String key = applicationId != null ? applicationId : EntityKeys.of(id);
      RightSet r = map.get(key);
      if (r == null) {
        RightSet looked = lookup(id);
        r = map.computeIfAbsent(key, k -> looked);
      }
      return r;
    }

    private RightSet lookup(EntityIdentifiers id) {
      try {
        return accessControl.rightsOn(caller, id).expanded();
      } catch (RuntimeException e) {
        return RightSet.empty();
      }
    }

    boolean visible(Event e) {
      RightSet vis = e.visibility();
      if (vis.isEmpty()) {
        return true;
      }
      for (EntityIdentifiers id : e.identifiers()) {
        if (of(id).includesAny(vis.asSet())) {
          return true;
        }
      }
      return false;
    }
  }
}
