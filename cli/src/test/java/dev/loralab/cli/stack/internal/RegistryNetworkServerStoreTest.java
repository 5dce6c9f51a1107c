package dev.loralab.cli.stack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.ApiException;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.PHYVersion;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.api.v3.UserIdentifiers;
import dev.loralab.identityserver.IdentityServer;
import dev.loralab.identityserver.IdentityServerConfig;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.Eui64;
import io.grpc.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The network server's view of the device registry: what an uplink reads after a frame counter
 * update is that update, by every lookup, with and without the registry's device cache, and what
 * was written survives a restart (the cache is memory only).
 */
class RegistryNetworkServerStoreTest {
  private static final Eui64 JOIN_EUI = Eui64.parse("70B3D57ED0000000");
  private static final Eui64 DEV_EUI = Eui64.parse("70B3D57ED0000001");
  private static final DevAddr ADDR = DevAddr.parse("26011234");
  private static final EndDeviceIdentifiers DEV = EndDeviceIdentifiers.newBuilder().setDeviceId("dev1")
      .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1")).build();

  @TempDir Path dir;

  private IdentityServer open(int cacheCapacity) {
    return IdentityServer.builder(IdentityServerConfig.defaults().withDataDirectory(dir)
        .withApiKeyHashIterations(1000).withEndDeviceCacheCapacity(cacheCapacity))
        .writeAdminKeyFile(false).build();
  }

  private static void register(IdentityServer is) {
    is.applications().create(Application.newBuilder().setIds(DEV.getApplicationIds()).build(),
        UserIdentifiers.newBuilder().setUserId("admin").build());
    KeyEnvelope key = KeyEnvelope.newBuilder().setKey("000102030405060708090A0B0C0D0E0F").build();
    is.endDevices().create(EndDevice.newBuilder()
        .setIds(DEV.toBuilder().setJoinEui(JOIN_EUI.toString()).setDevEui(DEV_EUI.toString()))
        .setLorawanVersion(MACVersion.MAC_V1_0_3).setLorawanPhyVersion(PHYVersion.RP001_V1_0_3_REV_A)
        .setFrequencyPlanId("EU_863_870").setSupportsJoin(false)
        .setSession(Session.newBuilder().setDevAddr(ADDR.toString())
            .setKeys(SessionKeys.newBuilder().setFNwkSIntKey(key).setAppSKey(key)))
        .build());
  }

  private static EndDevice nextFCntUp(EndDevice d) {
    return d.toBuilder().setSession(d.getSession().toBuilder()
        .setLastFCntUp(d.getSession().getLastFCntUp() + 1)).build();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 1024})
  void everyLookupSeesTheLastUpdateAndRestartsKeepIt(int cacheCapacity) {
    try (IdentityServer is = open(cacheCapacity)) {
      register(is);
      RegistryNetworkServerStore ns = new RegistryNetworkServerStore(is.endDevices());
      for (int i = 1; i <= 20; i++) {
        EndDevice candidate = ns.byDevAddr(ADDR).get(0);
        assertThat(candidate.getSession().getLastFCntUp()).isEqualTo(i - 1);
        assertThat(ns.get(candidate.getIds())).contains(candidate);
        EndDevice updated = ns.update(DEV, RegistryNetworkServerStoreTest::nextFCntUp, i % 2 == 0);
        assertThat(updated.getSession().getLastFCntUp()).isEqualTo(i);
        assertThat(ns.get(DEV)).contains(updated);
        assertThat(ns.byDevAddr(ADDR)).containsExactly(updated);
        assertThat(ns.byEuis(JOIN_EUI, DEV_EUI)).contains(updated);
        // Another server writing through the registry is seen by the network server at once.
        String name = "n" + i;
        EndDevice named = is.endDevices().update(DEV, d -> d.toBuilder().setName(name).build(),
            dev.loralab.identityserver.store.Durability.BUFFERED);
        assertThat(ns.get(DEV)).contains(named);
        assertThat(ns.byDevAddr(ADDR)).containsExactly(named);
      }
    }
    try (IdentityServer is = open(cacheCapacity)) {
      RegistryNetworkServerStore ns = new RegistryNetworkServerStore(is.endDevices());
      assertThat(ns.get(DEV).orElseThrow().getSession().getLastFCntUp()).isEqualTo(20);
      assertThat(ns.byDevAddr(ADDR)).extracting(EndDevice::getName).containsExactly("n20");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1024})
  void aDeletedDeviceIsGoneForTheNetworkServer(int cacheCapacity) {
    try (IdentityServer is = open(cacheCapacity)) {
      register(is);
      RegistryNetworkServerStore ns = new RegistryNetworkServerStore(is.endDevices());
      assertThat(ns.byDevAddr(ADDR)).hasSize(1);
      assertThat(is.endDevices().delete(DEV)).isTrue();
      assertThat(ns.byDevAddr(ADDR)).isEmpty();
      assertThat(ns.get(DEV)).isEmpty();
      assertThat(ns.byEuis(JOIN_EUI, DEV_EUI)).isEmpty();
      assertThatThrownBy(() -> ns.update(DEV, d -> d, true))
          .isInstanceOfSatisfying(ApiException.class,
              e -> assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND));
    }
  }
}
