package dev.loralab.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.web.grpc.RpcCorrelation;
import io.grpc.Context;
import org.junit.jupiter.api.Test;

class CorrelationContextTest {

  @Test
  void idsAccumulateAlongTheCallChainAndReachEvents() throws Exception {
    assertThat(CorrelationContext.current().isEmpty()).isTrue();
    Context rpc = Context.current().withValue(RpcCorrelation.ID, "rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01ABC");
    Event e = rpc.call(() -> CorrelationContext.call(CorrelationIds.of("gs:uplink:01X"), () ->
        CorrelationContext.call(CorrelationIds.of("ns:uplink:01Y"), () ->
            TestCatalogue.NS_UP_DATA_RECEIVE.with(CorrelationContext.current(), null, TestCatalogue.DEV1))));
    assertThat(e.correlationIds().asList()).containsExactly("gs:uplink:01X", "ns:uplink:01Y",
        "rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01ABC");
    assertThat(CorrelationContext.current().isEmpty()).isTrue();
  }
}
