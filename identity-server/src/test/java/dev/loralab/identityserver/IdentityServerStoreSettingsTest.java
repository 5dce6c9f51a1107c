package dev.loralab.identityserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.identityserver.store.RocksDbStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link IdentityServerConfig#rocksDbSettings()} and {@link IdentityServer#storeCommitStats()}. */
class IdentityServerStoreSettingsTest {
  @TempDir Path dir;

  @Test
  void theConfigurationCarriesTheStoreSettingsThroughEveryWither() {
    RocksDbStore.Settings settings =
        RocksDbStore.Settings.defaults().withCommitLinger(Duration.ofMillis(3), 16);
    IdentityServerConfig config = IdentityServerConfig.defaults().withRocksDbSettings(settings)
        .withDataDirectory(dir).withApiKeyHashIterations(1000).withMaxPageSize(10)
        .withEndDeviceCacheCapacity(5).withStoreKind(IdentityServerConfig.StoreKind.IN_MEMORY);
    assertThat(config.rocksDbSettings()).isEqualTo(settings);
    assertThat(IdentityServerConfig.defaults().rocksDbSettings())
        .isEqualTo(RocksDbStore.Settings.defaults());
    assertThat(new IdentityServerConfig(dir, IdentityServerConfig.StoreKind.ROCKSDB, 1000, 1, 1)
        .rocksDbSettings()).isEqualTo(RocksDbStore.Settings.defaults());
    assertThatThrownBy(() -> IdentityServerConfig.defaults().withRocksDbSettings(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aRocksDbStoreReportsItsCommitCountsAndAnInMemoryOneNone() {
    IdentityServerConfig config = IdentityServerConfig.defaults().withDataDirectory(dir)
        .withApiKeyHashIterations(1000)
        .withRocksDbSettings(RocksDbStore.Settings.defaults().withCommitLinger(Duration.ZERO, 1));
    try (IdentityServer is = IdentityServer.builder(config).writeAdminKeyFile(false).build()) {
      RocksDbStore.CommitStats stats = is.storeCommitStats().orElseThrow();
      assertThat(stats.groups()).isPositive(); // the admin user and its key
      assertThat(stats.syncedGroups()).isPositive();
      assertThat(stats.writes()).isGreaterThanOrEqualTo(stats.groups());
    }
    try (IdentityServer is = IdentityServer.builder(config.withDataDirectory(dir.resolve("mem"))
        .withStoreKind(IdentityServerConfig.StoreKind.IN_MEMORY)).writeAdminKeyFile(false)
        .build()) {
      assertThat(is.storeCommitStats()).isEmpty();
    }
  }
}
