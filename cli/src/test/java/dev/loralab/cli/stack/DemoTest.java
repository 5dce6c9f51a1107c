package dev.loralab.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.cli.config.StackConfig;
import dev.loralab.simulator.Provisioning;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --demo}: idempotent registration, and the simulated devices join and send data through the
 * whole stack (gateway, network, join and application servers) over real UDP.
 */
class DemoTest {

  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir Path dir;

  private Stack stack;

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void registersIdempotentlyAndTheSimulatedDevicesJoinAndSendData() throws Exception {
    stack = Stack.builder(StackConfig.defaults().forTests(dir.resolve("data"))).build();
    Provisioning p = Provisioning.of(Demo.scenario());
    Demo.register(stack.identityServer(), p);
    Demo.register(stack.identityServer(), p);
    assertThat(stack.identityServer().gateways().get(Demo.GATEWAY_ID).orElseThrow().getIds().getEui())
        .isEqualTo("B827EBFFFE8DB887");
    assertThat(stack.identityServer().endDevices().list(Demo.APPLICATION_ID)).hasSize(4);

    CliRun cli = new CliRun(stack.httpUrl(), stack.config().data().dir());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = cli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
    AtomicInteger exit = new AtomicInteger(-1);
    Thread subscriber = new Thread(() -> exit.set(cmd.execute("events", "subscribe", "--application-id",
        Demo.APPLICATION_ID, "--gateway-id", Demo.GATEWAY_ID)), "subscriber");
    subscriber.setDaemon(true);
    subscriber.start();
    awaitLine(out::toString, "events.stream.start", err::toString);

    StringWriter banner = new StringWriter();
    try (DemoSimulation sim = Demo.run(stack, new PrintWriter(banner, true))) {
      assertThat(banner.toString()).contains("curl -N -X POST http://localhost:" + stack.httpPort() + "/api/v3/events")
          .contains("/console/");
      awaitLine(out::toString, "gs.up.receive", err::toString);
      awaitLine(out::toString, "js.join.accept", err::toString);
      awaitLine(out::toString, "as.up.join.forward", err::toString);
      awaitLine(out::toString, "as.up.data.forward", err::toString);
    } finally {
      subscriber.interrupt();
      subscriber.join(PATIENCE.toMillis());
    }
    assertThat(exit.get()).as(err.toString()).isZero();
  }

  private static void awaitLine(Supplier<String> out, String name, Supplier<String> err) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (out.get().contains("\"name\":\"" + name + "\"")) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no " + name + " event in:\n" + out.get() + "\nstderr:\n" + err.get());
  }
}
