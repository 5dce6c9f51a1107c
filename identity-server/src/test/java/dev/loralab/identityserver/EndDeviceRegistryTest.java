package dev.loralab.identityserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.ProtoJson;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.UserIdentifiers;
import dev.loralab.identityserver.store.Durability;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process end device registry used by the network, join and application servers. */
class EndDeviceRegistryTest {
  @TempDir Path dir;
  IdentityServer server;
  EndDeviceRegistry devices;

  static EndDeviceIdentifiers ids(String deviceId) {
    return EndDeviceIdentifiers.newBuilder().setDeviceId(deviceId)
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1")).build();
  }

  static EndDevice otaa(String deviceId, String devEui) {
    String json = IdentityHttpTest.OTAA.replace("dev1", deviceId).replace("0004a30b001c0530", devEui);
    json = json.substring(json.indexOf(':') + 1, json.lastIndexOf('}'));
    EndDevice.Builder b = ProtoJson.parse(json, EndDevice.newBuilder());
    b.getIdsBuilder().setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1"));
    return b.build();
  }

  @BeforeEach
  void start() {
    server = IdentityServer.builder(IdentityServerConfig.defaults().withDataDirectory(dir)
        .withApiKeyHashIterations(1000)).random(new Random(1)).build();
    server.applications().create(Application.newBuilder()
        .setIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1")).build(),
        UserIdentifiers.newBuilder().setUserId("admin").build());
    devices = server.endDevices();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void indexesFollowEuisAndDevAddrsOfSessionAndPendingSession() {
    devices.create(otaa("dev1", "0000000000000001"));
    assertThat(devices.getByEui("70b3d57ed0000000", "0000000000000001")).isPresent();
    assertThatThrownBy(() -> devices.create(otaa("dev2", "0000000000000001")))
        .isInstanceOf(EntityAlreadyExistsException.class);
    devices.create(otaa("dev2", "0000000000000002"));

    devices.update(ids("dev1"), d -> d.toBuilder().setPendingSession(
        d.getPendingSession().toBuilder().setDevAddr("26000001")).build(), Durability.DURABLE);
    devices.update(ids("dev2"), d -> d.toBuilder().setSession(
        d.getSession().toBuilder().setDevAddr("26000001")).build(), Durability.DURABLE);
    assertThat(devices.byDevAddr("26000001")).extracting(d -> d.getIds().getDeviceId())
        .containsExactly("dev1", "dev2");
    assertThat(devices.get(ids("dev2")).orElseThrow().getIds().getDevAddr()).isEqualTo("26000001");

    // The join completes: the pending session becomes the session with another address.
    devices.update(ids("dev1"), d -> d.toBuilder().clearPendingSession()
        .setSession(d.getSession().toBuilder().setDevAddr("26000002")).build(), Durability.DURABLE);
    assertThat(devices.byDevAddr("26000001")).extracting(d -> d.getIds().getDeviceId())
        .containsExactly("dev2");
    assertThat(devices.byDevAddr("26000002")).hasSize(1);

    // IDs cannot be changed through update; EUI changes move the index.
    EndDevice moved = devices.update(ids("dev2"), d -> d.toBuilder()
        .setIds(d.getIds().toBuilder().setDeviceId("other").setDevEui("0000000000000003")).build(),
        Durability.BUFFERED);
    assertThat(moved.getIds().getDeviceId()).isEqualTo("dev2");
    assertThat(devices.getByEui("70B3D57ED0000000", "0000000000000002")).isEmpty();
    assertThat(devices.getByEui("70B3D57ED0000000", "0000000000000003")).isPresent();
    assertThatThrownBy(() -> devices.update(ids("dev2"), d -> d.toBuilder()
        .setIds(d.getIds().toBuilder().setDevEui("0000000000000001")).build(), Durability.DURABLE))
        .isInstanceOf(EntityAlreadyExistsException.class);
    assertThatThrownBy(() -> devices.update(ids("nope"), d -> d, Durability.DURABLE))
        .isInstanceOf(EntityNotFoundException.class);

    assertThat(devices.delete(ids("dev1"))).isTrue();
    assertThat(devices.byDevAddr("26000002")).isEmpty();
    assertThat(devices.getByEui("70B3D57ED0000000", "0000000000000001")).isEmpty();
  }

  @Test
  void concurrentUpdatesOfOneDeviceAreSerialized() throws Exception {
    devices.create(otaa("dev1", "0000000000000001"));
    devices.create(otaa("dev2", "0000000000000002"));
    int threads = 4;
    int perThread = 100;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int n = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            devices.update(ids(n % 2 == 0 ? "dev1" : "dev2"), d -> d.toBuilder().setSession(
                d.getSession().toBuilder().setDevAddr("26000001")
                    .setLastFCntUp(d.getSession().getLastFCntUp() + 1)).build(),
                i % 10 == 0 ? Durability.DURABLE : Durability.BUFFERED);
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(devices.get(ids("dev1")).orElseThrow().getSession().getLastFCntUp())
        .isEqualTo(2 * perThread);
    assertThat(devices.get(ids("dev2")).orElseThrow().getSession().getLastFCntUp())
        .isEqualTo(2 * perThread);
    assertThat(devices.byDevAddr("26000001")).hasSize(2);
  }

  @Test
  void deviceCreationNeedsAnExistingApplication() {
    EndDevice d = otaa("dev1", "0000000000000001").toBuilder()
        .setIds(otaa("dev1", "0000000000000001").getIds().toBuilder()
            .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("nope"))).build();
    assertThatThrownBy(() -> devices.create(d)).isInstanceOf(EntityNotFoundException.class);
  }
}
