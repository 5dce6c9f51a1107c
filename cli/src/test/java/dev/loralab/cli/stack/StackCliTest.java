package dev.loralab.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loralab.cli.config.StackConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@link Stack} on ephemeral ports in a temporary data directory, driven through the CLI commands. */
class StackCliTest {

  @TempDir Path dir;

  private Stack stack;

  private Stack start() {
    stack = Stack.builder(StackConfig.defaults().forTests(dir.resolve("data"))).build();
    return stack;
  }

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private CliRun cli() {
    return new CliRun(stack.httpUrl(), stack.config().data().dir());
  }

  @Test
  void writesTheAdminKeyFileWithMode0600AndServesHealthAndMetricsWithoutKey() throws Exception {
    start();
    Path keyFile = dir.resolve("data").resolve("admin-api-key");
    assertThat(keyFile).exists();
    assertThat(Files.getPosixFilePermissions(keyFile))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Files.readString(keyFile).trim()).isEqualTo(stack.adminApiKey()).startsWith("NNSXS.");

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("ok");
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("# TYPE")
        .contains("loralab_store_commit_groups_total", "loralab_store_commit_synced_groups_total",
            "loralab_store_commit_writes_total");
    HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/api/v3/applications"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isEqualTo(401);
    HttpResponse<String> root = http.send(HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("Location")).contains("/console/");
    HttpResponse<String> console = http.send(HttpRequest.newBuilder(URI.create(stack.httpUrl() + "/console/"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(console.statusCode()).isEqualTo(200);
    assertThat(console.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
  }

  @Test
  void applicationsCrudThroughTheCli() {
    start();
    CliRun cli = cli();
    CliRun.Result created = cli.run("applications", "create", "app1", "--name", "First");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.json().at("/ids/application_id").asText()).isEqualTo("app1");

    CliRun.Result got = cli.run("applications", "get", "app1");
    assertThat(got.exit()).as(got.err()).isZero();
    assertThat(got.json().get("name").asText()).isEqualTo("First");

    CliRun.Result updated = cli.run("applications", "update", "app1", "--description", "changed");
    assertThat(updated.exit()).as(updated.err()).isZero();
    assertThat(cli.run("applications", "get", "app1").json().get("description").asText()).isEqualTo("changed");

    CliRun.Result list = cli.run("applications", "list");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.json().get("applications").findValuesAsText("application_id")).containsExactly("app1");
    CliRun.Result table = cli.run("applications", "list", "--format", "table");
    assertThat(table.out()).contains("APPLICATION_ID").contains("app1");

    CliRun.Result deleted = cli.run("applications", "delete", "app1");
    assertThat(deleted.exit()).as(deleted.err()).isZero();
    CliRun.Result missing = cli.run("applications", "get", "app1");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err().lines()).hasSize(1);
    assertThat(missing.err()).startsWith("loralab: ").contains("not found");
  }

  @Test
  void gatewaysCrudThroughTheCli() {
    start();
    CliRun cli = cli();
    CliRun.Result created = cli.run("gateways", "create", "gtw1", "--gateway-eui", "B827EBFFFE8DB887",
        "--frequency-plan-id", "EU_863_870", "--name", "Roof");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.json().at("/ids/eui").asText()).isEqualTo("B827EBFFFE8DB887");
    assertThat(cli.run("gateways", "get", "gtw1").json().get("frequency_plan_id").asText()).isEqualTo("EU_863_870");

    CliRun.Result updated = cli.run("gateways", "update", "gtw1", "--name", "Tower", "--eui", "B827EBFFFE8DB888");
    assertThat(updated.exit()).as(updated.err()).isZero();
    JsonNode g = cli.run("gateways", "get", "gtw1").json();
    assertThat(g.get("name").asText()).isEqualTo("Tower");
    assertThat(g.at("/ids/eui").asText()).isEqualTo("B827EBFFFE8DB888");
    assertThat(cli.run("gateways", "list").json().get("gateways").findValuesAsText("gateway_id"))
        .containsExactly("gtw1");

