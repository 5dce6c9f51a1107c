package dev.loralab.identityserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CRUD of every entity over real HTTP, with rights enforced on every endpoint. */
class IdentityHttpTest {
  static final String OTAA = """
      {"end_device":{"ids":{"device_id":"dev1","dev_eui":"0004a30b001c0530","join_eui":"70B3D57ED0000000"},
       "name":"Device 1","lorawan_version":"MAC_V1_0_3","lorawan_phy_version":"RP001_V1_0_3_REV_A",
       "frequency_plan_id":"EU_863_870_TTN","supports_join":true,
       "root_keys":{"app_key":{"key":"2B7E151628AED2A6ABF7158809CF4F3C"}}}}""";
  static final String ABP = """
      {"end_device":{"ids":{"device_id":"abp1"},"lorawan_version":"MAC_V1_0_2",
       "frequency_plan_id":"EU_863_870_TTN","supports_join":false,"supports_class_c":true,
       "session":{"dev_addr":"26011234","keys":{"f_nwk_s_int_key":{"key":"000102030405060708090A0B0C0D0E0F"},
         "app_s_key":{"key":"101112131415161718191A1B1C1D1E1F"}}},
       "mac_settings":{"rx1_delay":1,"rx2_data_rate_index":3,"adr":{"use_adr":false}}}}""";

  @TempDir Path dir;
  HttpFixture f;
  String alice;

  @BeforeEach
  void start() throws Exception {
    f = HttpFixture.start(dir);
    alice = f.user("alice", "RIGHT_USER_ALL");
  }

  @AfterEach
  void stop() {
    f.close();
  }

  void createApp(String token, String id) {
    f.post("/api/v3/users/alice/applications", token,
        "{\"application\":{\"ids\":{\"application_id\":\"" + id + "\"},\"name\":\"App " + id + "\"}}")
        .expect(200);
  }

  @Test
  void applicationCrud() {
    HttpFixture.Reply created = f.post("/api/v3/users/alice/applications", alice,
        "{\"application\":{\"ids\":{\"application_id\":\"app1\"},\"name\":\"First\"}}").expect(200);
    assertThat(created.json().at("/ids/application_id").asText()).isEqualTo("app1");
    assertThat(created.json().has("created_at")).isTrue();
    f.post("/api/v3/users/alice/applications", alice,
        "{\"application\":{\"ids\":{\"application_id\":\"app1\"}}}").expect(409);

    assertThat(f.get("/api/v3/applications/app1", alice).expect(200).json().get("name").asText())
        .isEqualTo("First");
    f.put("/api/v3/applications/app1", alice,
        "{\"application\":{\"name\":\"Renamed\",\"description\":\"d\"},\"field_mask\":{\"paths\":[\"name\"]}}")
        .expect(200);
    JsonNode got = f.get("/api/v3/applications/app1", alice).expect(200).json();
    assertThat(got.get("name").asText()).isEqualTo("Renamed");
    assertThat(got.has("description")).isFalse();
    JsonNode masked = f.get("/api/v3/applications/app1?field_mask=description", alice).expect(200).json();
    assertThat(masked.has("name")).isFalse();
    assertThat(masked.at("/ids/application_id").asText()).isEqualTo("app1");

    createApp(alice, "app2");
    HttpFixture.Reply list = f.get("/api/v3/users/alice/applications", alice).expect(200);
    assertThat(list.json().get("applications")).hasSize(2);
    assertThat(list.headers().firstValue("X-Total-Count")).contains("2");
    assertThat(f.get("/api/v3/applications", alice).expect(200).json().get("applications")).hasSize(2);

    f.delete("/api/v3/applications/app1", alice).expect(200);
    f.get("/api/v3/applications/app1", f.adminToken).expect(404);
    f.delete("/api/v3/applications/app1", f.adminToken).expect(404);
  }

