package dev.loralab.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loralab.cli.config.StackConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The two seed commands, exactly as written, against a running stack (the API URL and the
 * data directory come from defaults standing in for LORALAB_API_URL and LORALAB_DATA_DIR, so the
 * key is read from the admin key file), and a restart keeping every entity and key.
 */
class SeedCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path dir;

  private Stack stack;

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private Stack start() {
    stack = Stack.builder(StackConfig.defaults().forTests(dir.resolve("data"))).build();
    return stack;
  }

  @Test
  void apiKeyCreateWithRightFlagsAsWritten() {
    start();
    CliRun cli = new CliRun(stack.httpUrl(), stack.config().data().dir());
    CliRun.Result r = cli.run("users", "api-key", "create", "--user-id", "admin", "--right-application-all",
        "--right-gateway-all");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode key = r.json();
    assertThat(key.get("key").asText()).startsWith("NNSXS.");
    assertThat(key.get("rights")).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("RIGHT_APPLICATION_ALL", "RIGHT_GATEWAY_ALL");

    // The new key works: it may create an application for admin? It has no user rights, so it
    // cannot; but it can read every application and gateway of admin's.
    assertThat(cli.run("applications", "create", "app1").exit()).isZero();
    CliRun withKey = cli.withApiKey(key.get("key").asText());
    assertThat(withKey.run("applications", "get", "app1").exit()).isZero();
  }

  @Test
  void eventsSubscribeAsWrittenPrintsOneJsonEventPerLine() throws Exception {
    start();
    CliRun cli = new CliRun(stack.httpUrl(), stack.config().data().dir());
    assertThat(cli.run("applications", "create", "app1").exit()).isZero();
    assertThat(cli.run("gateways", "create", "gtw1", "--gateway-eui", "B827EBFFFE8DB887",
        "--frequency-plan-id", "EU_863_870").exit()).isZero();

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = cli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
    AtomicInteger exit = new AtomicInteger(-1);
    Thread subscriber = new Thread(() -> exit.set(cmd.execute("events", "subscribe", "--gateway-id", "gtw1",
        "--application-id", "app1")), "subscriber");
    subscriber.setDaemon(true);
    subscriber.start();
    try {
      // The stream starts with events.stream.start once subscribed.
      awaitLine(out::toString, "events.stream.start", err::toString);
      assertThat(cli.run("gateways", "update", "gtw1", "--name", "Roof").exit()).isZero();
      assertThat(cli.run("end-devices", "create", "app1", "dev1", "--dev-eui", "70B3D57ED0000001",
          "--join-eui", "70B3D57ED0000000", "--app-key", "2B7E151628AED2A6ABF7158809CF4F3C",
          "--frequency-plan-id", "EU_863_870", "--lorawan-version", "1.0.3",
          "--lorawan-phy-version", "1.0.3-a").exit()).isZero();
      awaitLine(out::toString, "gateway.update", err::toString);
      awaitLine(out::toString, "end_device.create", err::toString);
    } finally {
      subscriber.interrupt();
      subscriber.join(PATIENCE.toMillis());
    }
    assertThat(subscriber.isAlive()).isFalse();
    assertThat(exit.get()).as(err.toString()).isZero();
    List<String> lines = out.toString().lines().toList();
    for (String line : lines) {
      JsonNode e = JSON.readTree(line);
      assertThat(e.has("name")).as(line).isTrue();
      assertThat(e.has("time")).as(line).isTrue();
    }
    JsonNode update = lines.stream().map(SeedCommandsTest::parse)
        .filter(e -> e.get("name").asText().equals("gateway.update")).findFirst().orElseThrow();
    assertThat(update.at("/identifiers/0/gateway_ids/gateway_id").asText()).isEqualTo("gtw1");
    assertThat(update.get("correlation_ids").get(0).asText())
        .startsWith("rpc:/ttn.lorawan.v3.GatewayRegistry/Update:");
  }

  @Test
  void restartKeepsEntitiesAndKeys() {
    start();
    CliRun cli = new CliRun(stack.httpUrl(), stack.config().data().dir());
    String adminKey = stack.adminApiKey();
    assertThat(cli.run("applications", "create", "app1", "--name", "Kept").exit()).isZero();
    assertThat(cli.run("gateways", "create", "gtw1", "--eui", "B827EBFFFE8DB887",
        "--frequency-plan-id", "EU_863_870").exit()).isZero();
    assertThat(cli.run("end-devices", "create", "app1", "dev1", "--dev-eui", "70B3D57ED0000001",
        "--join-eui", "70B3D57ED0000000", "--app-key", "2B7E151628AED2A6ABF7158809CF4F3C",
        "--frequency-plan-id", "EU_863_870", "--lorawan-version", "1.0.3",
        "--lorawan-phy-version", "1.0.3-a").exit()).isZero();
    CliRun.Result appKey = cli.run("applications", "api-keys", "create", "--application-id", "app1",
        "--right-application-all");
    assertThat(appKey.exit()).as(appKey.err()).isZero();
    String secret = appKey.json().get("key").asText();

    stack.close();
    stack = null;
    start();
    assertThat(stack.adminApiKey()).isEqualTo(adminKey);
    CliRun again = new CliRun(stack.httpUrl(), stack.config().data().dir());
    assertThat(again.run("applications", "get", "app1").json().get("name").asText()).isEqualTo("Kept");
    assertThat(again.run("gateways", "get", "gtw1").json().at("/ids/eui").asText()).isEqualTo("B827EBFFFE8DB887");
    assertThat(again.run("end-devices", "get", "app1", "dev1").json().at("/ids/dev_eui").asText())
        .isEqualTo("70B3D57ED0000001");
    // The old keys still work.
    assertThat(again.withApiKey(adminKey).run("gateways", "list").exit()).isZero();
    CliRun.Result viaAppKey = again.withApiKey(secret).run("end-devices", "list", "app1");
    assertThat(viaAppKey.exit()).as(viaAppKey.err()).isZero();
    assertThat(viaAppKey.json().get("end_devices").findValuesAsText("device_id")).containsExactly("dev1");
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }

  /** Polls until the output has a line containing {@code text}; fails with both outputs after a minute. */
  private static void awaitLine(Supplier<String> out, String text, Supplier<String> err) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (out.get().lines().anyMatch(l -> l.contains("\"" + text + "\""))) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no line with " + text + " in:\n" + out.get() + "\nstderr:\n" + err.get());
  }
}
