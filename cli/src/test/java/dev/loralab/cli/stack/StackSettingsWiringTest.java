package dev.loralab.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.cli.config.StackConfig;
import dev.loralab.cli.stack.internal.RegistryApplicationServerStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings of the stack's configuration reach the servers they configure. */
class StackSettingsWiringTest {

  @TempDir Path dir;
  private Stack stack;

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private RegistryApplicationServerStore asStore() {
    return (RegistryApplicationServerStore) stack.applicationServer().store();
  }

  @Test
  void theApplicationServerSessionCacheHasTheDefaultSize() {
    stack = Stack.builder(StackConfig.defaults().forTests(dir.resolve("data"))).build();
    assertThat(asStore().sessionCacheCapacity())
        .isEqualTo(StackConfig.ApplicationServer.DEFAULT_SESSION_CACHE)
        .isEqualTo(RegistryApplicationServerStore.DEFAULT_SESSION_CACHE_SIZE);
  }

  @Test
  void theApplicationServerSessionCacheIsTheConfiguredSize() {
    stack = Stack.builder(StackConfig.defaults().forTests(dir.resolve("data"))
        .withApplicationServer(new StackConfig.ApplicationServer(1000))).build();
    assertThat(asStore().sessionCacheCapacity()).isEqualTo(1000);
  }
}
