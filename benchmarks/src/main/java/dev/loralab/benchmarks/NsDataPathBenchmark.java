package dev.loralab.benchmarks;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.loralab.api.NsAs;
import dev.loralab.api.NsGs;
import dev.loralab.api.NsJs;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.DataRate;
import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.JoinRequest;
import dev.loralab.api.v3.JoinResponse;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.LoRaDataRate;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.ScheduleDownlinkResponse;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.api.v3.TxSettings;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.events.Event;
import dev.loralab.events.EventBus;
import dev.loralab.events.EventSink;
import dev.loralab.events.Subscription;
import dev.loralab.events.SubscriptionRequest;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.Mic;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.frame.DataFrame;
import dev.loralab.lorawan.frame.FCtrl;
import dev.loralab.lorawan.frame.FHdr;
import dev.loralab.lorawan.frame.MType;
import dev.loralab.lorawan.frame.PhyPayloadCodec;
import dev.loralab.networkserver.NetworkServer;
import dev.loralab.networkserver.NetworkServerConfig;
import dev.loralab.networkserver.NetworkServerStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Network Server's data uplink path in process: one unconfirmed LoRaWAN 1.0.3 ABP uplink
 * (FPort 1, 8-byte payload, one gateway) per operation through {@link NetworkServer#handleUplink},
 * round robin over 1,000 devices, with an in-memory store whose writes complete at once and
 * per-device work on the calling thread, so that the whole path (deduplication with early close,
 * match, MAC state update, events, forward to the AS) runs in the operation. Events go to a bus
 * that drops them. {@link #frameOnly} builds the same uplink without handing it in: subtract it
 * from {@link #uplink} for the Network Server's share. Run with {@code -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NsDataPathBenchmark {

  private static final int DEVICES = 1000;
  private static final String PLAN = "EU_863_870_TTN";
  private static final AesKey NWK_S_KEY = AesKey.parse("2B7E151628AED2A6ABF7158809CF4F3C");
  private static final AesKey APP_S_KEY = AesKey.parse("000102030405060708090A0B0C0D0E0F");
  private static final byte[] PAYLOAD = {1, 2, 3, 4, 5, 6, 7, 8};

  private ScheduledExecutorService timers;
  private NetworkServer ns;
  private DevAddr[] addrs;
  private long[] fCnts;
  private int next;
  private long timestampSeconds;
  private final AtomicLong forwarded = new AtomicLong();
  /** Uplinks handed in by {@link #uplink} (after the setup's first uplink of each device). */
  private long handedIn;

  @Setup(Level.Trial)
  public void setup() {
    timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ns-bench-timers");
      t.setDaemon(true);
      return t;
    });
    MapStore store = new MapStore();
    addrs = new DevAddr[DEVICES];
    fCnts = new long[DEVICES];
    for (int i = 0; i < DEVICES; i++) {
      addrs[i] = new DevAddr(0x00100000 + i);
      EndDeviceIdentifiers ids = EndDeviceIdentifiers.newBuilder().setDeviceId("dev-" + i)
          .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("bench"))
          .setDevEui(new Eui64(0x70B3D57ED0000000L | i).toString())
          .setJoinEui("0000000000000000").build();
      store.put(EndDevice.newBuilder().setIds(ids).setLorawanVersion(MACVersion.MAC_V1_0_3)
          .setFrequencyPlanId(PLAN)
          .setSession(Session.newBuilder().setDevAddr(addrs[i].toString())
              .setKeys(SessionKeys.newBuilder()
                  .setSessionKeyId(ByteString.copyFromUtf8("abp-" + i))
                  .setFNwkSIntKey(KeyEnvelope.newBuilder().setKey(NWK_S_KEY.toHex()))
                  .setSNwkSIntKey(KeyEnvelope.newBuilder().setKey(NWK_S_KEY.toHex()))
                  .setNwkSEncKey(KeyEnvelope.newBuilder().setKey(NWK_S_KEY.toHex()))))
          .build());
      fCnts[i] = 1;
    }
    Executor inline = Runnable::run;
    ns = new NetworkServer(NetworkServerConfig.defaults(), store, new NoGs(), new NoJs(),
        ups -> {
          forwarded.addAndGet(ups.size());
          return CompletableFuture.completedFuture(null);
        }, FrequencyPlanStore.builtIn(),
        new DroppingBus(), Clock.systemUTC(), new SplittableRandom(42), timers, inline,
        new SimpleMeterRegistry());
    timestampSeconds = System.currentTimeMillis() / 1000;
    // the first uplink of a DevAddr waits for its window; later ones close early on this thread
    for (int i = 0; i < DEVICES; i++) {
      ns.handleUplink(nextUplink());
    }
    for (int polls = 0; polls < 600 && forwarded.get() < DEVICES; polls++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (forwarded.get() != DEVICES) {
      throw new IllegalStateException("expected " + DEVICES + " uplinks forwarded to the AS, found "
          + forwarded.get());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    // every uplink handed in must have been forwarded (nothing shed or dropped)
    if (forwarded.get() != DEVICES + handedIn) {
      throw new IllegalStateException("handed in " + (DEVICES + handedIn)
          + " uplinks, forwarded " + forwarded.get());
    }
    timers.shutdownNow();
  }

  /** One uplink through the Network Server (includes building the frame, see frameOnly). */
  @Benchmark
  public CompletableFuture<Void> uplink() {
    handedIn++;
    return ns.handleUplink(nextUplink());
  }

  /** Building the uplink alone (the benchmark's own share of {@link #uplink}). */
  @Benchmark
  public UplinkMessage frameOnly() {
    return nextUplink();
  }

  private UplinkMessage nextUplink() {
    int i = next;
    next = (i + 1) % DEVICES;
    long fCnt = fCnts[i]++;
    DevAddr addr = addrs[i];
    Bytes frm = Bytes.of(PayloadCipher.frmPayload(APP_S_KEY, true, addr, fCnt, PAYLOAD));
    DataFrame f = new DataFrame(MType.data(true, false),
        new FHdr(addr, new FCtrl.Uplink(false, false, false, false), (int) (fCnt & 0xFFFF),
            Bytes.EMPTY), OptionalInt.of(1), frm, new Mic(0));
    byte[] msg = PhyPayloadCodec.encodeWithoutMic(f);
    Mic mic = Mics.dataUplinkMic10(NWK_S_KEY, addr, fCnt, msg);
    byte[] raw = PhyPayloadCodec.encode(f.withMic(mic));
    return UplinkMessage.newBuilder()
        .setRawPayload(ByteString.copyFrom(raw))
        .setSettings(TxSettings.newBuilder().setFrequency(868_100_000L)
            .setDataRate(DataRate.newBuilder().setLora(LoRaDataRate.newBuilder()
                .setSpreadingFactor(7).setBandwidth(125_000))))
        .addRxMetadata(RxMetadata.newBuilder()
            .setGatewayIds(GatewayIdentifiers.newBuilder().setGatewayId("gw-1"))
            .setSnr(7.5f).setRssi(-60)
            .setUplinkToken(ByteString.copyFromUtf8("token-gw-1")))
        .setReceivedAt(Timestamp.newBuilder().setSeconds(timestampSeconds))
        .addCorrelationIds("gs:uplink:01HBENCH0000000000000000" + (i % 10))
        .build();
  }

  /** Devices by key and by DevAddr; writes complete at once. */
  static final class MapStore implements NetworkServerStore {
    private final Map<String, EndDevice> byKey = new ConcurrentHashMap<>();
    private final Map<String, String> keyByAddr = new ConcurrentHashMap<>();

    private static String key(EndDeviceIdentifiers ids) {
      return ids.getApplicationIds().getApplicationId() + "/" + ids.getDeviceId();
    }

    void put(EndDevice d) {
      byKey.put(key(d.getIds()), d);
      keyByAddr.put(d.getSession().getDevAddr(), key(d.getIds()));
    }

    @Override
    public List<EndDevice> byDevAddr(DevAddr devAddr) {
      String k = keyByAddr.get(devAddr.toString());
      EndDevice d = k == null ? null : byKey.get(k);
      return d == null ? List.of() : List.of(d);
    }

    @Override
    public Optional<EndDevice> byEuis(Eui64 joinEui, Eui64 devEui) {
      return Optional.empty();
    }

    @Override
    public Optional<EndDevice> get(EndDeviceIdentifiers ids) {
      return Optional.ofNullable(byKey.get(key(ids)));
    }

    @Override
    public EndDevice update(EndDeviceIdentifiers ids, UnaryOperator<EndDevice> change,
        boolean durable) {
      EndDevice d = byKey.computeIfPresent(key(ids), (k, cur) -> change.apply(cur));
      if (d == null) {
        throw new IllegalStateException("no device " + key(ids));
      }
      return d;
    }
  }

  static final class NoGs implements NsGs {
    @Override
    public CompletableFuture<ScheduleDownlinkResponse> scheduleDownlink(DownlinkMessage down) {
      return CompletableFuture.completedFuture(ScheduleDownlinkResponse.getDefaultInstance());
    }
  }

  static final class NoJs implements NsJs {
    @Override
    public CompletableFuture<JoinResponse> handleJoin(JoinRequest req) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("no joins"));
    }
  }

  /** Keeps the last event so that publishing is not optimised away. */
  static final class DroppingBus implements EventBus {
    volatile Event last;

    @Override
    public void publish(Event event) {
      last = event;
    }

    @Override
    public Subscription subscribe(SubscriptionRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Subscription subscribe(SubscriptionRequest request, EventSink sink, Executor executor) {
      throw new UnsupportedOperationException();
    }
  }
}
