package dev.loralab.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.ApiException;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCatalogueTest {

  private final EventCatalogue catalogue = TestCatalogue.catalogue();

  @Test
  void duplicateNameFailsNamingIt() {
    assertThatThrownBy(() -> catalogue.register(EventDefinition.define("gs.up.receive", "again")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("gs.up.receive");
    assertThatThrownBy(() -> new EventCatalogue().register(EventDefinition.define("a.b", "x"),
        EventDefinition.define("a.b", "y"))).hasMessageContaining("a.b");
    assertThatThrownBy(() -> new EventCatalogue().register(EventDefinition.define("events.stream.start", "x")))
        .hasMessageContaining("events.stream.start");
  }

  @Test
  void invalidNamesAreRejected() {
    assertThatThrownBy(() -> EventDefinition.define("Gs.Up", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EventDefinition.define("gs..up", "x")).isInstanceOf(IllegalArgumentException.class);
    for (String bad : List.of("user.-api.create", "user.api-.create", "user.api--key.create", "-user.create",
        "user.create-", "user.api-key.", "user.api key.create", "user.API-key.create")) {
      assertThatThrownBy(() -> EventDefinition.define(bad, "x")).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad);
    }
  }

  @Test
  void dashesInsideASegmentAreAllowedAsInTheThingsStack() {
    EventCatalogue c = new EventCatalogue().register(
        EventDefinition.define("user.api-key.create", "create user API key"),
        EventDefinition.define("gateway.api-key.delete", "delete gateway API key"),
        EventDefinition.define("user.create", "create user"));
    assertThat(c.get("user.api-key.create")).isPresent();
    assertThat(c.expandNames(List.of("user.api-key.create"))).containsExactly("user.api-key.create");
    assertThat(c.expandNames(List.of("*.api-key.*"))).containsExactly("gateway.api-key.delete", "user.api-key.create");
    assertThat(c.expandNames(List.of("user.api-*"))).containsExactly("user.api-key.create");
    assertThat(c.expandNames(List.of("/api-key\\.(create|delete)$/"))).containsExactly("gateway.api-key.delete",
        "user.api-key.create");
    assertThat(c.expandNames(List.of("/^user\\./"))).containsExactly("user.api-key.create", "user.create");
    assertThatThrownBy(() -> c.expandNames(List.of("user.api_key.create"))).isInstanceOf(ApiException.class)
        .hasMessageContaining("unknown event name user.api_key.create");
  }

  @Test
  void listsAllSortedIncludingSynthetic() {
    List<String> names = catalogue.all().stream().map(EventDefinition::name).toList();
    assertThat(names).isSorted().contains("events.stream.start", "events.stream.lag", "ns.up.data.process");
    assertThat(catalogue.get("as.up.data.forward").orElseThrow().propagateToParent()).isTrue();
    assertThat(catalogue.get("as.up.data.forward").orElseThrow().dataType()).isEqualTo("ttn.lorawan.v3.ApplicationUp");
    assertThat(catalogue.get("as.up.data.drop").orElseThrow().dataType()).isEqualTo("ttn.lorawan.v3.ErrorDetails");
  }

  @Test
  void expandsExactRegexAndGlob() {
    assertThat(catalogue.expandNames(List.of())).isEmpty();
    assertThat(catalogue.expandNames(List.of("gs.up.receive"))).containsExactly("gs.up.receive");
    assertThat(catalogue.expandNames(List.of("/^ns\\./"))).containsExactly("ns.up.data.process", "ns.up.data.receive");
    assertThat(catalogue.expandNames(List.of("/data/"))).containsExactly("as.up.data.drop", "as.up.data.forward",
        "ns.up.data.process", "ns.up.data.receive");
    assertThat(catalogue.expandNames(List.of("ns.up.*"))).containsExactly("ns.up.data.process", "ns.up.data.receive");
    assertThat(catalogue.expandNames(List.of("*.forward", "gs.*"))).containsExactly("as.up.data.forward",
        "gs.status.receive", "gs.up.receive");
    assertThat(catalogue.expandNames(List.of("/stream|gs.up.rec/"))).containsExactly("gs.up.receive");
  }

  @Test
  void badPatternsSayWhich() {
    assertInvalid(List.of("ns.up.nope"), "unknown event name ns.up.nope");
    assertInvalid(List.of("/(/"), "invalid regular expression /(/");
    assertInvalid(List.of("/^zz/"), "regular expression /^zz/ matches no defined event");
    assertInvalid(List.of("zz.*"), "glob zz.* matches no defined event");
    assertInvalid(List.of("events.stream.start"), "synthetic");
    assertInvalid(List.of("/stream/"), "/stream/ matches no defined event"); // synthetic names are not filterable
    assertInvalid(List.of(""), "empty");
    assertInvalid(List.of("x".repeat(300)), "at most 256");
  }

  @Test
  void catastrophicRegexIsRejectedNotRun() {
    EventCatalogue c = new EventCatalogue().register(EventDefinition.define("a".repeat(40) + ".b", "long"));
    assertThatThrownBy(() -> c.expandNames(List.of("/(.*a){15}c/"))).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.getMessage()).contains("/(.*a){15}c/ is too complex"));
  }

  private void assertInvalid(List<String> patterns, String message) {
    assertThatThrownBy(() -> catalogue.expandNames(patterns)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getMessage()).contains(message).contains("names");
    });
  }
}
