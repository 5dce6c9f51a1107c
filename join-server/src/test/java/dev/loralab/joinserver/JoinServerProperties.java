package dev.loralab.joinserver;

import static dev.loralab.joinserver.JoinFixture.APP_KEY;
import static dev.loralab.joinserver.JoinFixture.DIRECT;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.loralab.api.ApiException;
import dev.loralab.api.v3.JoinResponse;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.events.testing.RecordingEventBus;
import dev.loralab.lorawan.MacVersion;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class JoinServerProperties {

  private static JoinServer server() {
    InMemoryJoinServerStore store = new InMemoryJoinServerStore();
    store.put(JoinFixture.device10(MacVersion.V1_0_3));
    return new JoinServer(JoinServerConfig.defaults(), store, new RecordingEventBus(),
        Clock.systemUTC(), new SplittableRandom(5), DIRECT, new SimpleMeterRegistry());
  }

  private static void onlyApiExceptions(CompletableFuture<JoinResponse> f) throws Exception {
    try {
      f.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ApiException.class);
      assertThat(((ApiException) e.getCause()).attributes().containsFields("reason")).isTrue();
    }
  }

  /** Arbitrary raw payloads are refused with an ApiException naming a reason, never crash. */
  @Property(tries = 300)
  void arbitraryRawPayloadsOnlyFailWithApiException(@ForAll @Size(max = 64) byte[] raw)
      throws Exception {
    JoinServer js = server();
    onlyApiExceptions(js.handleJoin(JoinFixture.request(raw, MACVersion.MAC_V1_0_3)));
  }

  /** Flipping any one bit of a valid join-request gets it refused (MIC, or a malformed frame). */
  @Property(tries = 184)
  void everyOneBitCorruptionIsRefused(@ForAll @IntRange(min = 0, max = 183) int bit)
      throws Exception {
    byte[] phy = JoinFixture.joinRequestPhy(APP_KEY, JoinFixture.JOIN_EUI, JoinFixture.DEV_EUI,
        0x2222);
    phy[bit / 8] ^= (byte) (1 << (bit % 8));
    JoinServer js = server();
    CompletableFuture<JoinResponse> f = js.handleJoin(JoinFixture.request(phy,
        MACVersion.MAC_V1_0_3));
    assertThat(f).failsWithin(60, TimeUnit.SECONDS);
    onlyApiExceptions(f);
  }

  /** Arbitrary DevAddr and NetID bytes either join or are refused with an ApiException. */
  @Property(tries = 200)
  void arbitraryAddressesOnlyFailWithApiException(@ForAll @Size(max = 6) byte[] devAddr,
      @ForAll @Size(max = 5) byte[] netId, @ForAll @IntRange(max = 0xFFFF) int devNonce)
      throws Exception {
    JoinServer js = server();
    onlyApiExceptions(js.handleJoin(JoinFixture.request(APP_KEY, devNonce, MACVersion.MAC_V1_0_3)
        .toBuilder().setDevAddr(ByteString.copyFrom(devAddr))
        .setNetId(ByteString.copyFrom(netId)).build()));
  }
}
