package dev.loralab.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loralab.cli.LoraLab;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code loralab simulate}: input errors and a short real-time run against a silent UDP port. */
class SimulateCommandTest {

  private static final String SCENARIO = """
      name: cli-test
      seed: 5
      duration: 1m
      gateways:
        - {id: cli-gw, eui: 00800000A00000C1, position: [0, 0]}
      devices:
        - {name: d, count: 2, activation: abp, placement: {type: disc, radius: 200}, uplink: {interval: 1s}}
      """;

  record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    CommandLine cmd = LoraLab.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void badScenarioIsOneLineOnStderrNamingFileAndFieldWithExitTwo(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, SCENARIO.replace("interval: 1s", "interval: often"));
    Result r = run("simulate", f.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().asString()
        .startsWith("loralab: " + f + ": devices[0].uplink.interval: expected ");
  }

  @Test
  void missingFileAndBadOptionsAreInputErrors(@TempDir Path dir) throws Exception {
    assertThat(run("simulate", dir.resolve("none.yaml").toString()).exit()).isEqualTo(2);
    Path f = dir.resolve("ok.yaml");
    Files.writeString(f, SCENARIO);
    Result badDuration = run("simulate", f.toString(), "--duration", "soon");
    assertThat(badDuration.exit()).isEqualTo(2);
    assertThat(badDuration.err()).startsWith("loralab: --duration: expected");
    assertThat(run("simulate", f.toString(), "--server", "nowhere").exit()).isEqualTo(2);
    assertThat(run("simulate", f.toString(), "--rate", "-3").exit()).isEqualTo(2);
  }

  @Test
  void packagedExamplesRunByName(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("demo.json");
    try (DatagramSocket silent = new DatagramSocket(0)) {
      Result r = run("simulate", "demo-eu868", "--duration", "1s", "--server", "127.0.0.1:" + silent.getLocalPort(),
          "--report-file", report.toString());
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(new ObjectMapper().readTree(report.toFile()).get("devices").asInt()).isEqualTo(4);
    }
  }

  @Test
  void shortRunPrintsRegistrationSummaryAndWritesTheReport(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ok.yaml");
    Files.writeString(f, SCENARIO);
    Path report = dir.resolve("report.json");
    int port;
    try (DatagramSocket silent = new DatagramSocket(0)) {
      port = silent.getLocalPort();
      Result r = run("simulate", f.toString(), "--duration", "2s", "--server", "127.0.0.1:" + port, "--seed", "9",
          "--report-file", report.toString());
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("Register these gateways and devices").contains("ttn-lw-cli end-devices create")
          .contains("Scenario cli-test (seed 9, real-time)").contains("Joins:");
      JsonNode json = new ObjectMapper().readTree(report.toFile());
      assertThat(json.get("scenario").asText()).isEqualTo("cli-test");
      assertThat(json.get("seed").asLong()).isEqualTo(9);
      assertThat(json.get("deviceCounts")).hasSize(2);
    }
  }
}
