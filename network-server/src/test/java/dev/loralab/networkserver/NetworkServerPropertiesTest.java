package dev.loralab.networkserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.loralab.api.ApiException;
import dev.loralab.api.v3.UplinkMessage;
import dev.loralab.events.EventCatalogue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Test;

class NetworkServerPropertiesTest {

  private static Harness harness;

  @BeforeContainer
  static void start() {
    harness = new Harness();
  }

  @AfterContainer
  static void stop() {
    harness.close();
  }

  @Property(tries = 300)
  void arbitraryBytesOnlyEverFailWithInvalidArgument(@ForAll @Size(max = 300) byte[] raw)
      throws Exception {
    CompletableFuture<Void> f = harness.ns.handleUplink(UplinkMessage.newBuilder()
        .setRawPayload(ByteString.copyFrom(raw)).build());
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ApiException.class);
      assertThat(((ApiException) e.getCause()).code())
          .isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    }
  }

  @Test
  void eventDefinitionsRegisterAndAreUnique() {
    EventCatalogue c = new EventCatalogue();
    NetworkServerEvents.registerAll(c);
    assertThat(c.get("ns.up.join.cluster.attempt")).isPresent();
    assertThat(NetworkServerEvents.all()).extracting(d -> d.name()).doesNotHaveDuplicates();
    assertThat(NetworkServerEvents.UP_JOIN_PROCESS.propagateToParent()).isTrue();
  }
}
