package dev.loralab.gatewayserver;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.Value;
import dev.loralab.api.ApiException;
import dev.loralab.api.GsNs;
import dev.loralab.api.NsGs;
import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.DownlinkPath;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.GatewayAntennaIdentifiers;
import dev.loralab.api.v3.GatewayConnectionStats;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.GatewayStatus;
import dev.loralab.api.v3.GatewayTxAcknowledgment;
import dev.loralab.api.v3.GatewayUplinkMessage;
import dev.loralab.api.v3.ScheduleDownlinkResponse;
import dev.loralab.api.v3.TxAcknowledgment;
import dev.loralab.api.v3.TxRequest;
import dev.loralab.api.v3.TxSettings;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.events.CorrelationIds;
import dev.loralab.events.EventBus;
import dev.loralab.events.EventDefinition;
import dev.loralab.events.EventFactory;
import dev.loralab.frequencyplans.DataRate;
import dev.loralab.frequencyplans.FrequencyPlan;
import dev.loralab.frequencyplans.FrequencyPlanException;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.frequencyplans.TimeOnAir;
import dev.loralab.gatewayserver.DownlinkRequest.TxParameters;
import dev.loralab.gatewayserver.internal.Abandonable;
import dev.loralab.gatewayserver.internal.DatagramTransport;
import dev.loralab.gatewayserver.internal.GatewayConnection;
import dev.loralab.gatewayserver.internal.GatewayConnection.PendingDownlink;
import dev.loralab.gatewayserver.internal.GatewayConnectionSlots;
import dev.loralab.gatewayserver.internal.GatewayServerMetrics;
import dev.loralab.gatewayserver.internal.LogLimiter;
import dev.loralab.gatewayserver.internal.PendingDatagrams;
import dev.loralab.gatewayserver.internal.ReadHandOff;
import dev.loralab.gatewayserver.internal.UplinkConversion;
import dev.loralab.gatewayserver.udp.AddressRateLimiter;
import dev.loralab.gatewayserver.udp.DropReason;
import dev.loralab.gatewayserver.udp.Rxpk;
import dev.loralab.gatewayserver.udp.SemtechPacket;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullAck;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullData;
import dev.loralab.gatewayserver.udp.SemtechPacket.PullResp;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushAck;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.gatewayserver.udp.SemtechPacket.TxAck;
import dev.loralab.gatewayserver.udp.SemtechUdpCodec;
import dev.loralab.gatewayserver.udp.SemtechUdpHandler;
import dev.loralab.gatewayserver.udp.SemtechUdpListener;
import dev.loralab.gatewayserver.udp.TxAckResult;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.frame.PhyPayload;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Gateway Server: a Semtech UDP packet-forwarder endpoint that forwards uplinks to the Network
 * Server ({@link GsNs#handleUplink}) and schedules its downlinks ({@link NsGs#scheduleDownlink}),
 * or only says whether it would ({@link NsGs#checkDownlink}, on the same code path).
 *
 * <p>The Netty event loop only decodes, acknowledges and records the downlink path; uplink
 * conversion, registry lookups, event publishing and Network Server calls run on the injected
 * executor, serialised per gateway. Build with {@link #builder()}, then {@link #start()}.
 *
 * <p>Back-pressure: when more than {@link GatewayServerConfig#maxPendingDatagrams} datagrams
 * handed to the executor are not yet processed, the socket is not read (the kernel's receive
 * buffer takes the rest, dropping what overflows) until at most half of them are pending
 * (meters {@code loralab.gs.udp.read.pauses}, {@code loralab.gs.udp.pending}).
 *
 * <p>Downlinks awaiting their TX_ACK are bounded in time ({@link GatewayServerConfig#txAckTimeout},
 * swept by housekeeping) and in number per gateway ({@link GatewayServerConfig#maxPendingTxAcks},
 * the earliest sent is forgotten first); both count in {@code loralab.gs.txacks} with
 * {@code result} {@code timeout} or {@code evicted}.
 */
public final class GatewayServer implements NsGs, AutoCloseable {

  /** Name of the Semtech UDP handler in the channel pipeline. */
  public static final String SEMTECH_UDP_HANDLER = "semtech-udp";

  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
  private static final int MAX_LOG_KEYS = 10_000;
  private static final int MAX_RATE_LIMITED_ADDRESSES = 100_000;
  /** Slots of the event loop's connection lookup (a cache: more gateways only share slots). */
  private static final int CONNECTION_SLOTS = 4096;
  /** The data of {@code gs.up.forward}: where the uplink went. */
  private static final Value FORWARDED_TO_CLUSTER = Value.newBuilder().setStringValue("cluster")
      .build();

  private final GatewayServerConfig config;
  private final GatewayDirectory directory;
  private final FrequencyPlanStore plans;
  private final AtomicReference<GsNs> networkServer;
  private final EventBus events;
  private final EventFactory eventFactory;
  private final Clock clock;
  private final RandomGenerator random;
  private final Executor executor;
  /** The executor of the gateways' serial executors: batches each read's hand-offs. */
  private final ReadHandOff handOff;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final DatagramTransport transport;
  private final SemtechUdpCodec codec;
  private final AddressRateLimiter rateLimiter;
  private final LogLimiter logLimiter;
  private final DownlinkScheduler scheduler;
  private final GatewayServerMetrics metrics;
  /** Back-pressure: datagrams handed off by the event loop and not yet processed. */
  private final PendingDatagrams pendingDatagrams;
  private final Map<Eui64, GatewayConnection> connections = new ConcurrentHashMap<>();
  private final AtomicLong connectionSerials = new AtomicLong();
  /** Confined to the event loop (the Frontend). */
  private final GatewayConnectionSlots liveConnections =
      new GatewayConnectionSlots(CONNECTION_SLOTS);
  private final java.util.function.Function<Eui64, GatewayConnection> connectionLookup =
      connections::get;
  private final String upHostCorrelationId;
  private volatile Channel channel;
  private volatile ScheduledFuture<?> housekeeping;

  private GatewayServer(Builder b) {
    this.config = Objects.requireNonNull(b.config, "config");
    this.directory = Objects.requireNonNull(b.directory, "directory");
    this.plans = Objects.requireNonNull(b.plans, "frequencyPlans");
    this.networkServer = new AtomicReference<>(b.networkServer);
    this.events = Objects.requireNonNull(b.events, "events");
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.eventFactory = b.eventFactory != null ? b.eventFactory : EventFactory.system();
    this.random = Objects.requireNonNull(b.random, "random");
    this.executor = Objects.requireNonNull(b.executor, "executor");
    this.handOff = new ReadHandOff(executor);
    this.ownsGroup = b.group == null;
    this.transport = ownsGroup ? DatagramTransport.select(config.udpTransport())
        : DatagramTransport.ofGroup(b.group, config.udpTransport());
    this.group = ownsGroup ? new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory())
        : b.group;
    this.codec = new SemtechUdpCodec(config.udpLimits());
    this.rateLimiter = new AddressRateLimiter(config.perAddressRate(), config.perAddressBurst(),
        MAX_RATE_LIMITED_ADDRESSES, clock);
    this.logLimiter = new LogLimiter(config.logInterval(), clock, MAX_LOG_KEYS);
    this.scheduler = new DownlinkScheduler(config, clock);
    this.pendingDatagrams = new PendingDatagrams(config.maxPendingDatagrams(), this::autoRead,
        this::readPaused);
    this.metrics = new GatewayServerMetrics(
        b.meterRegistry != null ? b.meterRegistry : new SimpleMeterRegistry(), connections::size,
        pendingDatagrams::pending);
    this.upHostCorrelationId = CorrelationIds.newId(CorrelationIds.GS_UP_HOST,
        eventFactory.ulid());
  }

  /** A builder; config, directory, frequency plans, event bus, clock, random and executor are
   *  required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Binds the UDP socket and starts housekeeping; returns the bound address. */
  public synchronized InetSocketAddress start() {
    if (channel != null) {
      throw new IllegalStateException("already started");
    }
    SemtechUdpHandler handler = new SemtechUdpHandler(codec, rateLimiter, new Frontend());
    Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.channelClass())
        .option(ChannelOption.SO_RCVBUF, config.udpReceiveBufferBytes())
        .handler(new ChannelInitializer<DatagramChannel>() {
          @Override
          protected void initChannel(DatagramChannel ch) {
            ch.pipeline().addLast(SEMTECH_UDP_HANDLER, handler);
          }
        });
    int perRead = transport.configureReads(bootstrap, config.udpLimits().maxDatagramBytes(),
        config.udpDatagramsPerRead());
    channel = bootstrap.bind(config.bindHost(), config.port()).syncUninterruptibly().channel();
    long every = config.housekeepingInterval().toMillis();
    housekeeping = group.next().scheduleAtFixedRate(
        () -> executor.execute(this::housekeeping), every, every, TimeUnit.MILLISECONDS);
    LOG.info("Gateway Server listening for Semtech UDP on {} ({} transport, up to {} datagrams"
        + " per read)", channel.localAddress(), transport.kind(), perRead);
    return localAddress();
  }

  /** Reading of the socket on or off (from any thread; Netty's auto-read is thread-safe). */
  private void autoRead(boolean on) {
    Channel c = channel;
    if (c != null) {
      c.config().setAutoRead(on);
    }
  }

  private void readPaused() {
    metrics.readPause();
    LOG.debug("UDP reads paused: more than {} datagrams pending", config.maxPendingDatagrams());
  }

  /**
   * Datagrams read and handed to the executor but not yet processed (reading pauses beyond
   * {@link GatewayServerConfig#maxPendingDatagrams}).
   */
  public int pendingDatagrams() {
    return pendingDatagrams.pending();
  }

  /** Whether reading of the UDP socket is paused because too many datagrams are pending. */
  public boolean readingPaused() {
    return pendingDatagrams.paused();
  }

  /** The bound UDP address. */
  public InetSocketAddress localAddress() {
    Channel c = channel;
    if (c == null) {
      throw new IllegalStateException("not started");
    }
    return (InetSocketAddress) c.localAddress();
  }

  /** The UDP transport in use: {@link UdpTransport#EPOLL} or {@link UdpTransport#NIO}. */
  public UdpTransport udpTransport() {
    return transport.kind();
  }

  /** Sets the Network Server that receives uplinks and TX acknowledgments. */
  public void setNetworkServer(GsNs ns) {
    networkServer.set(ns);
  }

  /** The {@code gs:up:host:} correlation ID of this server instance. */
  public String upHostCorrelationId() {
    return upHostCorrelationId;
  }

  /** Snapshots of the current connections. */
  public List<GatewayConnectionInfo> connections() {
    return connections.values().stream().map(GatewayConnection::info).toList();
  }

  /** The connection of one gateway, if connected. */
  public Optional<GatewayConnectionInfo> connection(Eui64 eui) {
    return Optional.ofNullable(connections.get(eui)).map(GatewayConnection::info);
  }

  /** Tokens of the downlinks of a connected gateway that await their TX_ACK (tests). */
  java.util.Set<Integer> pendingTxAcks(Eui64 eui) {
    GatewayConnection conn = connections.get(eui);
    return conn == null ? java.util.Set.of() : java.util.Set.copyOf(conn.pending().keySet());
  }

  /**
   * The connection statistics of a connected gateway, as The Things Stack's
   * {@code GatewayConnectionStats}.
   */
  public Optional<GatewayConnectionStats> connectionStats(Eui64 eui) {
    return Optional.ofNullable(connections.get(eui)).map(GatewayConnection::stats);
  }

  /**
   * The connection statistics of the connected gateway with this gateway ID (a scan of the
   * connections; for HTTP status requests, not per-packet use).
   */
  public Optional<GatewayConnectionStats> connectionStats(String gatewayId) {
    for (GatewayConnection c : connections.values()) {
      if (c.gateway().ids().getGatewayId().equals(gatewayId)) {
        return Optional.of(c.stats());
      }
    }
    return Optional.empty();
  }

  /** The scheduler (for inspection, e.g. duty-cycle use). */
  public DownlinkScheduler scheduler() {
    return scheduler;
  }

  /** Closes the socket, disconnects every gateway and, if it owns it, stops the event loop. */
  @Override
  public synchronized void close() {
    ScheduledFuture<?> h = housekeeping;
    if (h != null) {
      h.cancel(false);
    }
    Channel c = channel;
    if (c != null) {
      c.close().syncUninterruptibly();
    }
    for (GatewayConnection conn : List.copyOf(connections.values())) {
      disconnect(conn, "server stopped");
    }
    if (ownsGroup) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Uplink path

  /** Called on the event loop by the Semtech UDP handler. */
  private final class Frontend implements SemtechUdpListener {
    @Override
    public void onPacket(SemtechPacket packet, InetSocketAddress sender) {
      handOff.reading();
      metrics.datagram(packet.type());
      Eui64 eui = eui(packet);
      GatewayConnection conn = liveConnections.live(eui, connectionLookup);
      if (conn != null) {
        handle(conn, packet, sender, true);
      } else {
        Runnable task = pendingDatagrams.track(() -> connectAndHandle(eui, packet, sender));
        try {
          executor.execute(task);
        } catch (RuntimeException e) {
          Abandonable.abandon(task);
          throw e;
        }
      }
    }

    @Override
    public void onReadComplete() {
      handOff.readComplete();
    }

    @Override
    public void onDrop(DropReason reason, InetSocketAddress sender, String detail) {
      drop(reason, sender, detail);
    }
  }

  private static Eui64 eui(SemtechPacket p) {
    if (p instanceof PushData d) {
      return d.gatewayEui();
    }
    if (p instanceof PullData d) {
      return d.gatewayEui();
    }
    return ((TxAck) p).gatewayEui();
  }

  private void drop(DropReason reason, InetSocketAddress sender, String detail) {
    metrics.drop(reason);
    boolean debugOnly = reason != DropReason.HANDLER_ERROR && reason != DropReason.UNKNOWN_GATEWAY;
    if (debugOnly && !LOG.isDebugEnabled()) {
      return; // nothing to log: no log key, no rate-limit entry (floods end up here)
    }
    String source = sender == null ? "-" : sender.getAddress().getHostAddress();
    long suppressed = logLimiter.permit(reason.tag() + "|" + source);
    if (suppressed < 0) {
      return;
    }
    if (reason == DropReason.HANDLER_ERROR) {
      LOG.warn("dropped datagram from {}: {}: {} ({} similar suppressed)", source, reason.tag(),
          detail, suppressed);
    } else if (reason == DropReason.UNKNOWN_GATEWAY) {
      LOG.info("dropped datagram from {}: {}: {} ({} similar suppressed)", source, reason.tag(),
          detail, suppressed);
    } else {
      LOG.debug("dropped datagram from {}: {}: {} ({} similar suppressed)", source, reason.tag(),
          detail, suppressed);
    }
  }

  /** First datagram of a gateway without a connection: look it up (may block), then handle. */
  private void connectAndHandle(Eui64 eui, SemtechPacket packet, InetSocketAddress sender) {
    try {
      GatewayConnection conn = connections.get(eui);
      if (conn == null || conn.closed()) {
        Optional<RegisteredGateway> registered = directory.byEui(eui);
        if (registered.isEmpty() && config.autoAcceptUnknownGateways()) {
          registered = Optional.of(new RegisteredGateway(GatewayIdentifiers.newBuilder()
              .setGatewayId("eui-" + eui.toString().toLowerCase(Locale.ROOT))
              .setEui(eui.toString()).build(), config.defaultFrequencyPlanId(),
              config.enforceDutyCycle(), 0, false));
        }
        if (registered.isEmpty()) {
          drop(DropReason.UNKNOWN_GATEWAY, sender, "gateway EUI " + eui + " is not registered");
          return;
        }
        RegisteredGateway gw = registered.get();
        FrequencyPlan plan = plans.get(gw.frequencyPlanId());
        conn = connect(eui, gw, plan);
      }
      handle(conn, packet, sender, false);
    } catch (FrequencyPlanException e) {
      drop(DropReason.HANDLER_ERROR, sender, "gateway " + eui + ": " + e.getMessage());
    } catch (RuntimeException e) {
      drop(DropReason.HANDLER_ERROR, sender, "gateway " + eui + ": " + e);
    }
  }

  private GatewayConnection connect(Eui64 eui, RegisteredGateway gw, FrequencyPlan plan) {
    Instant now = clock.instant();
    GatewayConnection[] created = new GatewayConnection[1];
    GatewayConnection conn = connections.compute(eui, (k, existing) -> {
      if (existing != null && !existing.closed()) {
        return existing;
      }
      created[0] = new GatewayConnection(eui, gw, plan,
          CorrelationIds.newId(CorrelationIds.GS_CONN, eventFactory.ulid()),
          connectionSerials.incrementAndGet(), now, handOff);
      return created[0];
    });
    if (created[0] != null) {
      GatewayConnection c = created[0];
      c.serial().execute(() -> publish(GatewayServerEvents.GATEWAY_CONNECT,
          CorrelationIds.of(c.correlationId()), gw.ids(), gw.ids()));
    }
    return conn;
  }

  private void disconnect(GatewayConnection conn, String why) {
    if (connections.remove(conn.eui(), conn)) {
      conn.close();
      LOG.debug("gateway {} disconnected: {}", conn.eui(), why);
      conn.serial().execute(() -> publish(GatewayServerEvents.GATEWAY_DISCONNECT,
          CorrelationIds.of(conn.correlationId()), conn.gateway().ids(), conn.gateway().ids()));
    }
  }

  /**
   * Acknowledges at once and hands the rest to the gateway's serial executor. {@code inRead}:
   * called inside the channel's read, whose completion flushes the acknowledgement (several
   * acknowledgements of one read leave together); otherwise it is flushed here.
   */
  private void handle(GatewayConnection conn, SemtechPacket packet, InetSocketAddress sender,
      boolean inRead) {
    Instant now = clock.instant();
    if (packet instanceof PushData p) {
      conn.seen(p.version(), now);
      acknowledge(codec.encode(new PushAck(p.version(), p.token())), sender, inRead);
      conn.serial().execute(tracked(inRead, new PushDataTask(conn, p, sender, now)));
    } else if (packet instanceof PullData p) {
      conn.pullData(sender, p.version(), now);
      acknowledge(codec.encode(new PullAck(p.version(), p.token())), sender, inRead);
    } else if (packet instanceof TxAck t) {
      conn.seen(t.version(), now);
      conn.serial().execute(tracked(inRead,
          guarded(sender, () -> processTxAck(conn, t, sender, now))));
    }
  }

  /**
   * A hand-off of the event loop ({@code inRead}) counts among the pending datagrams; the
   * executor's own (the first datagram of a gateway) already does, as the connecting task.
   */
  private Runnable tracked(boolean inRead, Runnable task) {
    return inRead ? pendingDatagrams.track(task) : task;
  }

  /**
   * The processing of a PUSH_DATA on its gateway's serial executor, {@link #guarded} (one object
   * per datagram instead of a lambda and its guard).
   */
  private final class PushDataTask implements Runnable {
    private final GatewayConnection conn;
    private final PushData packet;
    private final InetSocketAddress sender;
    private final Instant receivedAt;

    PushDataTask(GatewayConnection conn, PushData packet, InetSocketAddress sender,
        Instant receivedAt) {
      this.conn = conn;
      this.packet = packet;
      this.sender = sender;
      this.receivedAt = receivedAt;
    }

    @Override
    public void run() {
      try {
        processPushData(conn, packet, sender, receivedAt);
      } catch (RuntimeException e) {
        drop(DropReason.HANDLER_ERROR, sender, e.toString());
      }
    }
  }

  /** A task whose unexpected failure is counted and logged like a dropped datagram. */
  private Runnable guarded(InetSocketAddress sender, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        drop(DropReason.HANDLER_ERROR, sender, e.toString());
      }
    };
  }

  /** Sends at once (downlinks, from any thread). */
  private void send(byte[] datagram, InetSocketAddress to) {
    Channel c = channel;
    if (c != null) {
      c.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), to));
    }
  }

  /** An acknowledgement: only queued inside a read (the read's completion flushes it). */
  private void acknowledge(byte[] datagram, InetSocketAddress to, boolean inRead) {
    Channel c = channel;
    if (c == null) {
      return;
    }
    DatagramPacket ack = new DatagramPacket(Unpooled.wrappedBuffer(datagram), to);
    if (inRead) {
      c.write(ack);
    } else {
      c.writeAndFlush(ack);
    }
  }

  private void processPushData(GatewayConnection conn, PushData p, InetSocketAddress sender,
      Instant receivedAt) {
    GatewayIdentifiers ids = conn.gateway().ids();
    if (!p.rxpk().isEmpty()) {
      long latestTmst = Long.MIN_VALUE;
      for (Rxpk rxpk : p.rxpk()) {
        latestTmst = Math.max(latestTmst, rxpk.tmst());
      }
      conn.syncClock(latestTmst, receivedAt);
    }
    p.stat().ifPresent(stat -> {
      GatewayStatus status =
          UplinkConversion.status(stat, receivedAt, sender.getAddress().getHostAddress());
      conn.status(status, receivedAt);
      publish(GatewayServerEvents.STATUS_RECEIVE, CorrelationIds.of(conn.correlationId(),
          CorrelationIds.newId(CorrelationIds.GS_STATUS, eventFactory.ulid())), status, ids);
    });
    for (Rxpk rxpk : p.rxpk()) {
      try {
        processRxpk(conn, rxpk, sender, receivedAt);
      } catch (RuntimeException e) {
        dropUplink(conn, sender, "not convertible: " + e.getMessage(),
            CorrelationIds.of(conn.correlationId()));
      }
    }
  }

  private void processRxpk(GatewayConnection conn, Rxpk rxpk, InetSocketAddress sender,
      Instant receivedAt) {
    GatewayIdentifiers ids = conn.gateway().ids();
    if (rxpk.stat() != null && rxpk.stat() == -1) {
      dropUplink(conn, sender, "CRC failed", CorrelationIds.of(conn.correlationId()));
      return;
    }
    byte[] raw = rxpk.data().toArray();
    PhyPayload phy;
    try {
      phy = PhyPayloadCodec.decode(raw);
    } catch (LoRaWanException e) {
      dropUplink(conn, sender, "invalid PHYPayload: " + e.getMessage(),
          CorrelationIds.of(conn.correlationId()));
      return;
    }
    // raw is this method's own copy and is never written to: the ByteString may share it
    Timestamp receivedAtProto = UplinkConversion.timestamp(receivedAt);
    UplinkMessage.Builder message = UplinkMessage.newBuilder()
        .setRawPayload(UnsafeByteOperations.unsafeWrap(raw))
        .setPayload(UplinkConversion.message(phy, raw))
        .setSettings(UplinkConversion.settings(rxpk))
        .setReceivedAt(receivedAtProto);
    airtime(rxpk, raw.length).ifPresent(toa -> message.setConsumedAirtime(
        com.google.protobuf.Duration.newBuilder().setSeconds(toa.getSeconds())
            .setNanos(toa.getNano())));
    for (var md : UplinkConversion.rxMetadata(rxpk, ids, conn.eui(), receivedAt, receivedAtProto,
        conn.serialNumber())) {
      conn.countUplink(receivedAt);
      metrics.uplink();
      String uplinkId = CorrelationIds.newId(CorrelationIds.GS_UPLINK, eventFactory.ulid());
      CorrelationIds received = CorrelationIds.of(conn.correlationId(), uplinkId);
      CorrelationIds forwarded = CorrelationIds.of(conn.correlationId(), upHostCorrelationId,
          uplinkId);
      // One builder, rebuilt with this antenna's metadata and each set of correlation IDs
      // (a built message is immutable; the builder copies its lists before changing them).
      UplinkMessage up = message.clearRxMetadata().addRxMetadata(md)
          .clearCorrelationIds().addAllCorrelationIds(received.asList()).build();
      publish(GatewayServerEvents.UP_RECEIVE, received, GatewayUplinkMessage.newBuilder()
          .setMessage(up).setBandId(conn.plan().bandId()).build(), ids);
      UplinkMessage toNs = message.clearCorrelationIds()
          .addAllCorrelationIds(forwarded.asList()).build();
      GsNs ns = networkServer.get();
      if (ns == null) {
        dropUplink(conn, sender, "no Network Server", forwarded);
        continue;
      }
      CompletableFuture<Void> f;
      try {
        f = ns.handleUplink(toNs);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete((v, err) -> {
        if (err == null) {
          publish(GatewayServerEvents.UP_FORWARD, forwarded, FORWARDED_TO_CLUSTER, ids);
        } else {
          publish(GatewayServerEvents.UP_DROP, forwarded,
              EventDefinition.errorDetails(unwrap(err)), ids);
        }
      });
    }
  }

  private static Optional<Duration> airtime(Rxpk rxpk, int length) {
    try {
      if (rxpk.datr() instanceof dev.loralab.gatewayserver.udp.Datr.LoRa l) {
        return Optional.of(TimeOnAir.uplink(length,
            DataRate.lora(l.spreadingFactor(), l.bandwidthHz())));
      }
      if (rxpk.datr() instanceof dev.loralab.gatewayserver.udp.Datr.Fsk f) {
        return Optional.of(TimeOnAir.uplink(length, DataRate.fsk(f.bitRate())));
      }
    } catch (FrequencyPlanException e) {
      // e.g. a 2.4 GHz bandwidth: no regional time-on-air model
    }
    return Optional.empty();
  }

  private void dropUplink(GatewayConnection conn, InetSocketAddress sender, String why,
      CorrelationIds cids) {
    drop(DropReason.INVALID_UPLINK, sender, "gateway " + conn.eui() + ": " + why);
    publish(GatewayServerEvents.UP_DROP, cids, EventDefinition.errorDetails(
        ApiException.invalidArgument("uplink", why)), conn.gateway().ids());
  }

  private void processTxAck(GatewayConnection conn, TxAck t, InetSocketAddress sender,
      Instant receivedAt) {
    PendingDownlink pending = conn.pending().remove(t.token());
    if (pending == null) {
      drop(DropReason.UNMATCHED_TX_ACK, sender,
          "gateway " + conn.eui() + ": no downlink with token " + t.token());
      return;
    }
    Duration rtt = Duration.between(pending.sentAt(), receivedAt);
    if (!rtt.isNegative()) { // a held PULL_RESP's sentAt is computed, its sending timed apart
      conn.roundTrip(rtt);
    }
    TxAckResult result = t.result();
    metrics.txAck(result);
    TxAcknowledgment ack = TxAcknowledgment.newBuilder()
        .addAllCorrelationIds(pending.correlationIds().asList())
        .setResult(protoResult(result))
        .setDownlinkMessage(pending.message()).build();
    GatewayIdentifiers ids = conn.gateway().ids();
    publish(GatewayServerEvents.TXACK_RECEIVE, pending.correlationIds(), ack, ids);
    publish(result.success() ? GatewayServerEvents.DOWN_TX_SUCCESS
        : GatewayServerEvents.DOWN_TX_FAIL, pending.correlationIds(), ack, ids);
    GsNs ns = networkServer.get();
    if (ns != null) {
      try {
        ns.reportTxAcknowledgment(GatewayTxAcknowledgment.newBuilder().setGatewayIds(ids)
            .setTxAck(ack).build()).whenComplete((v, err) -> {
              if (err != null) {
                LOG.debug("Network Server refused TX acknowledgment: {}", err.toString());
              }
            });
      } catch (RuntimeException e) {
        LOG.debug("Network Server refused TX acknowledgment: {}", e.toString());
      }
    }
  }

  private static TxAcknowledgment.Result protoResult(TxAckResult r) {
    return switch (r) {
      case SUCCESS, TX_POWER_WARNING -> TxAcknowledgment.Result.SUCCESS;
      case TOO_LATE -> TxAcknowledgment.Result.TOO_LATE;
      case TOO_EARLY -> TxAcknowledgment.Result.TOO_EARLY;
      case COLLISION_PACKET -> TxAcknowledgment.Result.COLLISION_PACKET;
      case COLLISION_BEACON -> TxAcknowledgment.Result.COLLISION_BEACON;
      case TX_FREQ -> TxAcknowledgment.Result.TX_FREQ;
      case TX_POWER -> TxAcknowledgment.Result.TX_POWER;
      case GPS_UNLOCKED -> TxAcknowledgment.Result.GPS_UNLOCKED;
      case UNKNOWN -> TxAcknowledgment.Result.UNKNOWN_ERROR;
    };
  }

  private void publish(EventDefinition def, CorrelationIds cids, com.google.protobuf.Message data,
      GatewayIdentifiers ids) {
    try {
      events.publish(eventFactory.create(def, cids, data,
          EntityIdentifiers.newBuilder().setGatewayIds(ids).build()));
    } catch (RuntimeException e) {
      LOG.warn("publishing {} failed: {}", def.name(), e.toString());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Housekeeping

  /**
   * Expires idle connections, forgets pending downlinks whose TX_ACK has not come within
   * {@link GatewayServerConfig#txAckTimeout} (counted, logged at DEBUG, no event: a late TX_ACK
   * is then dropped as unmatched) and idle rate-limit buckets.
   */
  void housekeeping() {
    Instant now = clock.instant();
    Duration idle = config.connectionIdleTimeout();
    Instant sentBefore = now.minus(config.txAckTimeout());
    for (GatewayConnection conn : List.copyOf(connections.values())) {
      if (Duration.between(conn.lastSeen(), now).compareTo(idle) > 0) {
        disconnect(conn, "idle for more than " + idle);
      } else {
        List<PendingDownlink> expired = conn.expirePending(sentBefore);
        if (!expired.isEmpty()) {
          metrics.txAckTimeouts(expired.size());
          LOG.debug("gateway {}: {} downlink(s) without TX_ACK for {}, forgotten (tokens {})",
              conn.eui(), expired.size(), config.txAckTimeout(), tokens(expired));
        }
      }
    }
    rateLimiter.evictIdle();
  }

  private static String tokens(List<PendingDownlink> downlinks) {
    StringBuilder b = new StringBuilder();
    int shown = 0;
    for (PendingDownlink p : downlinks) {
      if (shown++ == 8) {
        return b.append(", ...").toString();
      }
      b.append(shown == 1 ? "" : ", ").append(p.token());
    }
    return b.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Downlink path

  @Override
  public CompletableFuture<ScheduleDownlinkResponse> scheduleDownlink(DownlinkMessage down) {
    try {
      return CompletableFuture.completedFuture(schedule(down, true));
    } catch (ApiException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(ApiException.internal("schedule downlink failed", e));
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The same path selection and scheduler checks as {@link #scheduleDownlink}, on the same
   * state, but nothing is reserved or sent and no {@code gs.down.schedule.*} event is published;
   * refusals are counted in {@code loralab.gs.downlink.refusals} as scheduling counts them.
   */
  @Override
  public CompletableFuture<Void> checkDownlink(DownlinkMessage down) {
    metrics.downlinkCheck();
    try {
      schedule(down, false);
      return CompletableFuture.completedFuture(null);
    } catch (ApiException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(ApiException.internal("check downlink failed", e));
    }
  }

  /**
   * Schedules {@code down} on the first path that takes it ({@code reserve}), or only checks
   * that one would (returns null): one code path for both.
   */
  private ScheduleDownlinkResponse schedule(DownlinkMessage down, boolean reserve) {
    if (down.getRawPayload().isEmpty() || down.getRawPayload().size() > 255) {
      throw ApiException.invalidArgument("raw_payload", "expected 1..255 bytes, found "
          + down.getRawPayload().size());
    }
    if (!down.hasRequest() || down.getRequest().getDownlinkPathsCount() == 0) {
      throw ApiException.invalidArgument("request.downlink_paths", "expected at least one path");
    }
    TxRequest request = down.getRequest();
    CorrelationIds cids = null;
    DownlinkMessage withIds = down;
    if (reserve) {
      cids = CorrelationIds.of(down.getCorrelationIdsList())
          .with(CorrelationIds.newId(CorrelationIds.rpcPrefix(NsGs.SCHEDULE_DOWNLINK),
              eventFactory.ulid()));
      withIds = down.toBuilder().clearCorrelationIds().addAllCorrelationIds(cids.asList())
          .build();
    }
    List<String> errors = new ArrayList<>();
    ScheduleException.Reason lastReason = ScheduleException.Reason.NOT_CONNECTED;
    for (DownlinkPath path : request.getDownlinkPathsList()) {
      Optional<UplinkToken> token = path.hasUplinkToken() || path.getUplinkToken().size() > 0
          ? Optional.of(UplinkToken.parse(path.getUplinkToken().toByteArray()))
          : Optional.empty();
      Eui64 eui = token.map(UplinkToken::gatewayEui).orElseGet(() -> fixedEui(path));
      GatewayConnection conn = eui == null ? null : connections.get(eui);
      if (conn == null || conn.closed() || conn.downlinkAddress().isEmpty()) {
        errors.add("gateway " + (eui == null ? "?" : eui) + ": not connected");
        lastReason = ScheduleException.Reason.NOT_CONNECTED;
        continue;
      }
      GatewayIdentifiers ids = conn.gateway().ids();
      if (reserve) {
        publish(GatewayServerEvents.DOWN_SCHEDULE_ATTEMPT, cids, withIds, ids);
      }
      ScheduledDownlink scheduled;
      try {
        GatewayTiming timing = conn.timing(config.enforceDutyCycle());
        DownlinkRequest dr = toRequest(down, request, token);
        scheduled = reserve ? scheduler.schedule(timing, dr) : scheduler.check(timing, dr);
      } catch (ScheduleException e) {
        metrics.refusal(e.reason());
        lastReason = e.reason();
        errors.add("gateway " + eui + ": " + e.getMessage());
        if (reserve) {
          publish(GatewayServerEvents.DOWN_SCHEDULE_FAIL, cids,
              EventDefinition.errorDetails(refusal(List.of(e.getMessage()), e.reason())), ids);
        }
        continue;
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidArgument("request", e.getMessage());
      }
      return reserve ? send(conn, scheduled, path, withIds, cids) : null;
    }
    throw refusal(errors, lastReason);
  }

  private static ApiException refusal(List<String> errors, ScheduleException.Reason reason) {
    Struct attributes = Struct.newBuilder()
        .putFields("reason", Value.newBuilder().setStringValue(reason.tag()).build())
        .putFields("paths", Value.newBuilder().setStringValue(String.join("; ", errors)).build())
        .build();
    Status.Code code = switch (reason) {
      case NOT_CONNECTED -> Status.Code.NOT_FOUND;
      case DUTY_CYCLE -> Status.Code.RESOURCE_EXHAUSTED;
      case INVALID_SETTINGS, PAYLOAD_TOO_LARGE -> Status.Code.INVALID_ARGUMENT;
      default -> Status.Code.FAILED_PRECONDITION;
    };
    return new ApiException(code, "downlink not scheduled: " + reason.tag() + ": "
        + String.join("; ", errors), attributes, null);
  }

  private Eui64 fixedEui(DownlinkPath path) {
    if (!path.hasFixed()) {
      throw ApiException.invalidArgument("downlink_path", "expected uplink_token or fixed");
    }
    GatewayIdentifiers ids = path.getFixed().getGatewayIds();
    if (!ids.getEui().isEmpty()) {
      try {
        return Eui64.parse(ids.getEui());
      } catch (LoRaWanException e) {
        throw ApiException.invalidArgument("downlink_path.fixed.gateway_ids.eui", e.getMessage());
      }
    }
    return connections.values().stream()
        .filter(c -> c.gateway().ids().getGatewayId().equals(ids.getGatewayId()))
        .map(GatewayConnection::eui).findFirst().orElse(null);
  }

  private static DownlinkRequest toRequest(DownlinkMessage down, TxRequest r,
      Optional<UplinkToken> token) {
    Optional<TxParameters> rx1 = r.getRx1Frequency() > 0 && r.hasRx1DataRate()
        ? Optional.of(new TxParameters(r.getRx1Frequency(), dataRate(r.getRx1DataRate(), "rx1")))
        : Optional.empty();
    Optional<TxParameters> rx2 = r.getRx2Frequency() > 0 && r.hasRx2DataRate()
        ? Optional.of(new TxParameters(r.getRx2Frequency(), dataRate(r.getRx2DataRate(), "rx2")))
        : Optional.empty();
    Value windows = r.getAdvanced().getFieldsOrDefault("windows", Value.getDefaultInstance());
    boolean tryRx1 = !"rx2".equals(windows.getStringValue()) && !(rx1.isEmpty() && rx2.isPresent());
    boolean tryRx2 = !"rx1".equals(windows.getStringValue());
    int offset = (int) r.getAdvanced().getFieldsOrDefault("rx1_data_rate_offset",
        Value.getDefaultInstance()).getNumberValue();
    Optional<Instant> absolute = r.hasAbsoluteTime()
        ? Optional.of(Instant.ofEpochSecond(r.getAbsoluteTime().getSeconds(),
            r.getAbsoluteTime().getNanos()))
        : Optional.empty();
    return new DownlinkRequest(Bytes.of(down.getRawPayload().toByteArray()), token,
        Duration.ofSeconds(Math.max(1, Math.min(15, r.getRx1Delay()))), offset, rx1, rx2,
        tryRx1, tryRx2, absolute);
  }

  private static DataRate dataRate(dev.loralab.api.v3.DataRate dr, String field) {
    try {
      if (dr.hasLora()) {
        return DataRate.lora(dr.getLora().getSpreadingFactor(), dr.getLora().getBandwidth());
      }
      if (dr.hasFsk()) {
        return DataRate.fsk(dr.getFsk().getBitRate());
      }
    } catch (FrequencyPlanException e) {
      throw ApiException.invalidArgument(field + "_data_rate", e.getMessage());
    }
    throw ApiException.invalidArgument(field + "_data_rate", "expected lora or fsk");
  }

  private ScheduleDownlinkResponse send(GatewayConnection conn, ScheduledDownlink scheduled,
      DownlinkPath path, DownlinkMessage down, CorrelationIds cids) {
    int version = conn.protocolVersion();
    int token = 0;
    Instant now = clock.instant();
    DownlinkMessage sent = down.toBuilder().setScheduled(txSettings(scheduled)).build();
    // A v1 forwarder has no just-in-time queue: a second PULL_RESP would replace the first.
    Duration hold = Duration.between(now,
        scheduled.transmitAt().minus(config.lateScheduleLead()));
    Channel c = channel;
    boolean late = version < 2 || conn.gateway().scheduleDownlinkLate();
    boolean held = late && !scheduled.txpk().imme() && !hold.isNegative() && c != null;
    if (version >= 2) {
      // The TX_ACK timeout counts from when the PULL_RESP leaves, also when it is held.
      Instant sentAt = held ? now.plus(hold) : now;
      List<PendingDownlink> evicted = conn.evictPendingBeyond(config.maxPendingTxAcks());
      if (!evicted.isEmpty()) {
        metrics.txAckEvictions(evicted.size());
        LOG.debug("gateway {}: {} downlink(s) awaiting a TX_ACK forgotten, more than {} pending"
            + " (tokens {})", conn.eui(), evicted.size(), config.maxPendingTxAcks(),
            tokens(evicted));
      }
      do {
        token = random.nextInt(0x10000);
      } while (conn.pending().putIfAbsent(token, new PendingDownlink(token, sentAt, sent, cids))
          != null);
    }
    byte[] datagram = codec.encode(new PullResp(version >= 2 ? 2 : 1, token, scheduled.txpk()));
    InetSocketAddress to = conn.downlinkAddress().orElseThrow();
    if (held) {
      c.eventLoop().schedule(() -> send(datagram, to), hold.toNanos(), TimeUnit.NANOSECONDS);
    } else {
      send(datagram, to);
    }
    conn.countDownlink(now);
    metrics.downlink();
    publish(GatewayServerEvents.DOWN_SEND, cids, sent, conn.gateway().ids());
    Duration delay = Duration.between(now, scheduled.transmitAt());
    return ScheduleDownlinkResponse.newBuilder()
        .setDelay(com.google.protobuf.Duration.newBuilder().setSeconds(delay.getSeconds())
            .setNanos(delay.getNano()))
        // the gateway that took it (as in the seed's ns.down.join.schedule.success), whichever
        // path (uplink token or fixed) the request named
        .setDownlinkPath(DownlinkPath.newBuilder().setFixed(
            GatewayAntennaIdentifiers.newBuilder().setGatewayIds(conn.gateway().ids())))
        .setRx1(scheduled.window() == RxWindow.RX1)
        .setRx2(scheduled.window() == RxWindow.RX2)
        .build();
  }

  private static TxSettings txSettings(ScheduledDownlink s) {
    var t = s.txpk();
    TxSettings.Builder b = TxSettings.newBuilder()
        .setDataRate(UplinkConversion.dataRate(t.datr(), t.codr()))
        .setFrequency(t.frequencyHz())
        .setEnableCrc(!t.ncrc())
        .setTime(UplinkConversion.timestamp(s.transmitAt()))
        .setDownlink(TxSettings.Downlink.newBuilder().setTxPower(
            t.powe() == null ? 0 : t.powe()).setInvertPolarization(t.ipol()));
    if (t.tmst() != null) {
      b.setTimestamp((int) (long) t.tmst());
    }
    return b.build();
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Builds a {@link GatewayServer}. */
  public static final class Builder {
    private GatewayServerConfig config = GatewayServerConfig.defaults();
    private GatewayDirectory directory;
    private FrequencyPlanStore plans;
    private GsNs networkServer;
    private EventBus events;
    private EventFactory eventFactory;
    private MeterRegistry meterRegistry;
    private Clock clock;
    private RandomGenerator random;
    private Executor executor;
    private EventLoopGroup group;

    private Builder() {}

    /** Settings (default {@link GatewayServerConfig#defaults()}). */
    public Builder config(GatewayServerConfig v) {
      config = v;
      return this;
    }

    /** The gateway registry. */
    public Builder directory(GatewayDirectory v) {
      directory = v;
      return this;
    }

    /** The frequency plans. */
    public Builder frequencyPlans(FrequencyPlanStore v) {
      plans = v;
      return this;
    }

    /** The Network Server (may also be set later). */
    public Builder networkServer(GsNs v) {
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

    /** Meters (default a private {@link SimpleMeterRegistry}). */
    public Builder meterRegistry(MeterRegistry v) {
      meterRegistry = v;
      return this;
    }

    /** Server time. */
    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    /** PULL_RESP tokens. */
    public Builder random(RandomGenerator v) {
      random = v;
      return this;
    }

    /** Runs lookups, conversions, events and Network Server calls (never the event loop). */
    public Builder executor(Executor v) {
      executor = v;
      return this;
    }

    /**
     * Netty event loop group (default: a private single-threaded group of the configured
     * {@link GatewayServerConfig#udpTransport}); the UDP channel follows the group's transport.
     */
    public Builder eventLoopGroup(EventLoopGroup v) {
      group = v;
      return this;
    }

    /** The server, not yet started. */
    public GatewayServer build() {
      return new GatewayServer(this);
    }
  }
}