  @Test
  void listsArePaged() {
    for (String id : new String[] {"app-a", "app-b", "app-c"}) {
      createApp(alice, id);
    }
    HttpFixture.Reply p2 = f.get("/api/v3/applications?limit=2&page=2", alice).expect(200);
    assertThat(p2.json().get("applications")).hasSize(1);
    assertThat(p2.json().at("/applications/0/ids/application_id").asText()).isEqualTo("app-c");
    assertThat(p2.headers().firstValue("X-Total-Count")).contains("3");
    f.get("/api/v3/applications?limit=x", alice).expect(400);
    f.get("/api/v3/applications?page=-1", alice).expect(400);
  }

  @Test
  void gatewayCrudWithUniqueEui() {
    String body = """
        {"gateway":{"ids":{"gateway_id":"gtw1","eui":"b827ebfffe000001"},"name":"Roof",
         "frequency_plan_id":"EU_863_870_TTN","require_authenticated_connection":false,
         "antennas":[{"location":{"latitude":52.1,"longitude":4.3,"altitude":10}}]}}""";
    JsonNode g = f.post("/api/v3/users/alice/gateways", alice, body).expect(200).json();
    assertThat(g.at("/ids/eui").asText()).isEqualTo("B827EBFFFE000001");
    assertThat(g.at("/frequency_plan_ids/0").asText()).isEqualTo("EU_863_870_TTN");
    f.post("/api/v3/users/alice/gateways", alice, body.replace("gtw1", "gtw2")).expect(409);
    f.post("/api/v3/users/alice/gateways", alice, body).expect(409);
    assertThat(f.server.gateways().getByEui("b827ebfffe000001")).isPresent();

    f.put("/api/v3/gateways/gtw1", alice,
        "{\"gateway\":{\"frequency_plan_id\":\"US_902_928_FSB_2\"},\"field_mask\":{\"paths\":[\"frequency_plan_id\"]}}")
        .expect(200);
    JsonNode got = f.get("/api/v3/gateways/gtw1", alice).expect(200).json();
    assertThat(got.get("frequency_plan_id").asText()).isEqualTo("US_902_928_FSB_2");
    assertThat(got.at("/frequency_plan_ids/0").asText()).isEqualTo("US_902_928_FSB_2");
    assertThat(got.at("/antennas/0/location/latitude").asDouble()).isEqualTo(52.1);
    assertThat(f.get("/api/v3/users/alice/gateways", alice).expect(200).json().get("gateways")).hasSize(1);
    assertThat(f.get("/api/v3/gateways", alice).expect(200).json().get("gateways")).hasSize(1);

    f.delete("/api/v3/gateways/gtw1", alice).expect(200);
    f.get("/api/v3/gateways/gtw1", f.adminToken).expect(404);
    assertThat(f.server.gateways().getByEui("B827EBFFFE000001")).isEmpty();
    f.post("/api/v3/users/alice/gateways", alice, body.replace("gtw1", "gtw2")).expect(200);
  }

