package dev.loralab.applicationserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.Right;
import dev.loralab.events.EventCatalogue;
import dev.loralab.events.EventDefinition;
import org.junit.jupiter.api.Test;

class ApplicationServerEventsTest {

  @Test
  void registersTheThingsStackNamesWithTrafficReadVisibility() {
    EventCatalogue c = new EventCatalogue();
    ApplicationServerEvents.registerAll(c);
    assertThat(c.expandNames(java.util.List.of("as.*"))).contains(
        "as.up.join.receive", "as.up.join.forward", "as.up.data.receive", "as.up.data.forward",
        "as.up.data.drop", "as.up.data.decode.fail", "as.down.data.receive",
        "as.down.data.forward", "as.down.data.drop", "as.down.data.sent.forward",
        "as.down.data.ack.forward", "as.down.data.nack.forward", "as.down.data.failed.forward");
    for (EventDefinition d : ApplicationServerEvents.all()) {
      assertThat(d.visibility().asSet()).containsExactly(Right.RIGHT_APPLICATION_TRAFFIC_READ);
    }
    assertThat(ApplicationServerEvents.UP_JOIN_RECEIVE.dataType()).isNull();
    assertThat(ApplicationServerEvents.UP_DATA_RECEIVE.dataType()).isNull();
    assertThat(ApplicationServerEvents.UP_JOIN_FORWARD.dataType())
        .isEqualTo("ttn.lorawan.v3.ApplicationUp");
    assertThat(ApplicationServerEvents.UP_DATA_DECODE_FAIL.dataType())
        .isEqualTo("ttn.lorawan.v3.ErrorDetails");
    assertThat(ApplicationServerEvents.UP_DATA_FORWARD.propagateToParent()).isTrue();
    // the seed's join flow: a subscription to the application receives as.up.join.receive
    assertThat(ApplicationServerEvents.UP_JOIN_RECEIVE.propagateToParent()).isTrue();
    assertThat(ApplicationServerEvents.UP_DATA_RECEIVE.propagateToParent()).isTrue();
  }
}
