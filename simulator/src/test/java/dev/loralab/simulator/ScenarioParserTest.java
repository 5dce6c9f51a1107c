package dev.loralab.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.simulator.device.Activation;
import dev.loralab.simulator.device.DeviceClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioParserTest {

  private final ScenarioParser parser = new ScenarioParser();

  private static Path scenarios() {
    Path p = Path.of("scenarios");
    return Files.isDirectory(p) ? p : Path.of("simulator", "scenarios");
  }

  @Test
  void theExampleScenariosParse() throws Exception {
    try (Stream<Path> files = Files.list(scenarios())) {
      assertThat(files.filter(f -> f.toString().endsWith(".yaml")).map(parser::parse).toList()).hasSize(3);
    }
    Scenario demo = parser.parse(scenarios().resolve("demo-eu868.yaml"));
    assertThat(demo.deviceCount()).isEqualTo(4);
    assertThat(demo.duration()).isEqualTo(Duration.ofMinutes(10));
    assertThat(demo.networkServer()).isEqualTo("127.0.0.1:1700");
    assertThat(demo.deviceGroups().get(1).activation()).isEqualTo(Activation.ABP);
    Scenario city = parser.parse(scenarios().resolve("city-eu868.yaml"));
    assertThat(city.gateways()).hasSize(3);
    assertThat(city.deviceCount()).isEqualTo(50);
    assertThat(city.deviceGroups().get(2).deviceClass()).isEqualTo(DeviceClass.C);
    assertThat(city.deviceGroups().get(2).uplink().poisson()).isTrue();
  }

  @Test
  void theExampleScenariosArePackaged() {
    for (String name : ScenarioParser.BUILT_IN) {
      assertThat(parser.parseBuiltIn(name).name()).isEqualTo(name);
    }
    assertThat(parser.parseBuiltIn("demo-eu868.yaml").deviceCount()).isEqualTo(4);
    assertThatThrownBy(() -> parser.parseBuiltIn("nope")).isInstanceOf(ScenarioException.class);
  }

  @Test
  void defaultsMakeAMinimalScenarioRunnable() {
    Scenario s = parser.parse("<min>", "gateways: [{position: [0, 0]}]\ndevices: [{count: 2}]\n");
    assertThat(s.seed()).isEqualTo(1);
    assertThat(s.deviceGroups().get(0).dataRate()).isEqualTo(5);
    assertThat(s.gateways().get(0).frequencyPlan()).isEqualTo("EU_863_870");
    assertThat(Provisioning.of(s).devices()).hasSize(2);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "gateways: [{position: [0, 0]}]\\ndevices: []\\nfoo: 1 | foo",
      "duration: soon\\ngateways: [{position: [0, 0]}]\\ndevices: [] | duration",
      "gateways: []\\ndevices: [] | gateways",
      "gateways: [{position: [0]}]\\ndevices: [] | gateways[0].position",
      "gateways: [{position: [0, 0], frequency-plan: XX_1}]\\ndevices: [] | gateways[0].frequency-plan",
      "gateways: [{position: [0, 0]}]\\ndevices: [{data-rate: 7}] | devices[0].data-rate",
      "gateways: [{position: [0, 0]}]\\ndevices: [{uplink: {interval: 10s, jitter: 20s}}] | devices[0].uplink.jitter",
      "gateways: [{position: [0, 0]}]\\ndevices: [{payload: {type: script, script: 'u8(n +)'}}] | devices[0].payload.script",
      "gateways: [{position: [0, 0]}]\\ndevices: [{lorawan-version: '2.0'}] | devices[0].lorawan-version",
      "gateways: [{position: [0, 0]}]\\ndevices: [{placement: {type: ring}}] | devices[0].placement.type",
      "network-server: nowhere\\ngateways: [{position: [0, 0]}]\\ndevices: [] | network-server",
      "gateways: [{position: [0, 0]}\\ndevices: [] | file",
      "duration: 0s\\ngateways: [{position: [0, 0]}]\\ndevices: [] | duration",
      "gateways: [{eui: '0000000000000001'}, {eui: '0000000000000001'}]\\ndevices: [] | gateways[1].eui",
      "gateways: [{position: [0, 0]}]\\ndevices: [{name: a}, {name: a}] | devices[1].name",
      "gateways: [{position: [0, 0]}]\\ndevices: [{name: a, count: 5, dev-eui-start: '0000000000000010'}, {name: b, dev-eui-start: '0000000000000014'}] | devices[1].dev-eui-start",
      "gateways: [{position: [0, 0]}]\\ndevices: [{uplink: {interval: 0s}}] | devices[0].uplink.interval"})
  void errorsNameTheFileAndTheField(String yaml, String field) {
    assertThatThrownBy(() -> parser.parse("bad.yaml", yaml.replace("\\n", "\n")))
        .isInstanceOfSatisfying(ScenarioException.class, e -> {
          assertThat(e.file()).isEqualTo("bad.yaml");
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.getMessage()).startsWith("bad.yaml: " + field + ": expected ");
        });
  }

  @Test
  void durationsInGoAndIsoForm() {
    assertThat(ScenarioParser.parseDuration("1h30m")).contains(Duration.ofMinutes(90));
    assertThat(ScenarioParser.parseDuration("500ms")).contains(Duration.ofMillis(500));
    assertThat(ScenarioParser.parseDuration("PT2M")).contains(Duration.ofMinutes(2));
    assertThat(ScenarioParser.parseDuration("2 minutes")).isEmpty();
    assertThat(ScenarioParser.parseDuration("")).isEmpty();
  }

  @Test
  void provisioningIsDeterministicAndFollowsTheStartValues() {
    Scenario s = parser.parse(scenarios().resolve("demo-eu868.yaml"));
    Provisioning a = Provisioning.of(s);
    Provisioning b = Provisioning.of(s);
    assertThat(a).isEqualTo(b);
    assertThat(a.devices().get(1).identity().devEui().toString()).isEqualTo("70B3D57ED0001002");
    assertThat(a.devices().get(3).identity().abpDevAddr().orElseThrow().toString()).isEqualTo("260B0001");
    assertThat(a.devices().get(0).position().x()).isEqualTo(150);
    Provisioning other = Provisioning.of(s.with(2, s.duration(), s.networkServer()));
    assertThat(other.devices().get(0).identity().appKey()).isNotEqualTo(a.devices().get(0).identity().appKey());
    String json = a.registrationJson();
    assertThat(json).contains("\"dev_eui\" : \"70B3D57ED0001001\"").contains("ttn-lw-cli end-devices create")
        .contains("\"supports_join\" : false").contains("\"frequency_plan_id\" : \"EU_863_870\"");
  }
}
