package dev.loralab.identityserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.identityserver.store.Durability;
import dev.loralab.identityserver.store.StoreLockedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartTest {
  @TempDir Path dir;

  @Test
  void restartKeepsEveryEntityAndKey() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    String alice;
    String appKey;
    String gtwKey;
    String admin;
    try (HttpFixture f = new HttpFixture(dir, clock)) {
      admin = f.adminToken;
      alice = f.user("alice", "RIGHT_USER_ALL");
      f.post("/api/v3/users/alice/applications", alice,
          "{\"application\":{\"ids\":{\"application_id\":\"app1\"},\"name\":\"A\"}}").expect(200);
      f.post("/api/v3/applications/app1/devices", alice, IdentityHttpTest.OTAA).expect(200);
      f.post("/api/v3/applications/app1/devices", alice, IdentityHttpTest.ABP).expect(200);
      f.post("/api/v3/users/alice/gateways", alice,
          "{\"gateway\":{\"ids\":{\"gateway_id\":\"gtw1\",\"eui\":\"B827EBFFFE000001\"},"
              + "\"frequency_plan_id\":\"EU_863_870_TTN\"}}").expect(200);
      appKey = f.apiKey("applications", "app1", "RIGHT_APPLICATION_ALL");
      gtwKey = f.apiKey("gateways", "gtw1", "RIGHT_GATEWAY_LINK");
      // A frame counter written durably by another server, in-process.
      f.server.endDevices().update(EndDeviceIdentifiers.newBuilder().setDeviceId("abp1")
              .setApplicationIds(dev.loralab.api.v3.ApplicationIdentifiers.newBuilder()
                  .setApplicationId("app1")).build(),
          d -> d.toBuilder().setSession(d.getSession().toBuilder().setLastFCntUp(42)).build(),
          Durability.DURABLE);
    }
    assertThat(Files.readString(dir.resolve("admin-api-key")).trim()).isEqualTo(admin);

    try (HttpFixture f = new HttpFixture(dir, clock)) {
      assertThat(f.server.issuedAdminToken()).isEmpty();
      assertThat(f.adminToken).isEqualTo(admin);
      f.get("/api/v3/users/alice", admin).expect(200);
      assertThat(f.get("/api/v3/applications/app1", alice).expect(200).json().get("name").asText())
          .isEqualTo("A");
      f.get("/api/v3/applications/app1", appKey).expect(200);
      f.get("/api/v3/gateways/gtw1", gtwKey).expect(200);
      assertThat(f.get("/api/v3/applications/app1/devices", appKey).expect(200).json()
          .get("end_devices")).hasSize(2);
      assertThat(f.get("/api/v3/applications/app1/devices/dev1?field_mask=root_keys", appKey)
          .expect(200).json().at("/root_keys/app_key/key").asText())
          .isEqualTo("2B7E151628AED2A6ABF7158809CF4F3C");
      assertThat(f.server.endDevices().getByEui("70B3D57ED0000000", "0004A30B001C0530")).isPresent();
      assertThat(f.server.endDevices().byDevAddr("26011234")).singleElement()
          .satisfies(d -> assertThat(d.getSession().getLastFCntUp()).isEqualTo(42));
      assertThat(f.server.gateways().getByEui("B827EBFFFE000001")).isPresent();
      assertThat(f.get("/api/v3/applications/app1/api-keys", alice).expect(200).json()
          .get("api_keys")).hasSize(1);
    }
  }

  @Test
  void adminKeyFileIsPrivateAndReissuedWhenMissing() throws Exception {
    IdentityServerConfig config = IdentityServerConfig.defaults().withDataDirectory(dir)
        .withApiKeyHashIterations(1000);
    String first;
    try (IdentityServer s = IdentityServer.builder(config).build()) {
      first = s.issuedAdminToken().orElseThrow();
      Path file = dir.resolve("admin-api-key");
      assertThat(Files.readString(file).trim()).isEqualTo(first);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(s.accessControl().authenticate(first).owner().getUserIds().getUserId())
          .isEqualTo("admin");
    }
    Files.delete(dir.resolve("admin-api-key"));
    try (IdentityServer s = IdentityServer.builder(config).build()) {
      String second = s.issuedAdminToken().orElseThrow();
      assertThat(second).isNotEqualTo(first);
      assertThat(Files.readString(dir.resolve("admin-api-key")).trim()).isEqualTo(second);
      assertThat(PosixFilePermissions.toString(
          Files.getPosixFilePermissions(dir.resolve("admin-api-key")))).isEqualTo("rw-------");
      s.accessControl().authenticate(first); // the old key still works
    }
  }

  @Test
  void secondServerOnTheSameDataDirectoryFailsClearly() {
    IdentityServerConfig config = IdentityServerConfig.defaults().withDataDirectory(dir)
        .withApiKeyHashIterations(1000);
    try (IdentityServer s = IdentityServer.builder(config).build()) {
      assertThatThrownBy(() -> IdentityServer.builder(config).build())
          .isInstanceOf(StoreLockedException.class)
          .hasMessageContaining("locked");
    }
  }
}
