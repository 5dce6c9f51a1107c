package dev.loralab.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.cli.config.StackConfig;
import dev.loralab.cli.config.StackConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code events subscribe} survives a restart of the stack: it reconnects (with Last-Event-ID) and keeps printing. */
class SubscribeReconnectTest {

  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir Path dir;

  private Stack stack;

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private Stack start(int httpPort) {
    StackConfig base = StackConfig.defaults().forTests(dir.resolve("data"));
    StackConfig c = StackConfigLoader.load(null, Map.of(), List.of(
        new StackConfigLoader.FlagValue("http.bind", "127.0.0.1", "test"),
        new StackConfigLoader.FlagValue("http.port", Integer.toString(httpPort), "test"),
        new StackConfigLoader.FlagValue("grpc.bind", "127.0.0.1", "test"),
        new StackConfigLoader.FlagValue("grpc.port", "0", "test"),
        new StackConfigLoader.FlagValue("udp.bind", "127.0.0.1", "test"),
        new StackConfigLoader.FlagValue("udp.port", "0", "test"),
        new StackConfigLoader.FlagValue("data.dir", base.data().dir().toString(), "test"),
        new StackConfigLoader.FlagValue("identity-server.api-key-hash-iterations", "1000", "test")));
    return Stack.builder(c).build();
  }

  @Test
  void reconnectsAfterARestart() throws Exception {
    stack = start(0);
    int port = stack.httpPort();
    CliRun cli = new CliRun(stack.httpUrl(), stack.config().data().dir());
    assertThat(cli.run("applications", "create", "app1").exit()).isZero();

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = cli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
    AtomicInteger exit = new AtomicInteger(-1);
    Thread subscriber = new Thread(() -> exit.set(cmd.execute("events", "subscribe", "--application-id", "app1",
        "--reconnect-delay", "100", "--max-reconnects", "100")), "subscriber");
    subscriber.setDaemon(true);
    subscriber.start();
    try {
      await(() -> count(out.toString(), "events.stream.start") >= 1, out::toString, err::toString);
      assertThat(cli.run("applications", "update", "app1", "--name", "before").exit()).isZero();
      await(() -> out.toString().contains("application.update"), out::toString, err::toString);

      stack.close();
      stack = start(port);
      await(() -> count(out.toString(), "events.stream.start") >= 2, out::toString, err::toString);
      assertThat(cli.run("applications", "update", "app1", "--name", "after").exit()).isZero();
      await(() -> count(out.toString(), "application.update") >= 2, out::toString, err::toString);
    } finally {
      subscriber.interrupt();
      subscriber.join(PATIENCE.toMillis());
    }
    assertThat(exit.get()).as(err.toString()).isZero();
  }

  private static int count(String s, String name) {
    return (int) s.lines().filter(l -> l.contains("\"name\":\"" + name + "\"")).count();
  }

  private static void await(Supplier<Boolean> condition, Supplier<String> out, Supplier<String> err)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.get()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("condition not met; output:\n" + out.get() + "\nstderr:\n" + err.get());
  }
}