  @Test
  void endDeviceCrudHidesSecretsUnlessAskedAndAllowed() {
    createApp(alice, "app1");
    JsonNode created = f.post("/api/v3/applications/app1/devices", alice, OTAA).expect(200).json();
    assertThat(created.at("/ids/dev_eui").asText()).isEqualTo("0004A30B001C0530");
    assertThat(created.at("/ids/application_ids/application_id").asText()).isEqualTo("app1");
    f.post("/api/v3/applications/app1/devices", alice, OTAA).expect(409);
    f.post("/api/v3/applications/app1/devices", alice, OTAA.replace("dev1", "dev2")).expect(409);

    JsonNode plain = f.get("/api/v3/applications/app1/devices/dev1", alice).expect(200).json();
    assertThat(plain.get("name").asText()).isEqualTo("Device 1");
    assertThat(plain.get("supports_join").asBoolean()).isTrue();
    assertThat(plain.has("root_keys")).isFalse();
    JsonNode keys = f.get("/api/v3/applications/app1/devices/dev1?field_mask=root_keys.app_key", alice)
        .expect(200).json();
    assertThat(keys.at("/root_keys/app_key/key").asText()).isEqualTo("2B7E151628AED2A6ABF7158809CF4F3C");
    assertThat(keys.has("name")).isFalse();

    f.post("/api/v3/applications/app1/devices", alice, ABP).expect(200);
    HttpFixture.Reply list = f.get("/api/v3/applications/app1/devices", alice).expect(200);
    assertThat(list.json().get("end_devices")).hasSize(2);
    assertThat(list.body()).doesNotContain("2B7E151628AED2A6ABF7158809CF4F3C")
        .doesNotContain("000102030405060708090A0B0C0D0E0F");
    assertThat(list.headers().firstValue("X-Total-Count")).contains("2");
    assertThat(f.server.endDevices().byDevAddr("26011234")).hasSize(1);

    f.put("/api/v3/applications/app1/devices/abp1", alice,
        "{\"end_device\":{\"mac_settings\":{\"rx1_delay\":5,\"adr\":{\"use_adr\":true}}},"
            + "\"field_mask\":{\"paths\":[\"mac_settings\"]}}").expect(200);
    JsonNode abp = f.get("/api/v3/applications/app1/devices/abp1?field_mask=mac_settings,session.dev_addr",
        alice).expect(200).json();
    assertThat(abp.at("/mac_settings/rx1_delay").asInt()).isEqualTo(5);
    assertThat(abp.at("/mac_settings/adr/use_adr").asBoolean()).isTrue();
    assertThat(abp.at("/session/dev_addr").asText()).isEqualTo("26011234");
    assertThat(abp.at("/session/keys").isMissingNode()).isTrue();

    // Secrets survive an update that does not touch them.
    JsonNode sk = f.get("/api/v3/applications/app1/devices/abp1?field_mask=session.keys", alice)
        .expect(200).json();
    assertThat(sk.at("/session/keys/app_s_key/key").asText()).isEqualTo("101112131415161718191A1B1C1D1E1F");

    f.put("/api/v3/applications/app1/devices/abp1", alice,
        "{\"end_device\":{\"session\":{\"dev_addr\":\"26015678\",\"keys\":{"
            + "\"f_nwk_s_int_key\":{\"key\":\"000102030405060708090A0B0C0D0E0F\"},"
            + "\"app_s_key\":{\"key\":\"101112131415161718191A1B1C1D1E1F\"}}}},"
            + "\"field_mask\":{\"paths\":[\"session\"]}}").expect(200);
    assertThat(f.server.endDevices().byDevAddr("26011234")).isEmpty();
    assertThat(f.server.endDevices().byDevAddr("26015678")).hasSize(1);

    f.delete("/api/v3/applications/app1/devices/dev1", alice).expect(200);
    f.get("/api/v3/applications/app1/devices/dev1", alice).expect(404);
    f.delete("/api/v3/applications/app1/devices/dev1", alice).expect(404);
    assertThat(f.server.endDevices().getByEui("70B3D57ED0000000", "0004A30B001C0530")).isEmpty();

    // Deleting the application deletes its devices.
    f.delete("/api/v3/applications/app1", alice).expect(200);
    assertThat(f.server.endDevices().list("app1")).isEmpty();
  }

