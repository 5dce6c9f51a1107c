package dev.loralab.cli.stack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.loralab.api.ApiException;
import dev.loralab.api.v3.Application;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationWebhook;
import dev.loralab.api.v3.ApplicationWebhookIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.Gateway;
import dev.loralab.api.v3.GatewayAntenna;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.PHYVersion;
import dev.loralab.api.v3.RootKeys;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.UserIdentifiers;
import dev.loralab.applicationserver.AsSession;
import dev.loralab.gatewayserver.RegisteredGateway;
import dev.loralab.identityserver.IdentityServer;
import dev.loralab.identityserver.IdentityServerConfig;
import dev.loralab.joinserver.DeviceNonces;
import dev.loralab.joinserver.JoinDevice;
import dev.loralab.joinserver.JoinServerStore;
import dev.loralab.joinserver.JoinSession;
import dev.loralab.joinserver.SessionKeyId;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.crypto.SessionKeys11;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry adapters of the gateway, join, network and application servers. */
class StoreAdaptersTest {

  private static final Eui64 JOIN_EUI = Eui64.parse("70B3D57ED0000000");
  private static final Eui64 DEV_EUI = Eui64.parse("70B3D57ED0000001");
  private static final EndDeviceIdentifiers DEV = EndDeviceIdentifiers.newBuilder().setDeviceId("dev1")
      .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1")).build();

  @TempDir Path dir;

  private IdentityServer is;

  @BeforeEach
  void open() {
    is = IdentityServer.builder(IdentityServerConfig.defaults().withDataDirectory(dir)
        .withStoreKind(IdentityServerConfig.StoreKind.IN_MEMORY).withApiKeyHashIterations(1000))
        .writeAdminKeyFile(false).build();
    UserIdentifiers admin = UserIdentifiers.newBuilder().setUserId("admin").build();
    is.applications().create(Application.newBuilder().setIds(DEV.getApplicationIds()).build(), admin);
    is.endDevices().create(EndDevice.newBuilder()
        .setIds(DEV.toBuilder().setJoinEui(JOIN_EUI.toString()).setDevEui(DEV_EUI.toString()))
        .setLorawanVersion(MACVersion.MAC_V1_0_3).setLorawanPhyVersion(PHYVersion.RP001_V1_0_3_REV_A)
        .setFrequencyPlanId("EU_863_870").setSupportsJoin(true)
        .setRootKeys(RootKeys.newBuilder().setAppKey(KeyEnvelope.newBuilder()
            .setKey("2B7E151628AED2A6ABF7158809CF4F3C")))
        .build());
  }

  @AfterEach
  void close() {
    is.close();
  }

