package dev.loralab.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.cli.config.StackConfig;
import dev.loralab.cli.stack.internal.RegistryApplicationServerStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings of the stack's configuration reach the servers they configure. */
class StackSettingsWiringTest {

  @TempDir Path dir;

  /** The capacity of the AS session cache of a stack started with {@code config}. */
  private static int sessionCacheCapacity(StackConfig config) {
    try (Stack stack = Stack.builder(config).build()) {
      return ((RegistryApplicationServerStore) stack.applicationServer().store()).sessionCacheCapacity();
    }
  }

  @Test
  void theApplicationServerSessionCacheHasTheDefaultSize() {
    assertThat(sessionCacheCapacity(StackConfig.defaults().forTests(dir.resolve("data"))))
        .isEqualTo(StackConfig.ApplicationServer.DEFAULT_SESSION_CACHE)
        .isEqualTo(RegistryApplicationServerStore.DEFAULT_SESSION_CACHE_SIZE);
  }

  @Test
  void theApplicationServerSessionCacheIsTheConfiguredSize() {
    assertThat(sessionCacheCapacity(StackConfig.defaults().forTests(dir.resolve("data"))
        .withApplicationServer(new StackConfig.ApplicationServer(1000)))).isEqualTo(1000);
  }
}