  @Test
  void authInfoNamesTheKeyAndItsOwnerWithoutTheSecret() {
    JsonNode info = f.get("/api/v3/auth_info", alice).expect(200).json();
    assertThat(info.at("/api_key/entity_ids/user_ids/user_id").asText()).isEqualTo("alice");
    String id = alice.split("\\.")[1];
    assertThat(info.at("/api_key/api_key/id").asText()).isEqualTo(id);
    assertThat(info.at("/api_key/api_key/name").asText()).isEqualTo("test");
    assertThat(info.at("/api_key/api_key/rights/0").asText()).isEqualTo("RIGHT_USER_ALL");
    assertThat(info.at("/api_key/api_key").has("key")).isFalse();
    assertThat(info.toString()).doesNotContain(alice).doesNotContain("PBKDF2");
    assertThat(info.path("is_admin").asBoolean(false)).isFalse();
    assertThat(info.has("universal_rights")).isFalse();

    JsonNode admin = f.get("/api/v3/auth_info", f.adminToken).expect(200).json();
    assertThat(admin.at("/api_key/entity_ids/user_ids/user_id").asText()).isEqualTo("admin");
    assertThat(admin.get("is_admin").asBoolean()).isTrue();
    assertThat(admin.at("/universal_rights/rights/0").asText()).isEqualTo("RIGHT_ALL");
    assertThat(admin.toString()).doesNotContain(f.adminToken);

    createApp(alice, "app1");
    String appKey = f.apiKey("applications", "app1", "RIGHT_APPLICATION_INFO");
    JsonNode app = f.get("/api/v3/auth_info", appKey).expect(200).json();
    assertThat(app.at("/api_key/entity_ids/application_ids/application_id").asText())
        .isEqualTo("app1");
    assertThat(app.at("/api_key/api_key/rights/0").asText()).isEqualTo("RIGHT_APPLICATION_INFO");

    f.get("/api/v3/auth_info", null).expect(401);
    f.get("/api/v3/auth_info", "NNSXS.NOPE.NOPE").expect(401);
  }

  @Test
  void apiKeysOfUsersApplicationsAndGateways() {
    createApp(alice, "app1");
    f.post("/api/v3/users/alice/gateways", alice,
        "{\"gateway\":{\"ids\":{\"gateway_id\":\"gtw1\"},\"frequency_plan_id\":\"EU_863_870_TTN\"}}")
        .expect(200);
    for (String base : new String[] {"/api/v3/users/alice", "/api/v3/applications/app1",
        "/api/v3/gateways/gtw1"}) {
      String right = base.contains("users") ? "RIGHT_USER_INFO"
          : base.contains("applications") ? "RIGHT_APPLICATION_INFO" : "RIGHT_GATEWAY_INFO";
      JsonNode key = f.post(base + "/api-keys", alice,
          "{\"name\":\"k\",\"rights\":[\"" + right + "\"]}").expect(200).json();
      String id = key.get("id").asText();
      assertThat(key.get("key").asText()).startsWith("NNSXS." + id + ".");
      HttpFixture.Reply list = f.get(base + "/api-keys", alice).expect(200);
      assertThat(list.body()).contains(id).doesNotContain(key.get("key").asText())
          .doesNotContain("PBKDF2");
      JsonNode one = f.get(base + "/api-keys/" + id, alice).expect(200).json();
      assertThat(one.get("rights").get(0).asText()).isEqualTo(right);
      assertThat(one.has("key")).isFalse();
      f.put(base + "/api-keys/" + id, alice,
          "{\"api_key\":{\"name\":\"renamed\",\"rights\":[\"" + right + "\"]}}").expect(200);
      assertThat(f.get(base + "/api-keys/" + id, alice).expect(200).json().get("name").asText())
          .isEqualTo("renamed");
      f.get(base.replace("/api/v3", "/api/v3") + "", key.get("key").asText()).expect(200);
      f.delete(base + "/api-keys/" + id, alice).expect(200);
      f.get(base + "/api-keys/" + id, alice).expect(404);
      f.get(base, key.get("key").asText()).expect(401);
    }
    // A key cannot grant rights its creator lacks; app keys hold only application rights.
    String info = f.apiKey("applications", "app1", "RIGHT_APPLICATION_SETTINGS_API_KEYS");
    f.post("/api/v3/applications/app1/api-keys", info,
        "{\"rights\":[\"RIGHT_APPLICATION_DEVICES_WRITE\"]}").expect(403);
    f.post("/api/v3/applications/app1/api-keys", alice,
        "{\"rights\":[\"RIGHT_GATEWAY_INFO\"]}").expect(400);
    f.post("/api/v3/applications/app1/api-keys", alice, "{\"rights\":[]}").expect(400);
  }

