package dev.loralab.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.cli.config.StackConfig;
import dev.loralab.cli.stack.Stack;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole stack starts in-process on ephemeral ports and stops cleanly: the base of every end-to-end test. */
class StackStartsTest {

  @TempDir Path dir;

  @Test
  void startsEveryServerOnEphemeralPorts() {
    try (Stack stack = Stack.builder(StackConfig.defaults().forTests(dir.resolve("data"))).build()) {
      assertThat(stack.httpPort()).isPositive();
      assertThat(stack.grpcPort()).isPositive();
      assertThat(stack.udpPort()).isPositive();
      assertThat(stack.adminApiKey()).startsWith("NNSXS.");
      assertThat(stack.runningServers())
          .containsExactly("gateway-server", "network-server", "join-server", "application-server");
      assertThat(stack.eventCatalogue().get("gs.up.receive")).isPresent();
      assertThat(stack.eventCatalogue().get("ns.up.join.receive").isPresent()
          || stack.eventCatalogue().all().stream().anyMatch(d -> d.name().startsWith("ns."))).isTrue();
    }
  }
}