  private static JoinSession session(int firstByte) {
    byte[] id = new byte[SessionKeyId.SIZE];
    id[0] = (byte) firstByte;
    AesKey k = AesKey.parse("000102030405060708090A0B0C0D0E0F");
    return new JoinSession(SessionKeyId.of(id), JOIN_EUI, DEV_EUI, new SessionKeys11(k, k, k, k), false,
        Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void joinServerStoreComparesAndSetsNoncesAndKeepsSessions() {
    RegistryJoinServerStore js = new RegistryJoinServerStore(is.endDevices(), is.store(), 16);
    JoinDevice d = js.device(JOIN_EUI, DEV_EUI).orElseThrow();
    assertThat(d.nonces().neverJoined()).isTrue();
    DeviceNonces after = new DeviceNonces(new JoinNonce(1), Optional.of(new DevNonce(7)), List.of(new DevNonce(7)));

    JoinSession s1 = session(1);
    assertThat(js.commitJoin(new JoinServerStore.JoinCommit(JOIN_EUI, DEV_EUI, d.nonces(), after, s1))).isTrue();
    assertThat(js.device(JOIN_EUI, DEV_EUI).orElseThrow().nonces()).isEqualTo(after);
    assertThat(is.endDevices().get(DEV).orElseThrow().getLastJoinNonce()).isEqualTo(1);
    assertThat(js.session(s1.id())).contains(s1);

    // A commit based on stale nonces fails and leaves no session behind.
    JoinSession s2 = session(2);
    DeviceNonces other = new DeviceNonces(new JoinNonce(2), Optional.of(new DevNonce(8)),
        List.of(new DevNonce(7), new DevNonce(8)));
    assertThat(js.commitJoin(new JoinServerStore.JoinCommit(JOIN_EUI, DEV_EUI, d.nonces(), other, s2))).isFalse();
    assertThat(js.session(s2.id())).isEmpty();
    assertThat(js.device(JOIN_EUI, DEV_EUI).orElseThrow().nonces()).isEqualTo(after);

    assertThat(js.device(JOIN_EUI, Eui64.parse("70B3D57ED00000FF"))).isEmpty();
    assertThat(js.commitJoin(new JoinServerStore.JoinCommit(JOIN_EUI, Eui64.parse("70B3D57ED00000FF"),
        d.nonces(), after, session(3)))).isFalse();
  }

  @Test
  void networkServerStoreFindsByDevAddrAndEuisAndReportsMissingDevicesAsNotFound() {
    RegistryNetworkServerStore ns = new RegistryNetworkServerStore(is.endDevices());
    assertThat(ns.byEuis(JOIN_EUI, DEV_EUI)).isPresent();
    ns.update(DEV, d -> d.toBuilder().setSession(Session.newBuilder().setDevAddr("260B0001")).build(), true);
    assertThat(ns.byDevAddr(DevAddr.parse("260B0001"))).extracting(d -> d.getIds().getDeviceId())
        .containsExactly("dev1");
    EndDeviceIdentifiers missing = DEV.toBuilder().setDeviceId("nope").build();
    assertThatThrownBy(() -> ns.update(missing, d -> d, false))
        .isInstanceOf(ApiException.class).hasMessageContaining("not found");
  }

  @Test
  void applicationServerStoreKeepsSessionsWebhooksAndFormatters() {
    RegistryApplicationServerStore as = new RegistryApplicationServerStore(is.endDevices(), is.store());
    AsSession s = new AsSession(ByteString.copyFrom(new byte[] {1, 2, 3}),
        AesKey.parse("000102030405060708090A0B0C0D0E0F"), DevAddr.parse("260B0001"), 0xFFFF_FFF0L);
    as.putSession(DEV, s);
    AsSession back = as.session(DEV).orElseThrow();
    assertThat(back.sessionKeyId()).isEqualTo(s.sessionKeyId());
    assertThat(back.appSKey().toHex()).isEqualTo(s.appSKey().toHex());
    assertThat(back.devAddr()).isEqualTo(s.devAddr());
    assertThat(back.lastAFCntDown()).isEqualTo(0xFFFF_FFF0L);
    assertThat(as.endDevice(DEV)).isPresent();

    ApplicationWebhookIdentifiers hook = ApplicationWebhookIdentifiers.newBuilder()
        .setApplicationIds(DEV.getApplicationIds()).setWebhookId("hook1").build();
    as.putWebhook(ApplicationWebhook.newBuilder().setIds(hook).setBaseUrl("http://example.com").build());
    assertThat(as.webhooks(DEV.getApplicationIds())).hasSize(1);
    assertThat(as.webhook(hook)).isPresent();
    assertThat(as.deleteWebhook(hook)).isTrue();
    assertThat(as.deleteWebhook(hook)).isFalse();
    assertThat(as.webhooks(DEV.getApplicationIds())).isEmpty();
  }

  @Test
  void gatewayDirectoryMapsPlanDutyCycleAndAntennaGain() {
    UserIdentifiers admin = UserIdentifiers.newBuilder().setUserId("admin").build();
    is.gateways().create(Gateway.newBuilder()
        .setIds(GatewayIdentifiers.newBuilder().setGatewayId("gtw1").setEui("B827EBFFFE8DB887"))
        .setFrequencyPlanId("EU_863_870_TTN").addFrequencyPlanIds("EU_863_870_TTN").setEnforceDutyCycle(true)
        .addAntennas(GatewayAntenna.newBuilder().setGain(3)).build(), admin);
    RegistryGatewayDirectory dirOf = new RegistryGatewayDirectory(is.gateways(), "EU_863_870");
    RegisteredGateway g = dirOf.byEui(Eui64.parse("B827EBFFFE8DB887")).orElseThrow();
    assertThat(g.ids().getGatewayId()).isEqualTo("gtw1");
    assertThat(g.frequencyPlanId()).isEqualTo("EU_863_870_TTN");
    assertThat(g.enforceDutyCycle()).isTrue();
    assertThat(g.antennaGainDb()).isEqualTo(3.0);
    assertThat(dirOf.byEui(Eui64.parse("B827EBFFFE8DB888"))).isEmpty();
  }
}