  @Test
  void rightsAreEnforcedOnEveryEndpoint() {
    String bob = f.user("bob", "RIGHT_USER_ALL");
    createApp(alice, "app-a");
    f.post("/api/v3/users/bob/applications", bob,
        "{\"application\":{\"ids\":{\"application_id\":\"app-b\"}}}").expect(200);
    f.post("/api/v3/applications/app-b/devices", bob, OTAA).expect(200);
    f.post("/api/v3/users/bob/gateways", bob,
        "{\"gateway\":{\"ids\":{\"gateway_id\":\"gtw-b\"},\"frequency_plan_id\":\"EU_863_870_TTN\"}}")
        .expect(200);
    String keyA = f.apiKey("applications", "app-a", "RIGHT_APPLICATION_ALL");
    String gtwKey = f.apiKey("gateways", "gtw-b", "RIGHT_GATEWAY_ALL");

    // Application A's key on application B.
    f.get("/api/v3/applications/app-b", keyA).expect(403);
    f.put("/api/v3/applications/app-b", keyA, "{\"application\":{\"name\":\"x\"}}").expect(403);
    f.delete("/api/v3/applications/app-b", keyA).expect(403);
    f.get("/api/v3/applications/app-b/devices", keyA).expect(403);
    f.get("/api/v3/applications/app-b/devices/dev1", keyA).expect(403);
    f.post("/api/v3/applications/app-b/devices", keyA, OTAA.replace("dev1", "dev9")).expect(403);
    f.put("/api/v3/applications/app-b/devices/dev1", keyA, "{\"end_device\":{\"name\":\"x\"}}").expect(403);
    f.delete("/api/v3/applications/app-b/devices/dev1", keyA).expect(403);
    f.get("/api/v3/applications/app-b/api-keys", keyA).expect(403);
    f.post("/api/v3/applications/app-b/api-keys", keyA, "{\"rights\":[\"RIGHT_APPLICATION_INFO\"]}").expect(403);
    f.get("/api/v3/applications/app-a", keyA).expect(200);
    assertThat(f.get("/api/v3/applications", keyA).expect(200).json().get("applications")).hasSize(1);
    // Users cannot reach each other's entities.
    f.get("/api/v3/applications/app-b", alice).expect(403);
    f.post("/api/v3/users/bob/applications", alice,
        "{\"application\":{\"ids\":{\"application_id\":\"app-c\"}}}").expect(403);
    f.get("/api/v3/users/bob/applications", alice).expect(403);
    f.get("/api/v3/users/bob/api-keys", alice).expect(403);
    f.get("/api/v3/gateways/gtw-b", alice).expect(403);
    // Gateway keys cannot touch applications or users.
    f.get("/api/v3/applications/app-a", gtwKey).expect(403);
    f.get("/api/v3/applications/app-b/devices", gtwKey).expect(403);
    f.post("/api/v3/users/bob/applications", gtwKey,
        "{\"application\":{\"ids\":{\"application_id\":\"app-c\"}}}").expect(403);
    f.get("/api/v3/gateways/gtw-b", gtwKey).expect(200);
    // Application keys cannot manage users or create applications.
    f.post("/api/v3/users/alice/applications", keyA,
        "{\"application\":{\"ids\":{\"application_id\":\"app-c\"}}}").expect(403);
    f.post("/api/v3/users", alice, "{\"user\":{\"ids\":{\"user_id\":\"eve\"}}}").expect(403);
    f.get("/api/v3/users", alice).expect(403);
    // A key with INFO only: no devices, no keys, no secrets.
    String infoOnly = f.apiKey("applications", "app-a", "RIGHT_APPLICATION_INFO");
    f.get("/api/v3/applications/app-a", infoOnly).expect(200);
    f.get("/api/v3/applications/app-a/devices", infoOnly).expect(403);
    f.put("/api/v3/applications/app-a", infoOnly, "{\"application\":{\"name\":\"x\"}}").expect(403);
    f.delete("/api/v3/applications/app-a", infoOnly).expect(403);
    String readOnly = f.apiKey("applications", "app-b", "RIGHT_APPLICATION_DEVICES_READ");
    f.get("/api/v3/applications/app-b/devices/dev1", readOnly).expect(200);
    f.get("/api/v3/applications/app-b/devices/dev1?field_mask=root_keys", readOnly).expect(403);
    f.put("/api/v3/applications/app-b/devices/dev1", readOnly, "{\"end_device\":{\"name\":\"x\"}}").expect(403);
  }

