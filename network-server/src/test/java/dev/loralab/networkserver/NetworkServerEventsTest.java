package dev.loralab.networkserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.events.EventDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkServerEventsTest {

  @Test
  void seedJoinFlowEventsReachTheApplicationStream() {
    // The seed's join flow is a subscription to a gateway and an application that receives
    // these device events, so they must propagate to the device's application.
    List<EventDefinition> seed = List.of(NetworkServerEvents.UP_JOIN_RECEIVE,
        NetworkServerEvents.UP_JOIN_CLUSTER_ATTEMPT, NetworkServerEvents.UP_JOIN_CLUSTER_SUCCESS,
        NetworkServerEvents.UP_JOIN_PROCESS, NetworkServerEvents.DOWN_JOIN_SCHEDULE_ATTEMPT,
        NetworkServerEvents.DOWN_JOIN_SCHEDULE_SUCCESS, NetworkServerEvents.UP_JOIN_ACCEPT_FORWARD);
    assertThat(seed).allSatisfy(d -> assertThat(d.propagateToParent()).as(d.name()).isTrue());
  }

  @Test
  void uplinkAndDownlinkEventsReachTheApplicationStream() {
    assertThat(NetworkServerEvents.all())
        .filteredOn(d -> !d.name().startsWith("ns.mac."))
        .allSatisfy(d -> assertThat(d.propagateToParent()).as(d.name()).isTrue());
  }
}
