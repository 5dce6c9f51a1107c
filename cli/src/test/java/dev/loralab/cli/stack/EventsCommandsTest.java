package dev.loralab.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loralab.cli.config.StackConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code events list}, {@code events related}, and {@code events subscribe} with history, names and tables. */
class EventsCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Stack stack;
  private CliRun cli;

  @BeforeEach
  void start() {
    stack = Stack.builder(StackConfig.defaults().forTests(dir.resolve("data"))).build();
    cli = new CliRun(stack.httpUrl(), stack.config().data().dir());
    assertThat(cli.run("applications", "create", "app1").exit()).isZero();
    assertThat(cli.run("end-devices", "create", "app1", "dev1", "--dev-eui", "70B3D57ED0000001",
        "--join-eui", "70B3D57ED0000000", "--app-key", "2B7E151628AED2A6ABF7158809CF4F3C",
        "--frequency-plan-id", "EU_863_870", "--lorawan-version", "1.0.3", "--lorawan-phy-version", "1.0.3-a")
        .exit()).isZero();
    assertThat(cli.run("end-devices", "update", "app1", "dev1", "--name", "Meter").exit()).isZero();
  }

  @AfterEach
  void stop() {
    stack.close();
  }

  @Test
  void listsTheDefinitionsOfEveryServer() {
    CliRun.Result r = cli.run("events", "list");
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> names = r.json().findValuesAsText("name");
    assertThat(names).contains("events.stream.start", "gateway.update", "end_device.create", "gs.up.receive",
        "ns.up.join.receive", "js.join.accept", "as.up.data.forward");
    assertThat(cli.run("events", "list", "--format", "table").out()).contains("gs.up.receive");
  }

  @Test
  void subscribeReplaysHistoryFilteredByNameAndRelatedFindsTheCorrelatedEvents() throws Exception {
    CliRun.Result r = cli.run("events", "subscribe", "--application-id", "app1", "--device-id", "dev1",
        "--tail", "10", "--names", "end_device.*", "--max-events", "3");
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> events = r.out().lines().map(EventsCommandsTest::parse).toList();
    assertThat(events).extracting(e -> e.get("name").asText())
        .containsExactly("events.stream.start", "end_device.create", "end_device.update");
    assertThat(events.get(2).at("/identifiers/0/device_ids/device_id").asText()).isEqualTo("dev1");

    String cid = events.get(2).get("correlation_ids").get(0).asText();
    CliRun.Result related = cli.run("events", "related", cid);
    assertThat(related.exit()).as(related.err()).isZero();
    assertThat(related.json().get("events").findValuesAsText("name")).contains("end_device.update");

    CliRun.Result table = cli.run("events", "subscribe", "--application-id", "app1", "--tail", "10",
        "--max-events", "2", "--format", "table");
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out().lines()).hasSize(2);
    assertThat(table.out()).contains("events.stream.start").contains("app:app1");
  }

  @Test
  void apiKeyEventsReachTheUsersStreamWithoutTheSecret() {
    CliRun.Result key = cli.run("users", "api-keys", "create", "--user-id", "admin", "--right-application-info");
    assertThat(key.exit()).as(key.err()).isZero();
    CliRun.Result r = cli.run("events", "subscribe", "--user-id", "admin", "--tail", "10", "--max-events", "2");
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> events = r.out().lines().map(EventsCommandsTest::parse).toList();
    assertThat(events.get(1).get("name").asText()).matches("user\\.api[-_]key\\.create");
    assertThat(events.get(1).at("/data/id").asText()).isEqualTo(key.json().get("id").asText());
    assertThat(r.out()).doesNotContain(key.json().get("key").asText());
  }

  @Test
  void subscribeErrorsAreOneLine() {
    CliRun.Result none = cli.run("events", "subscribe");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("identifiers");
    CliRun.Result badAfter = cli.run("events", "subscribe", "--application-id", "app1", "--after", "yesterday");
    assertThat(badAfter.exit()).isEqualTo(2);
    CliRun.Result unknownKey = cli.withApiKey("NNSXS.NOPE.NOPE").run("events", "subscribe", "--application-id", "app1");
    assertThat(unknownKey.exit()).isEqualTo(1);
    assertThat(unknownKey.err().lines()).hasSize(1);
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }
}