  @Test
  void badCredentialsAre401() {
    createApp(alice, "app1");
    f.get("/api/v3/applications/app1", null).expect(401);
    f.get("/api/v3/applications/app1", "garbage").expect(401);
    String key = f.apiKey("applications", "app1", "RIGHT_APPLICATION_ALL");
    String[] parts = key.split("\\.");
    f.get("/api/v3/applications/app1", parts[0] + "." + parts[1] + "." + "A".repeat(52)).expect(401);
    f.get("/api/v3/applications/app1", parts[0] + "." + "B".repeat(39) + "." + parts[2]).expect(401);
    JsonNode err = f.get("/api/v3/applications/app1", "garbage").json();
    assertThat(err.get("code").asInt()).isEqualTo(16);
    assertThat(err.get("message").asText()).isNotEmpty();

    String expiring = f.post("/api/v3/applications/app1/api-keys", alice,
        "{\"rights\":[\"RIGHT_APPLICATION_INFO\"],\"expires_at\":\"2026-01-01T01:00:00Z\"}")
        .expect(200).json().get("key").asText();
    f.get("/api/v3/applications/app1", expiring).expect(200);
    f.clock.advance(Duration.ofHours(2));
    f.get("/api/v3/applications/app1", expiring).expect(401);
    f.post("/api/v3/applications/app1/api-keys", alice,
        "{\"rights\":[\"RIGHT_APPLICATION_INFO\"],\"expires_at\":\"2026-01-01T01:00:00Z\"}").expect(400);
  }

  @Test
  void malformedBodiesAre400NamingTheField() {
    createApp(alice, "app1");
    String path = "/api/v3/applications/app1/devices";
    assertThat(f.post(path, alice, "{not json").expect(400).json().get("code").asInt()).isEqualTo(3);
    f.post(path, alice, "[1,2]").expect(400);
    f.post(path, alice, "\"x\"").expect(400);
    f.post(path, alice, "{}").expect(400);
    f.post(path, alice, "{\"end_device\":5}").expect(400);
    f.post(path, alice, "{\"end_device\":{\"bogus\":1}}").expect(400);
    f.post(path, alice, OTAA.replace("\"MAC_V1_0_3\"", "\"MAC_V9\"")).expect(400);
    assertThat(f.post(path, alice, OTAA.replace("0004a30b001c0530", "0004a30b001c05")).expect(400)
        .json().get("message").asText()).contains("end_device.ids.dev_eui");
    assertThat(f.post(path, alice, OTAA.replace("2B7E151628AED2A6ABF7158809CF4F3C", "zz")).expect(400)
        .json().get("message").asText()).contains("end_device.root_keys.app_key");
    assertThat(f.post(path, alice, OTAA.replace("\"dev1\"", "\"Dev_1\"")).expect(400)
        .json().get("message").asText()).contains("end_device.ids.device_id");
    assertThat(f.post(path, alice, OTAA.replace("\"EU_863_870_TTN\"", "\"\"")).expect(400)
        .json().get("message").asText()).contains("frequency_plan_id");
    assertThat(f.post(path, alice, ABP.replace("\"26011234\"", "\"2601\"")).expect(400)
        .json().get("message").asText()).contains("end_device.session.dev_addr");
    assertThat(f.post(path, alice, OTAA.replace(",\"supports_join\":true", "")).expect(400)
        .json().get("message").asText()).contains("end_device.session");
    f.post(path, alice, ABP.replace("\"rx1_delay\":1", "\"rx1_delay\":99")).expect(400);
    f.post(path, alice, ABP.replace("\"rx1_delay\":1", "\"rx1_delay\":\"soon\"")).expect(400);
    f.post(path, alice, ABP.replace("\"rx1_delay\":1", "\"rx1_delay\":-1")).expect(400);
    f.post("/api/v3/applications/app2/devices", alice, OTAA.replace("\"dev1\",",
        "\"dev1\",\"application_ids\":{\"application_id\":\"app1\"},")).expect(400);
    f.post(path, alice, OTAA.replace("\"dev1\",",
        "\"dev1\",\"application_ids\":{\"application_id\":\"other\"},")).expect(400);
    f.post(path, alice, OTAA).expect(200);
    String dev = path + "/dev1";
    f.put(dev, alice, "{\"end_device\":{},\"field_mask\":{\"paths\":[\"no_such_field\"]}}").expect(400);
    f.put(dev, alice, "{\"end_device\":{},\"field_mask\":{\"paths\":[\"ids.device_id\"]}}").expect(400);
    f.put(dev, alice, "{\"end_device\":{},\"field_mask\":7}").expect(400);
    f.get(dev + "?field_mask=nope", alice).expect(400);
    f.put(dev, alice, "{\"end_device\":{\"lorawan_version\":\"MAC_UNKNOWN\"},"
        + "\"field_mask\":{\"paths\":[\"lorawan_version\"]}}").expect(400);
    f.post("/api/v3/users/alice/applications", alice, "{\"application\":{\"ids\":{\"application_id\":\"A\"}}}")
        .expect(400);
    f.post("/api/v3/users/alice/applications", alice,
        "{\"application\":{\"ids\":{\"application_id\":\"" + "a".repeat(37) + "\"}}}").expect(400);
    f.post("/api/v3/users/alice/gateways", alice,
        "{\"gateway\":{\"ids\":{\"gateway_id\":\"gtw1\",\"eui\":\"xyz\"},\"frequency_plan_id\":\"EU\"}}")
        .expect(400);
    f.post("/api/v3/users/alice/api-keys", alice, "{\"rights\":[\"RIGHT_NOPE\"]}").expect(400);
    f.post("/api/v3/users/alice/api-keys", alice, "{\"expires_at\":\"yesterday\"}").expect(400);
    f.get("/api/v3/applications/BAD_ID", alice).expect(400);
  }