    assertThat(cli.run("gateways", "delete", "gtw1").exit()).isZero();
    assertThat(cli.run("gateways", "get", "gtw1").exit()).isEqualTo(1);
  }

  @Test
  void endDevicesCrudThroughTheCli() {
    start();
    CliRun cli = cli();
    assertThat(cli.run("applications", "create", "app1").exit()).isZero();
    CliRun.Result otaa = cli.run("end-devices", "create", "app1", "dev1",
        "--dev-eui", "70B3D57ED0000001", "--join-eui", "70B3D57ED0000000",
        "--app-key", "2B7E151628AED2A6ABF7158809CF4F3C", "--frequency-plan-id", "EU_863_870",
        "--lorawan-version", "1.0.3", "--lorawan-phy-version", "1.0.3-a");
    assertThat(otaa.exit()).as(otaa.err()).isZero();
    assertThat(otaa.json().at("/ids/dev_eui").asText()).isEqualTo("70B3D57ED0000001");

    CliRun.Result abp = cli.run("end-devices", "create", "app1", "dev2", "--abp",
        "--dev-eui", "70B3D57ED0000002", "--dev-addr", "260B0001",
        "--nwk-s-key", "3C4FCF098815F7ABA6D2AE2816157E2B", "--app-s-key", "A6D2AE2816157E2B3C4FCF098815F7AB",
        "--frequency-plan-id", "EU_863_870", "--lorawan-version", "MAC_V1_0_3",
        "--lorawan-phy-version", "RP001_V1_0_3_REV_A");
    assertThat(abp.exit()).as(abp.err()).isZero();

    JsonNode dev1 = cli.run("end-devices", "get", "app1", "dev1").json();
    assertThat(dev1.get("lorawan_version").asText()).isEqualTo("MAC_V1_0_3");
    assertThat(dev1.get("supports_join").asBoolean()).isTrue();

    CliRun.Result updated = cli.run("end-devices", "update", "app1", "dev1", "--supports-class-c", "--name", "Meter");
    assertThat(updated.exit()).as(updated.err()).isZero();
    JsonNode after = cli.run("end-devices", "get", "--application-id", "app1", "--device-id", "dev1").json();
    assertThat(after.get("supports_class_c").asBoolean()).isTrue();
    assertThat(after.get("name").asText()).isEqualTo("Meter");

    assertThat(cli.run("end-devices", "list", "app1").json().get("end_devices").findValuesAsText("device_id"))
        .containsExactly("dev1", "dev2");
    assertThat(cli.run("end-devices", "delete", "app1", "dev2").exit()).isZero();
    assertThat(cli.run("end-devices", "list", "app1").json().get("end_devices").findValuesAsText("device_id"))
        .containsExactly("dev1");
  }

  @Test
  void apiKeysOfUsersApplicationsAndGateways() {
    start();
    CliRun cli = cli();
    assertThat(cli.run("applications", "create", "app1").exit()).isZero();
    assertThat(cli.run("gateways", "create", "gtw1", "--eui", "B827EBFFFE8DB887",
        "--frequency-plan-id", "EU_863_870").exit()).isZero();

    CliRun.Result appKey = cli.run("applications", "api-keys", "create", "--application-id", "app1",
        "--name", "reader", "--right-application-traffic-read", "--right-application-info");
    assertThat(appKey.exit()).as(appKey.err()).isZero();
    assertThat(appKey.json().get("key").asText()).startsWith("NNSXS.");
    assertThat(appKey.json().get("rights")).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("RIGHT_APPLICATION_TRAFFIC_READ", "RIGHT_APPLICATION_INFO");
    String appKeyId = appKey.json().get("id").asText();

    // The application key reads its application but cannot create gateways.
    CliRun limited = cli.withApiKey(appKey.json().get("key").asText());
    assertThat(limited.run("applications", "get", "app1").exit()).isZero();
    CliRun.Result denied = limited.run("gateways", "create", "gtw2", "--eui", "B827EBFFFE8DB889",
        "--frequency-plan-id", "EU_863_870");
    assertThat(denied.exit()).isEqualTo(1);
    assertThat(denied.err().lines()).hasSize(1);

    assertThat(cli.run("applications", "api-keys", "list", "--application-id", "app1").json()
        .get("api_keys").findValuesAsText("id")).containsExactly(appKeyId);
    assertThat(cli.run("applications", "api-keys", "delete", "--application-id", "app1",
        "--api-key-id", appKeyId).exit()).isZero();
    assertThat(limited.run("applications", "get", "app1").exit()).isEqualTo(1);

    CliRun.Result gtwKey = cli.run("gateways", "api-keys", "create", "--gateway-id", "gtw1",
        "--right-gateway-link");
    assertThat(gtwKey.exit()).as(gtwKey.err()).isZero();
    assertThat(cli.run("gateways", "api-keys", "list", "--gateway-id", "gtw1").json().get("api_keys")).hasSize(1);

    CliRun.Result userKeys = cli.run("users", "api-keys", "list", "--user-id", "admin");
    assertThat(userKeys.exit()).as(userKeys.err()).isZero();
    assertThat(userKeys.json().get("api_keys").size()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void webhooksAndDownlinkQueueThroughTheCli() {
    start();
    CliRun cli = cli();
    assertThat(cli.run("applications", "create", "app1").exit()).isZero();
    CliRun.Result set = cli.run("applications", "webhooks", "set", "--application-id", "app1",
        "--webhook-id", "hook1", "--base-url", "http://127.0.0.1:9/hooks", "--webhook-format", "json",
        "--uplink-message.path", "/up", "--header", "X-Token=abc");
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.json().get("base_url").asText()).isEqualTo("http://127.0.0.1:9/hooks");
    CliRun.Result got = cli.run("applications", "webhooks", "get", "--application-id", "app1", "--webhook-id", "hook1");
    assertThat(got.exit()).as(got.err()).isZero();
    assertThat(got.json().at("/uplink_message/path").asText()).isEqualTo("/up");
    assertThat(cli.run("applications", "webhooks", "list", "--application-id", "app1").json().get("webhooks"))
        .hasSize(1);
    assertThat(cli.run("applications", "webhooks", "delete", "--application-id", "app1", "--webhook-id", "hook1")
        .exit()).isZero();
    assertThat(cli.run("applications", "webhooks", "get", "--application-id", "app1", "--webhook-id", "hook1")
        .exit()).isEqualTo(1);

    CliRun.Result abp = cli.run("end-devices", "create", "app1", "dev1", "--abp",
        "--dev-eui", "70B3D57ED0000002", "--dev-addr", "260B0001",
        "--nwk-s-key", "3C4FCF098815F7ABA6D2AE2816157E2B", "--app-s-key", "A6D2AE2816157E2B3C4FCF098815F7AB",
        "--frequency-plan-id", "EU_863_870", "--lorawan-version", "1.0.3", "--lorawan-phy-version", "1.0.3-a");
    assertThat(abp.exit()).as(abp.err()).isZero();
    CliRun.Result push = cli.run("end-devices", "downlink", "push", "app1", "dev1", "--f-port", "15",
        "--frm-payload", "01 02 03", "--confirmed");
    assertThat(push.exit()).as(push.err()).isZero();
    CliRun.Result list = cli.run("end-devices", "downlink", "list", "app1", "dev1");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.json().get("downlinks")).hasSize(1);
    assertThat(list.json().at("/downlinks/0/f_port").asInt()).isEqualTo(15);
    assertThat(list.json().at("/downlinks/0/frm_payload").asText()).isEqualTo("AQID");
    assertThat(cli.run("end-devices", "downlink", "replace", "app1", "dev1", "--f-port", "16").exit()).isZero();
    assertThat(cli.run("end-devices", "downlink", "list", "app1", "dev1").json().at("/downlinks/0/f_port").asInt())
        .isEqualTo(16);
    CliRun.Result badPort = cli.run("end-devices", "downlink", "push", "app1", "dev1", "--f-port", "0");
    assertThat(badPort.exit()).isEqualTo(2);
  }

  @Test
  void startRejectsBadConfigurationWithExitTwoAndABusyPortWithExitOne() {
    CliRun cli = new CliRun(java.util.Map.of());
    CliRun.Result bad = cli.run("start", "--data-dir", dir.resolve("x").toString(), "--set", "events.keepalive=never");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err().lines()).hasSize(1);
    assertThat(bad.err()).contains("events.keepalive").contains("--set events.keepalive=never");

    start();
    CliRun.Result busy = cli.run("start", "--data-dir", dir.resolve("other").toString(), "--http-port",
        Integer.toString(stack.httpPort()), "--set", "http.bind=127.0.0.1", "--grpc-port", "0", "--udp-port", "0",
        "--set", "grpc.bind=127.0.0.1", "--set", "udp.bind=127.0.0.1");
    assertThat(busy.exit()).isEqualTo(1);
    assertThat(busy.err()).contains("cannot bind");
  }

  @Test
  void clientReadsDataDirAndPortFromAConfigFileAndRefusesASecondStackOnTheSameData() throws Exception {
    start();
    Path yaml = dir.resolve("client.yml");
    Files.writeString(yaml, "http:\n  port: " + stack.httpPort() + "\ndata:\n  dir: "
        + stack.config().data().dir() + "\n");
    CliRun noDefaults = new CliRun(java.util.Map.of());
    CliRun.Result r = noDefaults.run("applications", "list", "--config", yaml.toString());
    assertThat(r.exit()).as(r.err()).isZero();

    CliRun.Result second = noDefaults.run("start", "--config", yaml.toString(), "--http-port", "0",
        "--grpc-port", "0", "--udp-port", "0");
    assertThat(second.exit()).isEqualTo(1);
    assertThat(second.err()).contains("in use");
  }

  @Test
  void invalidInputExitsWithTwoAndOneLine() {
    start();
    CliRun cli = cli();
    CliRun.Result badEui = cli.run("gateways", "create", "gtw1", "--eui", "XYZ", "--frequency-plan-id", "EU_863_870");
    assertThat(badEui.exit()).isEqualTo(2);
    assertThat(badEui.err().lines()).hasSize(1);
    assertThat(badEui.err()).contains("--gateway-eui").contains("16 hex digits");
    CliRun.Result noRights = cli.run("users", "api-keys", "create", "--user-id", "admin");
    assertThat(noRights.exit()).isEqualTo(2);
    assertThat(noRights.err()).contains("--right-");
    CliRun.Result badId = cli.run("applications", "get", "App_1");
    assertThat(badId.exit()).isEqualTo(2);
  }
}
