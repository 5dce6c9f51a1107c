package dev.loralab.cli.stack;

import ch.qos.logback.classic.Level;
import dev.loralab.cli.CliInputException;
import dev.loralab.cli.config.ConfigException;
import dev.loralab.cli.config.StackConfig;
import dev.loralab.cli.config.StackConfigOptions;
import dev.loralab.identityserver.store.StoreLockedException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code loralab start}: the whole stack in this process until SIGINT/SIGTERM; {@code --demo} also
 * registers a demo application, gateway and devices and runs the simulator against them.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = {"Start the whole stack (gateway, network, join and application servers, events, HTTP, gRPC) "
        + "in this process. Stop with Ctrl-C.",
        "Configuration: embedded defaults < YAML file < LORALAB_<SECTION>_<KEY> environment variables < flags; "
            + "see `loralab config`."})
public final class StartCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin StackConfigOptions options;

  @Option(names = "--demo", description = "Register demo-app, demo-gw and demo devices and run the simulator.")
  boolean demo;

  @Override
  public Integer call() throws InterruptedException {
    StackConfig config;
    try {
      config = options.load();
    } catch (ConfigException e) {
      throw new CliInputException("configuration: " + e.getMessage());
    }
    setLogLevel(config.log().level());
    PrintWriter out = spec.commandLine().getOut();
    Stack stack;
    try {
      stack = Stack.builder(config).build();
    } catch (StoreLockedException e) {
      spec.commandLine().getErr().println("loralab: data directory " + config.data().dir()
          + " is in use by another process (" + e.getMessage() + ")");
      return 1;
    } catch (UncheckedIOException e) {
      spec.commandLine().getErr().println("loralab: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicReference<DemoSimulation> simulation = new AtomicReference<>();
    Thread hook = new Thread(() -> {
      DemoSimulation sim = simulation.get();
      if (sim != null) {
        sim.close();
      }
      stack.close();
      stopped.countDown();
    }, "loralab-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    printBanner(out, stack);
    if (demo) {
      try {
        simulation.set(Demo.run(stack, out));
      } catch (RuntimeException e) {
        spec.commandLine().getErr().println("loralab: demo setup failed: " + e.getMessage());
      }
    }
    out.flush();
    stopped.await();
    return 0;
  }

  static void printBanner(PrintWriter out, Stack stack) {
    StackConfig c = stack.config();
    out.println("LoRaLab is running.");
    out.println("  HTTP API      http://" + c.http().bind() + ":" + stack.httpPort() + "/api/v3"
        + "  (health /healthz, metrics /metrics)");
    out.println("  gRPC API      " + c.grpc().bind() + ":" + stack.grpcPort());
    if (stack.udpPort() >= 0) {
      out.println("  Semtech UDP   " + c.udp().bind() + ":" + stack.udpPort());
    }
    out.println("  Servers       identity-server, events"
        + (stack.runningServers().isEmpty() ? "" : ", " + String.join(", ", stack.runningServers())));
    out.println("  Data          " + c.data().dir().toAbsolutePath().normalize());
    out.println("  Admin API key " + stack.adminApiKeyFile().toAbsolutePath().normalize() + " (mode 0600)");
    out.println("  Console       http://localhost:" + stack.httpPort() + "/console/");
  }

  private static void setLogLevel(String level) {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
      ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
    }
  }
}
