package dev.loralab.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.cli.LoraLab;
import dev.loralab.identityserver.IdentityServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Precedence (defaults < file < environment < flags), error messages, printing and `loralab config`. */
class StackConfigLoaderTest {

  @TempDir Path dir;

  private Path file(String yaml) throws Exception {
    Path f = dir.resolve("loralab.yml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void defaults() {
    StackConfig c = StackConfigLoader.load(null, Map.of(), List.of());
    assertThat(c).isEqualTo(StackConfig.defaults());
    assertThat(c.http()).isEqualTo(new StackConfig.Listen("0.0.0.0", 1885));
    assertThat(c.grpc().port()).isEqualTo(1884);
    assertThat(c.udp().port()).isEqualTo(1700);
    assertThat(c.data().dir()).isEqualTo(Path.of("data"));
    assertThat(c.frequencyPlans().dir()).isEmpty();
    assertThat(c.events().historyMaxEvents()).isEqualTo(100);
    assertThat(c.events().historyMaxAge()).isEqualTo(Duration.ofHours(24));
    assertThat(c.events().keepalive()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.events().deliveryLinger()).isEqualTo(Duration.ofMillis(5));
    assertThat(c.gatewayServer().autoAcceptUnknown()).isFalse();
    assertThat(c.gatewayServer().defaultFrequencyPlan()).isEqualTo("EU_863_870");
    assertThat(c.networkServer().netId()).isEqualTo("000000");
    assertThat(c.networkServer().deduplicationWindow()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void fileThenEnvironmentThenFlags() throws Exception {
    Path f = file("""
        http:
          port: 8080
          bind: 127.0.0.1
        grpc: {port: 9090}
        events:
          history_max_events: 500      # underscores work too
          history-max-age: 2h
        frequency-plans:
          dir: /etc/plans
        network-server:
          net-id: 00001a
        """);
    Map<String, String> env = Map.of("LORALAB_HTTP_PORT", "8081", "LORALAB_GRPC_PORT", "9091",
        "LORALAB_DATA_DIR", "/var/lib/loralab", "LORALAB_API_KEY", "not-a-setting");
    List<StackConfigLoader.FlagValue> flags = List.of(
        new StackConfigLoader.FlagValue("http.port", "8082", "--http-port 8082"));
    StackConfig c = StackConfigLoader.load(f, env, flags);
    assertThat(c.http().port()).isEqualTo(8082);
    assertThat(c.http().bind()).isEqualTo("127.0.0.1");
    assertThat(c.grpc().port()).isEqualTo(9091);
    assertThat(c.data().dir()).isEqualTo(Path.of("/var/lib/loralab"));
    assertThat(c.events().historyMaxEvents()).isEqualTo(500);
    assertThat(c.events().historyMaxAge()).isEqualTo(Duration.ofHours(2));
    assertThat(c.frequencyPlans().dir()).contains(Path.of("/etc/plans"));
    assertThat(c.networkServer().netId()).isEqualTo("00001A");
  }

  @Test
  void environmentVariableNames() {
    assertThat(StackConfigLoader.environmentVariable("http.port")).isEqualTo("LORALAB_HTTP_PORT");
    assertThat(StackConfigLoader.environmentVariable("data.dir")).isEqualTo("LORALAB_DATA_DIR");
    assertThat(StackConfigLoader.environmentVariable("gateway-server.auto-accept-unknown"))
        .isEqualTo("LORALAB_GATEWAY_SERVER_AUTO_ACCEPT_UNKNOWN");
  }

  @Test
  void errorsNameTheKeyAndTheSource() throws Exception {
    assertThatThrownBy(() -> StackConfigLoader.load(null, Map.of("LORALAB_HTTP_PORT", "http"), List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http.port (from environment variable LORALAB_HTTP_PORT): expected an integer 0..65535, "
            + "found 'http'");
    assertThatThrownBy(() -> StackConfigLoader.load(null, Map.of(), List.of(
        new StackConfigLoader.FlagValue("udp.port", "70000", "--udp-port 70000"))))
        .hasMessage("udp.port (from flag --udp-port 70000): expected an integer 0..65535, found '70000'");
    Path typo = file("http:\n  prot: 1\n");
    assertThatThrownBy(() -> StackConfigLoader.load(typo, Map.of(), List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("http.prot (from config file " + typo + "): unknown key");
    Path badDuration = file("events:\n  keepalive: soon\n");
    assertThatThrownBy(() -> StackConfigLoader.load(badDuration, Map.of(), List.of()))
        .hasMessageContaining("events.keepalive").hasMessageContaining("expected a duration");
    Path notYaml = file("http: [\n");
    assertThatThrownBy(() -> StackConfigLoader.load(notYaml, Map.of(), List.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("expected YAML");
    Path list = file("http:\n  port: [1, 2]\n");
    assertThatThrownBy(() -> StackConfigLoader.load(list, Map.of(), List.of()))
        .hasMessageContaining("http.port").hasMessageContaining("found a list");
    assertThatThrownBy(() -> StackConfigLoader.load(null, Map.of("LORALAB_NETWORK_SERVER_NET_ID", "0x13"), List.of()))
        .hasMessageContaining("network-server.net-id").hasMessageContaining("6 hex digits");
    assertThatThrownBy(() -> StackConfigLoader.load(null, Map.of("LORALAB_LOG_LEVEL", "LOUD"), List.of()))
        .hasMessageContaining("log.level");
    assertThatThrownBy(() -> StackConfigLoader.load(null, Map.of("LORALAB_EVENTS_DELIVERY_LINGER", "2s"), List.of()))
        .hasMessageContaining("events.delivery-linger").hasMessageContaining("expected 0 to 1s");
  }

  @Test
  void theDeliveryLingerCanBeZero() {
    StackConfig c = StackConfigLoader.load(null, Map.of("LORALAB_EVENTS_DELIVERY_LINGER", "0ms"), List.of());
    assertThat(c.events().deliveryLinger()).isZero();
  }

  @Test
  void performanceAndGatewayLimitsAreSettings() {
    StackConfig d = StackConfig.defaults();
    assertThat(d.networkServer().deduplicationEarlyClose()).isTrue();
    assertThat(d.gatewayServer().perAddressRate()).isEqualTo(50);
    assertThat(d.gatewayServer().perAddressBurst()).isEqualTo(200);
    StackConfig c = StackConfigLoader.load(null, Map.of("LORALAB_GATEWAY_SERVER_PER_ADDRESS_RATE", "400"), List.of(
        new StackConfigLoader.FlagValue("network-server.deduplication-early-close", "false", "--set"),
        new StackConfigLoader.FlagValue("gateway-server.per-address-burst", "1000", "--set"),
        new StackConfigLoader.FlagValue("gateway-server.downlink-guard-margin", "5ms", "--set"),
        new StackConfigLoader.FlagValue("identity-server.end-device-cache", "1024", "--set"),
        new StackConfigLoader.FlagValue("identity-server.dev-addr-cache", "2048", "--set"),
        new StackConfigLoader.FlagValue("identity-server.store-block-cache-mib", "96", "--set")));
    assertThat(c.networkServer().deduplicationEarlyClose()).isFalse();
    assertThat(c.gatewayServer().perAddressRate()).isEqualTo(400);
    assertThat(c.gatewayServer().perAddressBurst()).isEqualTo(1000);
    assertThat(c.gatewayServer().downlinkGuardMargin()).isEqualTo(Duration.ofMillis(5));
    assertThat(c.identityServer().endDeviceCache()).isEqualTo(1024);
    assertThat(c.identityServer().devAddrCache()).isEqualTo(2048);
    assertThat(d.identityServer().devAddrCache())
        .isEqualTo(IdentityServerConfig.DEFAULT_DEV_ADDR_CACHE_CAPACITY);
    assertThat(c.identityServer().storeBlockCacheMib()).isEqualTo(96);
    assertThat((long) d.identityServer().storeBlockCacheMib() << 20)
        .isEqualTo(dev.loralab.identityserver.store.RocksDbStore.Settings.DEFAULT_BLOCK_CACHE_BYTES);
    assertThatThrownBy(() -> StackConfigLoader.load(null, Map.of(), List.of(
        new StackConfigLoader.FlagValue("identity-server.store-block-cache-mib", "0", "--set"))))
        .hasMessageContaining("identity-server.store-block-cache-mib");
    assertThatThrownBy(() -> StackConfigLoader.load(null, Map.of(), List.of(
        new StackConfigLoader.FlagValue("gateway-server.per-address-rate", "0", "--set"))))
        .hasMessageContaining("gateway-server.per-address-rate");
    assertThatThrownBy(() -> StackConfigLoader.load(null, Map.of(), List.of(
        new StackConfigLoader.FlagValue("gateway-server.downlink-guard-margin", "2s", "--set"))))
        .hasMessageContaining("downlink-guard-margin").hasMessageContaining("expected 0..1s");
  }

  /**
   * {@code key} is a positive integer setting: {@code expectedDefault} by default, taken from its
   * environment variable, and 0 refused with the key named.
   */
  private static void assertPositiveIntSetting(String key, int expectedDefault,
      java.util.function.ToIntFunction<StackConfig> value) {
    assertThat(value.applyAsInt(StackConfig.defaults())).as(key).isEqualTo(expectedDefault);
    StackConfig c = StackConfigLoader.load(null,
        Map.of(StackConfigLoader.environmentVariable(key), "1000"), List.of());
    assertThat(value.applyAsInt(c)).as(key).isEqualTo(1000);
    assertThatThrownBy(() -> StackConfigLoader.load(null, Map.of(), List.of(
        new StackConfigLoader.FlagValue(key, "0", "--set")))).hasMessageContaining(key);
  }

  @Test
  void theBoundOnUplinksInFlightIsASetting() {
    assertPositiveIntSetting("network-server.max-uplinks-in-flight", 8192,
        c -> c.networkServer().maxUplinksInFlight());
  }

  @Test
  void theApplicationServerSessionCacheIsASetting() {
    assertPositiveIntSetting("application-server.session-cache", 262_144,
        c -> c.applicationServer().sessionCache());
    assertThat(StackConfig.ApplicationServer.DEFAULT_SESSION_CACHE).isEqualTo(262_144);
  }

  @Test
  void theDownlinkRefusalBackOffIsASetting() {
    assertThat(StackConfig.defaults().networkServer().downlinkRefusalBackoff()).isEqualTo(32);
    StackConfig c = StackConfigLoader.load(null,
        Map.of("LORALAB_NETWORK_SERVER_DOWNLINK_REFUSAL_BACKOFF", "64"), List.of());
    assertThat(c.networkServer().downlinkRefusalBackoff()).isEqualTo(64);
    StackConfig off = StackConfigLoader.load(null, Map.of(), List.of(
        new StackConfigLoader.FlagValue("network-server.downlink-refusal-backoff", "0", "--set")));
    assertThat(off.networkServer().downlinkRefusalBackoff()).isZero();
    assertThatThrownBy(() -> StackConfigLoader.load(null, Map.of(), List.of(
        new StackConfigLoader.FlagValue("network-server.downlink-refusal-backoff", "-1", "--set"))))
        .hasMessageContaining("network-server.downlink-refusal-backoff")
        .hasMessageContaining("an integer >= 0");
  }

  @Test
  void theBoundOnPendingDatagramsIsASetting() {
    assertThat(StackConfig.defaults().gatewayServer().maxPendingDatagrams()).isEqualTo(8192);
    StackConfig c = StackConfigLoader.load(null,
        Map.of("LORALAB_GATEWAY_SERVER_MAX_PENDING_DATAGRAMS", "2048"), List.of());
    assertThat(c.gatewayServer().maxPendingDatagrams()).isEqualTo(2048);
    assertThatThrownBy(() -> StackConfigLoader.load(null, Map.of(), List.of(
        new StackConfigLoader.FlagValue("gateway-server.max-pending-datagrams", "2000000", "--set"))))
        .hasMessageContaining("gateway-server.max-pending-datagrams").hasMessageContaining("expected 1..1000000");
  }

  @Test
  void printedYamlLoadsBackToTheSameConfiguration() throws Exception {
    StackConfig c = StackConfigLoader.load(null, Map.of("LORALAB_EVENTS_KEEPALIVE", "1500ms",
        "LORALAB_FREQUENCY_PLANS_DIR", "/plans", "LORALAB_GATEWAY_SERVER_AUTO_ACCEPT_UNKNOWN", "yes"), List.of());
    String yaml = StackConfigLoader.toYaml(c);
    assertThat(yaml).contains("keepalive: 1500ms").contains("auto-accept-unknown: true");
    assertThat(StackConfigLoader.load(file(yaml), Map.of(), List.of())).isEqualTo(c);
    @SuppressWarnings("unchecked")
    Map<String, Object> plans = (Map<String, Object>) StackConfigLoader.toTree(StackConfig.defaults()).get("frequency-plans");
    assertThat(plans)
        .containsEntry("dir", null);
    assertThat(StackConfig.defaults().frequencyPlans().dir()).isEqualTo(Optional.empty());
  }

  @Test
  void configCommandPrintsTheEffectiveConfigurationAndRejectsBadValuesWithExitTwo() throws Exception {
    Path f = file("udp:\n  port: 1701\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = LoraLab.newCommandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute("config", "--config", f.toString(), "--http-port", "1999", "--set",
        "events.history-max-events=7", "--format", "json");
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("\"port\" : 1999").contains("\"port\" : 1701")
        .contains("\"history-max-events\" : 7");

    StringWriter err2 = new StringWriter();
    CommandLine bad = LoraLab.newCommandLine();
    bad.setOut(new PrintWriter(new StringWriter(), true));
    bad.setErr(new PrintWriter(err2, true));
    assertThat(bad.execute("config", "--set", "http.port=x")).isEqualTo(2);
    assertThat(err2.toString().lines()).hasSize(1);
    assertThat(err2.toString()).contains("http.port").contains("--set http.port=x");
  }

  @Test
  void configKeysListsEverySettingWithItsEnvironmentVariable() {
    StringWriter out = new StringWriter();
    CommandLine cmd = LoraLab.newCommandLine();
    cmd.setOut(new PrintWriter(out, true));
    assertThat(cmd.execute("config", "--keys")).isZero();
    assertThat(out.toString().lines()).hasSize(StackConfigLoader.keys().size());
    assertThat(out.toString()).contains("LORALAB_HTTP_PORT").contains("LORALAB_DATA_DIR")
        .contains("LORALAB_EVENTS_HISTORY_MAX_EVENTS");
  }
}