  @Test
  void usersAreManagedByTheAdmin() {
    assertThat(f.get("/api/v3/users", f.adminToken).expect(200).json().get("users")).hasSize(2);
    f.post("/api/v3/users", f.adminToken, "{\"user\":{\"ids\":{\"user_id\":\"alice\"}}}").expect(409);
    assertThat(f.get("/api/v3/users/alice", alice).expect(200).json().at("/ids/user_id").asText())
        .isEqualTo("alice");
    createApp(alice, "app1");
    f.delete("/api/v3/users/alice", alice).expect(412);
    f.delete("/api/v3/applications/app1", alice).expect(200);
    f.delete("/api/v3/users/alice", alice).expect(200);
    f.get("/api/v3/users/alice", alice).expect(401);
    f.get("/api/v3/users/alice", f.adminToken).expect(404);
  }

  @Test
  void everyDocumentedRouteIsRegistered() {
    assertThat(IdentityHttpRoutes.routes()).contains(
        "POST /api/v3/users/{user_id}/api-keys", "POST /api/v3/users/{user_id}/applications",
        "POST /api/v3/users/{user_id}/gateways", "GET /api/v3/applications/{application_id}",
        "PUT /api/v3/applications/{application_id}", "DELETE /api/v3/applications/{application_id}",
        "GET /api/v3/gateways/{gateway_id}", "PUT /api/v3/gateways/{gateway_id}",
        "DELETE /api/v3/gateways/{gateway_id}", "POST /api/v3/applications/{application_id}/devices",
        "GET /api/v3/applications/{application_id}/devices/{device_id}",
        "PUT /api/v3/applications/{application_id}/devices/{device_id}",
        "DELETE /api/v3/applications/{application_id}/devices/{device_id}",
        "POST /api/v3/applications/{application_id}/api-keys",
        "POST /api/v3/gateways/{gateway_id}/api-keys");
  }
}
