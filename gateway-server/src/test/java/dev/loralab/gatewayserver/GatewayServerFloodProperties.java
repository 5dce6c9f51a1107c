package dev.loralab.gatewayserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushAck;
import dev.loralab.gatewayserver.udp.SemtechPacket.PushData;
import dev.loralab.gatewayserver.udp.SemtechUdpClient;
import dev.loralab.gatewayserver.udp.SemtechUdpCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Arbitrary datagrams never stop the server: 100 tries of 1,000 random datagrams each (100,000 in
 * all), and after every burst a valid PUSH_DATA is still acknowledged.
 */
class GatewayServerFloodProperties {

  private static final SemtechUdpCodec CODEC = new SemtechUdpCodec();
  private static final byte[] VALID = CODEC.encode(GatewayServerUdpTest.joinRequestPush(2, 0, 1));
  private static final AtomicInteger TOKENS = new AtomicInteger();
  private static ExecutorService executor;
  private static GatewayServer server;
  private static SemtechUdpClient gateway;

  @BeforeContainer
  static void start() {
    executor = Executors.newFixedThreadPool(2);
    server = GatewayServer.builder()
        .config(GatewayServerConfig.defaults().withBind("127.0.0.1", 0)
            .withRateLimit(1e9, Integer.MAX_VALUE))
        .directory(eui -> Optional.ofNullable(Map.of(GatewayServerUdpTest.GW_EUI,
            RegisteredGateway.of(GatewayServerUdpTest.GW_IDS, "EU_863_870_TTN"))
            .get(eui)))
        .frequencyPlans(FrequencyPlanStore.builtIn())
        .networkServer(new RecordingNetworkServer())
        .events(new DiscardingEventBus())
        .clock(Clock.systemUTC())
        .random(new SplittableRandom(7))
        .executor(executor)
        .build();
    server.start();
    gateway = new SemtechUdpClient(server.localAddress());
  }

  @AfterContainer
  static void stop() {
    gateway.close();
    server.close();
    executor.shutdownNow();
  }

  @Property(tries = 100, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
  void arbitraryDatagramsNeverStopTheServer(
      @ForAll("datagrams") List<byte[]> burst) throws InterruptedException {
    for (byte[] d : burst) {
      gateway.sendRaw(d);
    }
    int token = TOKENS.incrementAndGet() & 0xFFFF;
    PushData valid = GatewayServerUdpTest.joinRequestPush(2, token, 1_000);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    boolean acked = false;
    while (!acked && System.nanoTime() < deadline) {
      gateway.send(valid); // resent: the kernel may drop datagrams while the burst drains
      long until = System.nanoTime() + Duration.ofMillis(250).toNanos();
      while (!acked && System.nanoTime() < until) {
        Optional<PushAck> ack = gateway.await(PushAck.class,
            Duration.ofNanos(Math.max(1, until - System.nanoTime())));
        acked = ack.filter(a -> a.token() == token).isPresent();
      }
    }
    assertThat(acked).as("PUSH_ACK for token %d", token).isTrue();
  }

  @Provide
  Arbitrary<List<byte[]>> datagrams() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
    // A valid header with a registered EUI, followed by random bytes.
    Arbitrary<byte[]> header = Arbitraries.of(0, 2, 5).flatMap(type -> Arbitraries.bytes()
        .array(byte[].class).ofMaxSize(300).map(body -> {
          byte[] d = new byte[12 + body.length];
          System.arraycopy(VALID, 0, d, 0, 12);
          d[3] = (byte) (int) type;
          System.arraycopy(body, 0, d, 12, body.length);
          return d;
        }));
    // A valid PUSH_DATA with one to three bytes replaced.
    Arbitrary<byte[]> mutated = Arbitraries.integers().between(0, VALID.length - 1).list()
        .ofMinSize(1).ofMaxSize(3).flatMap(positions -> Arbitraries.bytes().list()
            .ofSize(positions.size()).map(values -> {
              byte[] d = VALID.clone();
              for (int i = 0; i < positions.size(); i++) {
                d[positions.get(i)] = values.get(i);
              }
              return d;
            }));
    return Arbitraries.oneOf(random, header, mutated).list().ofSize(1000);
  }

  /** Events are irrelevant here; keep memory flat over 100,000 datagrams. */
  static final class DiscardingEventBus implements dev.loralab.events.EventBus {
    @Override
    public void publish(dev.loralab.events.Event event) {}

    @Override
    public dev.loralab.events.Subscription subscribe(dev.loralab.events.SubscriptionRequest r) {
      throw new UnsupportedOperationException();
    }

    @Override
    public dev.loralab.events.Subscription subscribe(dev.loralab.events.SubscriptionRequest r,
        dev.loralab.events.EventSink sink, java.util.concurrent.Executor executor) {
      throw new UnsupportedOperationException();
    }
  }
}
