package dev.loralab.cli.simulate;

import dev.loralab.cli.CliInputException;
import dev.loralab.simulator.LoRaLabRegistration;
import dev.loralab.simulator.Provisioning;
import dev.loralab.simulator.Scenario;
import dev.loralab.simulator.ScenarioException;
import dev.loralab.simulator.ScenarioParser;
import dev.loralab.simulator.Simulation;
import dev.loralab.simulator.SimulationOptions;
import dev.loralab.simulator.SimulationProgress;
import dev.loralab.simulator.SimulationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loralab simulate <scenario.yaml>}: runs simulated gateways and devices against a network
 * server over Semtech UDP, with a live progress line, then prints a readable summary and the JSON
 * report.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Simulate LoRaWAN gateways and devices from a scenario against a network server (Semtech UDP).",
        "With --register the gateways and devices are created in LoRaLab first; otherwise what to",
        "register elsewhere is printed. Progress goes to stderr; the summary and JSON report to stdout."})
public final class SimulateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<scenario.yaml>",
      description = "The scenario file, or a packaged example: demo-eu868, city-eu868, load.")
  Path scenarioFile;

  @Option(names = "--register", description = "Create the gateways and devices in LoRaLab through its API first.")
  boolean register;

  @Option(names = "--api-url", paramLabel = "URL", defaultValue = "http://localhost:1885",
      description = "LoRaLab API for --register (default: ${DEFAULT-VALUE}).")
  String apiUrl;

  @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:LORALAB_API_KEY}",
      description = "API key for --register (default: LORALAB_API_KEY, else ./data/admin-api-key).")
  String apiKey;

  @Option(names = "--user-id", paramLabel = "ID", defaultValue = "admin",
      description = "User that owns the registered entities (default: ${DEFAULT-VALUE}).")
  String userId;

  @Option(names = "--rate", paramLabel = "N",
      description = "Load mode: send N uplinks per second spread across the devices, as fast as possible.")
  Double rate;

  @Option(names = "--duration", paramLabel = "DURATION", description = "Override the scenario duration, e.g. 5m.")
  String duration;

  @Option(names = "--server", paramLabel = "HOST:PORT", description = "Override the network server's UDP address.")
  String server;

  @Option(names = "--report-file", paramLabel = "FILE", description = "Write the JSON report here instead of stdout.")
  Path reportFile;

  @Option(names = "--seed", paramLabel = "N", description = "Override the scenario seed.")
  Long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Scenario scenario;
    try {
      ScenarioParser parser = new ScenarioParser();
      String name = scenarioFile.toString();
      boolean builtIn = !Files.exists(scenarioFile)
          && ScenarioParser.BUILT_IN.contains(name.endsWith(".yaml") ? name.substring(0, name.length() - 5) : name);
      scenario = builtIn ? parser.parseBuiltIn(name) : parser.parse(scenarioFile);
    } catch (ScenarioException e) {
      throw new CliInputException(e.getMessage());
    }
    SimulationOptions options = SimulationOptions.defaults();
    if (seed != null) {
      options = options.withSeed(seed);
    }
    if (duration != null) {
      Duration d = ScenarioParser.parseDuration(duration.trim())
          .filter(x -> !x.isZero() && !x.isNegative())
          .orElseThrow(() -> new CliInputException("--duration: expected a duration such as 30s or 5m, found '"
              + duration + "'"));
      options = options.withDuration(d);
    }
    if (server != null) {
      if (!server.matches("[^:\\s]+:\\d{1,5}")) {
        throw new CliInputException("--server: expected host:port, found '" + server + "'");
      }
      options = options.withServer(server);
    }
    if (rate != null) {
      if (!(rate > 0 && rate <= 1_000_000)) {
        throw new CliInputException("--rate: expected 0 < N <= 1000000 uplinks/s, found " + rate);
      }
      options = options.withRate(rate);
    }
    boolean tty = System.console() != null;
    options = options.withProgress(Duration.ofSeconds(1), p -> progress(err, p, tty));
    Simulation simulation = new Simulation(scenario, options);
    Provisioning provisioning = simulation.provisioning();

    if (register) {
      LoRaLabRegistration.Result r = new LoRaLabRegistration(
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), apiUri(), apiKey())
          .register(provisioning, userId);
      err.printf("registered in %s: %d created, %d already existed%n", apiUrl, r.created(), r.existing());
      for (String f : r.failures()) {
        err.println("registration failed: " + f);
      }
      if (!r.ok()) {
        return 1;
      }
    } else {
      out.println("# Register these gateways and devices in your network server (or use --register with LoRaLab):");
      out.println(provisioning.registrationJson());
    }
    Scenario s = simulation.scenario();
    err.printf("simulating %s: %d gateways, %d devices, %s, network server %s%s%n", s.name(), s.gateways().size(),
        s.deviceCount(), s.duration(), s.networkServer(), rate != null ? ", load " + rate + " uplinks/s" : "");
    err.flush();

    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      simulation.stop();
      try {
        finished.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "loralab-simulate-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    SimulationReport report;
    try {
      report = simulation.run();
    } catch (IllegalStateException e) {
      throw new CliInputException(e.getMessage());
    } finally {
      finished.countDown();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
    if (tty) {
      err.println();
    }
    out.print(report.summary());
    if (reportFile != null) {
      try {
        Files.writeString(reportFile, report.toJson(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliInputException("--report-file: cannot write " + reportFile + ": " + e.getMessage());
      }
      out.println("JSON report written to " + reportFile);
    } else {
      out.println(report.toJson());
    }
    out.flush();
    return 0;
  }

  private static void progress(PrintWriter err, SimulationProgress p, boolean tty) {
    if (tty) {
      err.print("\r" + p.line() + "   ");
      err.flush();
    } else if (Math.round(p.simulatedSeconds()) % 10 == 0) {
      err.println(p.line());
      err.flush();
    }
  }

  private URI apiUri() {
    try {
      URI u = new URI(apiUrl.trim());
      if (u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
        throw new IllegalArgumentException();
      }
      return u;
    } catch (Exception e) {
      throw new CliInputException("--api-url: expected http(s)://host[:port], found '" + apiUrl + "'");
    }
  }

  private String apiKey() {
    if (apiKey != null && !apiKey.isBlank()) {
      return apiKey.trim();
    }
    Path file = Path.of("data", "admin-api-key");
    try {
      String k = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (!k.isEmpty()) {
        return k;
      }
    } catch (IOException e) {
      // fall through
    }
    throw new CliInputException("--register needs an API key: use --api-key, LORALAB_API_KEY or " + file);
  }
}
