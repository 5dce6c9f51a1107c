package dev.loralab.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DynamicMessage;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.GatewayIdentifiers;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * {@link CorrelationIds} is a sorted set: {@code of}, {@code with} and {@code merge} agree with a
 * {@link TreeSet}, share the receiver when nothing is added, and an event takes the IDs of its data
 * whatever kind of message the data is.
 */
class CorrelationIdsPropertiesTest {

  @Property
  void ofIsSortedAndUnique(@ForAll List<@StringLength(min = 1, max = 20) String> ids) {
    assertThat(CorrelationIds.of(ids).asList()).containsExactlyElementsOf(new TreeSet<>(ids));
  }

  @Property
  void withAddsOneKeepingOrder(@ForAll List<@StringLength(min = 1, max = 20) String> ids,
      @ForAll @StringLength(min = 1, max = 20) String id) {
    CorrelationIds set = CorrelationIds.of(ids);
    TreeSet<String> expected = new TreeSet<>(ids);
    expected.add(id);
    CorrelationIds with = set.with(id);
    assertThat(with.asList()).containsExactlyElementsOf(expected);
    if (ids.contains(id)) {
      assertThat(with).isSameAs(set);
    }
  }

  @Property
  void mergeOfContainedIdsIsTheSameSet(@ForAll List<@StringLength(min = 1, max = 20) String> ids) {
    CorrelationIds set = CorrelationIds.of(ids);
    assertThat(set.merge(ids)).isSameAs(set);
    assertThat(set.merge(CorrelationIds.of(ids))).isSameAs(set);
  }

  @Test
  void invalidIdsAreRejectedByEveryOperation() {
    CorrelationIds set = CorrelationIds.of("a", "c");
    assertThatThrownBy(() -> set.with("")).hasMessageContaining("found empty");
    assertThatThrownBy(() -> set.merge(List.of("b", "x".repeat(101)))).hasMessageContaining("found 101");
    assertThatThrownBy(() -> CorrelationIds.of(java.util.Arrays.asList("a", null)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eventTakesTheCorrelationIdsOfGeneratedAndDynamicData() {
    ApplicationUp up = ApplicationUp.newBuilder().addCorrelationIds("gs:uplink:1").addCorrelationIds("")
        .addCorrelationIds("x".repeat(101)).addCorrelationIds("as:up:2").build();
    Event generated = EventFactory.system().create(TestCatalogue.AS_UP_DATA_FORWARD, CorrelationIds.of("z:3"), up,
        TestCatalogue.DEV1);
    // Empty and over-long IDs in data are skipped, as The Things Stack does.
    assertThat(generated.correlationIds().asList()).containsExactly("as:up:2", "gs:uplink:1", "z:3");
    DynamicMessage dynamic = DynamicMessage.newBuilder(ApplicationUp.getDescriptor())
        .addRepeatedField(ApplicationUp.getDescriptor().findFieldByName("correlation_ids"), "gs:uplink:4").build();
    Event fromDynamic = EventFactory.system().create(TestCatalogue.AS_UP_DATA_FORWARD, CorrelationIds.empty(),
        dynamic, TestCatalogue.DEV1);
    assertThat(fromDynamic.correlationIds().asList()).containsExactly("gs:uplink:4");
    Event noField = EventFactory.system().create(TestCatalogue.AS_UP_DATA_FORWARD, CorrelationIds.of("z:3"),
        GatewayIdentifiers.newBuilder().setGatewayId("gw").build(), TestCatalogue.DEV1);
    assertThat(noField.correlationIds().asList()).containsExactly("z:3");
  }
}
