package dev.loralab.cli.packet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loralab.cli.LoraLab;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code loralab packet decode|derive-keys} on frames and keys from lorawan-vectors.json. */
class PacketCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonNode vectors;

  record Result(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + out, e);
      }
    }
  }

  @BeforeAll
  static void readVectors() throws IOException {
    String rel = "shared/reference/lorawan-vectors.json";
    for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
      for (Path c : List.of(d.resolve(rel), d.resolve("..").resolve(rel))) {
        if (Files.isRegularFile(c)) {
          vectors = JSON.readTree(c.toFile()).get("vectors");
          return;
        }
      }
    }
    throw new IllegalStateException("no " + rel);
  }

  private static JsonNode vector(String name) {
    for (JsonNode v : vectors) {
      if (v.get("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no vector " + name);
  }

  private static String in(String vector, String field) {
    return vector(vector).get("inputs").get(field).asText();
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = LoraLab.newCommandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private static Result decode(String... args) {
    List<String> all = new ArrayList<>(List.of("packet", "decode"));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  @Test
  void decodesA10UplinkWithKeys() {
    String v = "brocaar_1_0_fopts_plain";
    Result r = decode(in(v, "phypayload"), "--nwk-s-key", in(v, "nwk_s_key"), "--app-s-key", in(v, "app_s_key"));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.at("/m_hdr/m_type").asText()).isEqualTo("UNCONFIRMED_UP");
    assertThat(j.at("/m_hdr/major").asText()).isEqualTo("LORAWAN_R1");
    assertThat(j.at("/mac_payload/f_hdr/dev_addr").asText()).isEqualTo("01020304");
    assertThat(j.at("/mac_payload/f_hdr/f_cnt").asInt()).isZero();
    assertThat(j.at("/mac_payload/f_hdr/f_opts").asText()).isEqualTo("020305");
    assertThat(j.at("/mac_payload/f_port").asInt()).isEqualTo(1);
    assertThat(j.at("/mac_payload/frm_payload").asText()).isEqualTo("6A3798F5");
    assertThat(j.at("/mac_payload/frm_payload_decrypted").asText()).isEqualTo("01020304");
    assertThat(j.at("/mic").asText()).isEqualTo("B64DC039");
    assertThat(j.at("/mic_valid").asBoolean()).isTrue();
  }

  @Test
  void parsesMacCommandsFromFOptsAndFromAnFPort0Payload() {
    Result r = decode(in("brocaar_1_0_fopts_plain", "phypayload"));
    JsonNode cmds = r.json().at("/mac_payload/mac_commands");
    assertThat(cmds.size()).isEqualTo(2);
    assertThat(cmds.get(0).get("name").asText()).isEqualTo("LinkCheckReq");
    assertThat(cmds.get(1).get("name").asText()).isEqualTo("LinkADRAns");
    assertThat(cmds.get(1).get("cid").asText()).isEqualTo("03");
    assertThat(cmds.get(1).get("power_ack").asBoolean()).isTrue();
    assertThat(cmds.get(1).get("channel_mask_ack").asBoolean()).isTrue();

    String v = "lp_rekeyind_1_1";
    Result p = decode(in(v, "phypayload"), "--lorawan-version", "1.1", "--nwk-s-enc-key", in(v, "nwk_s_enc_key"));
    assertThat(p.exit()).as(p.err()).isZero();
    assertThat(p.json().at("/mac_payload/frm_payload_decrypted").asText()).isEqualTo("0B01");
    assertThat(p.json().at("/mac_payload/mac_commands/0/name").asText()).isEqualTo("RekeyInd");
    assertThat(p.json().at("/mac_payload/mac_commands/0/minor").asInt()).isEqualTo(1);
  }

  @Test
  void snakeCaseFieldNames() {
    assertThat(MacCommandsJson.snakeCase("rx1DrOffset")).isEqualTo("rx1_dr_offset");
    assertThat(MacCommandsJson.snakeCase("gpsSeconds")).isEqualTo("gps_seconds");
    assertThat(MacCommandsJson.snakeCase("minor")).isEqualTo("minor");
  }

  @Test
  void wrongKeyGivesMicInvalid() {
    String v = "brocaar_1_0_fopts_plain";
    Result r = decode(in(v, "phypayload"), "--nwk-s-key", "00000000000000000000000000000000");
    assertThat(r.exit()).isZero();
    assertThat(r.json().at("/mic_valid").asBoolean()).isFalse();
  }

  @Test
  void decodesBase64AndWithoutKeysHasNoMicVerdict() {
    String v = "brocaar_example_lorawan10_encode";
    Result r = decode(in(v, "phypayload_base64"));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.at("/m_hdr/m_type").asText()).isEqualTo("CONFIRMED_UP");
    assertThat(j.at("/mac_payload/f_port").asInt()).isEqualTo(10);
    assertThat(j.has("mic_valid")).isFalse();
  }

  @Test
  void decodesA11DownlinkWithEncryptedFOpts() {
    String v = "brocaar_example_lorawan11_encrypted_fopts";
    Result r = decode(in(v, "phypayload"), "--lorawan-version", "1.1",
        "--s-nwk-s-int-key", in(v, "s_nwk_s_int_key"), "--nwk-s-enc-key", in(v, "nwk_s_enc_key"),
        "--app-s-key", in(v, "app_s_key"));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.at("/m_hdr/m_type").asText()).isEqualTo("UNCONFIRMED_DOWN");
    assertThat(j.at("/mic_valid").asBoolean()).isTrue();
    assertThat(j.at("/mac_payload/f_opts_decrypted").asText()).isEqualTo("020701");
    assertThat(j.at("/mac_payload/frm_payload_decrypted").asText()).isEqualTo("01020304");
  }

  @Test
  void decodesA11UplinkWithTxParameters() {
    String v = "brocaar_1_1_frm_hello_ack";
    Result r = decode(in(v, "phypayload"), "--f-nwk-s-int-key", in(v, "f_nwk_s_int_key"),
        "--s-nwk-s-int-key", in(v, "s_nwk_s_int_key"), "--app-s-key", in(v, "app_s_key"),
        "--conf-f-cnt", "1", "--tx-dr", "2", "--tx-ch", "3");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.at("/mac_payload/f_hdr/f_ctrl/ack").asBoolean()).isTrue();
    assertThat(j.at("/mic_valid").asBoolean()).isTrue();
    assertThat(j.at("/mac_payload/frm_payload_decrypted").asText()).isEqualTo("68656C6C6F");
  }

  @Test
  void decryptsAJoinAcceptAndDerivesSessionKeys() {
    String v = "brocaar_example_join_accept_1_0";
    Result r = decode(vector(v).get("expected").get("phypayload").asText(), "--app-key", in(v, "key"),
        "--dev-nonce", in(v, "dev_nonce"));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.at("/m_hdr/m_type").asText()).isEqualTo("JOIN_ACCEPT");
    assertThat(j.at("/join_accept_payload/join_nonce").asText()).isEqualTo("010101");
    assertThat(j.at("/join_accept_payload/net_id").asText()).isEqualTo("020202");
    assertThat(j.at("/join_accept_payload/dev_addr").asText()).isEqualTo("01020304");
    assertThat(j.at("/join_accept_payload/dl_settings/opt_neg").asBoolean()).isFalse();
    assertThat(j.at("/mic").asText()).isEqualTo("3449F212");
    assertThat(j.at("/mic_valid").asBoolean()).isTrue();
    // same inputs through derive-keys
    Result d = run("packet", "derive-keys", "--app-key", in(v, "key"), "--join-nonce", "010101",
        "--net-id", "020202", "--dev-nonce", in(v, "dev_nonce"));
    assertThat(d.exit()).as(d.err()).isZero();
    assertThat(j.at("/session_keys")).isEqualTo(d.json().at("/session_keys"));
  }

  @Test
  void decodesTheJoinAcceptVectorWithoutSessionKeysWhenNoDevNonce() {
    String v = "brocaar_join_accept_decrypt";
    Result r = decode(in(v, "phypayload"), "--app-key", in(v, "key"));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.at("/join_accept_payload/dev_addr").asText()).isEqualTo("02031980");
    assertThat(j.at("/mic_valid").asBoolean()).isTrue();
    assertThat(j.has("session_keys")).isFalse();
  }

  @Test
  void verifiesAJoinRequestMic() {
    String v = "brocaar_example_join_request";
    Result r = decode(vector(v).get("expected").get("phypayload").asText(), "--app-key", in(v, "key"));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.at("/join_request_payload/join_eui").asText()).isEqualTo("0101010101010101");
    assertThat(j.at("/join_request_payload/dev_nonce").asText()).isEqualTo("0303");
    assertThat(j.at("/mic_valid").asBoolean()).isTrue();
  }

  @Test
  void verifiesARejoinType0Mic() {
    String v = "ttn_rejoin_type0_mic";
    String phy = in(v, "msg") + vector(v).get("expected").get("mic").asText();
    Result r = decode(phy, "--s-nwk-s-int-key", in(v, "key"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.json().at("/rejoin_request_payload/rejoin_type").asText()).isEqualTo("CONTEXT");
    assertThat(r.json().at("/mic_valid").asBoolean()).isTrue();
  }

  @Test
  void derivesLoRaWan11Keys() {
    String v = "brocaar_js_derive_1_1";
    Result r = run("packet", "derive-keys", "--lorawan-version", "1.1", "--nwk-key", in(v, "nwk_key"),
        "--app-key", in(v, "app_key"), "--join-nonce", in(v, "join_nonce"), "--join-eui", in(v, "join_eui"),
        "--dev-nonce", in(v, "dev_nonce"), "--dev-eui", "0000000000000001");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode ex = vector(v).get("expected");
    JsonNode j = r.json();
    for (String k : List.of("f_nwk_s_int_key", "s_nwk_s_int_key", "nwk_s_enc_key", "app_s_key")) {
      assertThat(j.at("/session_keys/" + k + "/key").asText()).isEqualTo(ex.get(k).asText());
    }
    assertThat(j.has("js_int_key")).isTrue();
  }

  @Test
  void derivesLoRaWan10Keys() {
    String v = "ttn_derive_1_0";
    Result r = run("packet", "derive-keys", "--app-key", in(v, "key"), "--join-nonce", in(v, "join_nonce"),
        "--net-id", in(v, "net_id"), "--dev-nonce", in(v, "dev_nonce"));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode ex = vector(v).get("expected");
    assertThat(r.json().at("/session_keys/nwk_s_key/key").asText()).isEqualTo(ex.get("nwk_s_key").asText());
    assertThat(r.json().at("/session_keys/app_s_key/key").asText()).isEqualTo(ex.get("app_s_key").asText());
  }

  @Test
  void invalidInputIsOneLineOnStderrWithExitStatus2() {
    assertInvalid(decode("not-hex!"), "frame");
    assertInvalid(decode("40"), "invalid frame");
    assertInvalid(decode("4004030201030000020305016A3798F5B64DC039", "--nwk-s-key", "0102"), "--nwk-s-key");
    assertInvalid(decode("4004030201030000020305016A3798F5B64DC039", "--lorawan-version", "2.0"),
        "--lorawan-version");
    assertInvalid(decode("4004030201030000020305016A3798F5B64DC039", "--f-cnt", "65537"), "--f-cnt");
    assertInvalid(run("packet", "derive-keys", "--join-nonce", "010203", "--dev-nonce", "0102",
        "--net-id", "000013"), "--app-key");
    assertInvalid(run("packet", "derive-keys", "--lorawan-version", "1.1", "--nwk-key",
        "01020304050607080102030405060708", "--app-key", "01020304050607080102030405060708",
        "--join-nonce", "010203", "--dev-nonce", "0102"), "--join-eui");
  }

  private static void assertInvalid(Result r, String mentions) {
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(LoraLab.EXIT_INVALID_INPUT);
    assertThat(r.err().strip()).contains(mentions).doesNotContain("\n");
    assertThat(r.out()).isEmpty();
  }
}
