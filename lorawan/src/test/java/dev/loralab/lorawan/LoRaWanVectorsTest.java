package dev.loralab.lorawan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loralab.lorawan.crypto.Mics;
import dev.loralab.lorawan.crypto.PayloadCipher;
import dev.loralab.lorawan.crypto.PingSlotOffset;
import dev.loralab.lorawan.crypto.SessionKeyDerivation;
import dev.loralab.lorawan.crypto.SessionKeys10;
import dev.loralab.lorawan.crypto.SessionKeys11;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every entry of {@code shared/reference/lorawan-vectors.json}, read at test time. A vector
 * of an unknown kind fails, so new entries cannot be skipped silently.
 */
class LoRaWanVectorsTest {

  private static final String VECTORS = "shared/reference/lorawan-vectors.json";

  private static final Map<String, Consumer<JsonNode>> KINDS = Map.ofEntries(
      Map.entry("class_b_ping_offset", LoRaWanVectorsTest::pingOffset),
      Map.entry("data_down_mic", LoRaWanVectorsTest::dataDownMic),
      Map.entry("data_up_mic_1_0", LoRaWanVectorsTest::dataUpMic10),
      Map.entry("data_up_mic_1_1", LoRaWanVectorsTest::dataUpMic11),
      Map.entry("derive_1_0", LoRaWanVectorsTest::derive10),
      Map.entry("derive_1_1", LoRaWanVectorsTest::derive11),
      Map.entry("derive_js", LoRaWanVectorsTest::deriveJs),
      Map.entry("fcnt_reconstruct", LoRaWanVectorsTest::fCntReconstruct),
      Map.entry("fopts_encrypt_1_1", LoRaWanVectorsTest::fOptsEncrypt),
      Map.entry("frm_encrypt", LoRaWanVectorsTest::frmEncrypt),
      Map.entry("full_phypayload_decode", FullPhyPayloadVectors::check),
      Map.entry("gps_time", LoRaWanVectorsTest::gpsTime),
      Map.entry("join_accept_build", LoRaWanVectorsTest::joinAcceptBuild),
      Map.entry("join_accept_encrypt", LoRaWanVectorsTest::joinAcceptEncrypt),
      Map.entry("join_accept_mic_1_0", LoRaWanVectorsTest::joinAcceptMic10),
      Map.entry("join_accept_mic_1_1", LoRaWanVectorsTest::joinAcceptMic11),
      Map.entry("join_request_mic", LoRaWanVectorsTest::joinRequestMic),
      Map.entry("mac_command_payload", MacCommandVectors::check),
      Map.entry("rejoin_request_mic", LoRaWanVectorsTest::rejoinMic));

  /** Locates the vectors file from the working directory: {@code <ancestor>/shared} or its sibling. */
  static Path vectorsFile() {
    Path dir = Paths.get("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      for (Path candidate : List.of(d.resolve(VECTORS), d.resolve("..").resolve(VECTORS))) {
        if (Files.isRegularFile(candidate)) {
          return candidate.normalize();
        }
      }
    }
    throw new IllegalStateException("no " + VECTORS + " above " + dir);
  }

  static JsonNode vectors() throws IOException {
    return new ObjectMapper().readTree(vectorsFile().toFile()).get("vectors");
  }

  @Test
  void fileHasAllVectors() throws IOException {
    assertThat(vectors().size()).isGreaterThanOrEqualTo(67);
  }

  @TestFactory
  Stream<DynamicTest> everyVector() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode v : vectors()) {
      String kind = v.get("kind").asText();
      tests.add(dynamicTest(v.get("name").asText() + " [" + kind + "]", () -> {
        Consumer<JsonNode> check = KINDS.get(kind);
        assertThat(check).as("handler for vector kind %s", kind).isNotNull();
        check.accept(v);
      }));
    }
    return tests.stream();
  }

  // ---- kinds ----

  private static void pingOffset(JsonNode v) {
    JsonNode in = v.get("inputs");
    int offset = PingSlotOffset.compute(in.get("beacon_time").asLong(),
        DevAddr.parse(text(in, "dev_addr")), in.get("ping_period").asInt());
    assertThat(offset).isEqualTo(v.get("expected").get("ping_offset").asInt());
  }

  private static void dataDownMic(JsonNode v) {
    JsonNode in = v.get("inputs");
    byte[] msg = hex(text(in, "msg"));
    DevAddr devAddr = in.has("dev_addr") ? DevAddr.parse(text(in, "dev_addr")) : devAddrOf(msg);
    long fCnt = in.has("fcnt") ? in.get("fcnt").asLong() : fCnt16Of(msg);
    Mic mic = Mics.dataDownlinkMic(key(in, "key"), devAddr, fCnt, in.get("conf_fcnt").asInt(), msg);
    assertThat(mic).isEqualTo(expectedMic(v));
  }

  private static void dataUpMic10(JsonNode v) {
    JsonNode in = v.get("inputs");
    byte[] msg = hex(text(in, "msg"));
    Mic mic = Mics.dataUplinkMic10(key(in, "key"), devAddrOf(msg), fCnt16Of(msg), msg);
    assertThat(mic).isEqualTo(expectedMic(v));
    if (v.get("expected").has("phypayload")) {
      assertThat(concat(msg, mic.toBytes())).isEqualTo(hex(text(v.get("expected"), "phypayload")));
    }
  }

  private static void dataUpMic11(JsonNode v) {
    JsonNode in = v.get("inputs");
    byte[] msg = hex(text(in, "msg"));
    Mic mic = Mics.dataUplinkMic11(key(in, "s_nwk_s_int_key"), key(in, "f_nwk_s_int_key"),
        in.get("conf_fcnt").asInt(), in.get("tx_dr").asInt(), in.get("tx_ch").asInt(),
        devAddrOf(msg), fCnt16Of(msg), msg);
    assertThat(mic).isEqualTo(expectedMic(v));
  }

  private static void derive10(JsonNode v) {
    JsonNode in = v.get("inputs");
    SessionKeys10 keys = SessionKeyDerivation.derive10(key(in, "key"),
        JoinNonce.parse(text(in, "join_nonce")), NetId.parse(text(in, "net_id")),
        DevNonce.parse(text(in, "dev_nonce")));
    JsonNode ex = v.get("expected");
    assertThat(keys.nwkSKey()).isEqualTo(key(ex, "nwk_s_key"));
    assertThat(keys.appSKey()).isEqualTo(key(ex, "app_s_key"));
  }

  private static void derive11(JsonNode v) {
    JsonNode in = v.get("inputs");
    SessionKeys11 keys = SessionKeyDerivation.derive11(key(in, "nwk_key"), key(in, "app_key"),
        JoinNonce.parse(text(in, "join_nonce")), Eui64.parse(text(in, "join_eui")),
        DevNonce.parse(text(in, "dev_nonce")));
    JsonNode ex = v.get("expected");
    assertThat(keys.fNwkSIntKey()).isEqualTo(key(ex, "f_nwk_s_int_key"));
    assertThat(keys.sNwkSIntKey()).isEqualTo(key(ex, "s_nwk_s_int_key"));
    assertThat(keys.nwkSEncKey()).isEqualTo(key(ex, "nwk_s_enc_key"));
    assertThat(keys.appSKey()).isEqualTo(key(ex, "app_s_key"));
  }

  private static void deriveJs(JsonNode v) {
    JsonNode in = v.get("inputs");
    AesKey nwkKey = key(in, "nwk_key");
    Eui64 devEui = Eui64.parse(text(in, "dev_eui"));
    assertThat(SessionKeyDerivation.jsIntKey(nwkKey, devEui))
        .isEqualTo(key(v.get("expected"), "js_int_key"));
    assertThat(SessionKeyDerivation.jsEncKey(nwkKey, devEui))
        .isEqualTo(key(v.get("expected"), "js_enc_key"));
  }

  private static void fCntReconstruct(JsonNode v) {
    JsonNode in = v.get("inputs");
    long next = in.get("next_expected_full_fcnt").asLong();
    int fCnt16 = in.get("received_fcnt16").asInt();
    long expected = v.get("expected").get("full_fcnt").asLong();
    assertThat(FCnt.reconstructFromNextExpected(next, fCnt16)).isEqualTo(expected);
    if (next > 0) {
      assertThat(FCnt.reconstruct(next - 1, fCnt16)).isEqualTo(expected);
    }
  }

  private static void fOptsEncrypt(JsonNode v) {
    JsonNode in = v.get("inputs");
    boolean uplink = "up".equals(text(in, "dir"));
    boolean nFCntDown = !"AFCntDown".equals(text(in, "counter"));
    DevAddr devAddr = DevAddr.parse(text(in, "dev_addr"));
    long fCnt = in.get("fcnt").asLong();
    byte[] plain = hex(text(in, "plaintext"));
    byte[] cipher = hex(text(v.get("expected"), "ciphertext"));
    AesKey key = key(in, "nwk_s_enc_key");
    assertThat(PayloadCipher.fOpts11(key, uplink, devAddr, fCnt, nFCntDown, plain)).isEqualTo(cipher);
    assertThat(PayloadCipher.fOpts11(key, uplink, devAddr, fCnt, nFCntDown, cipher)).isEqualTo(plain);
  }

  private static void frmEncrypt(JsonNode v) {
    JsonNode in = v.get("inputs");
    boolean uplink = "up".equals(text(in, "dir"));
    DevAddr devAddr = DevAddr.parse(text(in, "dev_addr"));
    long fCnt = in.get("fcnt").asLong();
    byte[] plain = hex(text(in, "plaintext"));
    byte[] cipher = hex(text(v.get("expected"), "ciphertext"));
    AesKey key = key(in, "key");
    assertThat(PayloadCipher.frmPayload(key, uplink, devAddr, fCnt, plain)).isEqualTo(cipher);
    assertThat(PayloadCipher.frmPayload(key, uplink, devAddr, fCnt, cipher)).isEqualTo(plain);
  }

  private static void gpsTime(JsonNode v) {
    Instant utc = Instant.parse(text(v.get("inputs"), "utc"));
    long gps = v.get("expected").get("gps_seconds").asLong();
    assertThat(GpsTime.fromUtc(utc)).isEqualTo(gps);
    assertThat(GpsTime.toUtc(gps)).isEqualTo(utc);
  }

  /** MIC over the plaintext, then encryption of body and MIC; 1.0 or 1.1 (OptNeg) formula. */
  private static void joinAcceptBuild(JsonNode v) {
    JsonNode in = v.get("inputs");
    JsonNode ex = v.get("expected");
    AesKey key = key(in, "key");
    byte[] msg = new byte[13];
    msg[0] = 0x20;
    JoinNonce.parse(text(in, "join_nonce")).writeLittleEndian(msg, 1);
    NetId.parse(text(in, "net_id")).writeLittleEndian(msg, 4);
    DevAddr.parse(text(in, "dev_addr")).writeLittleEndian(msg, 7);
    msg[11] = hex(text(in, "dl_settings"))[0];
    msg[12] = hex(text(in, "rx_delay"))[0];
    if (ex.has("macpayload_plain")) {
      assertThat(Arrays.copyOfRange(msg, 1, msg.length)).isEqualTo(hex(text(ex, "macpayload_plain")));
    }
    Mic mic = "1.1".equals(text(in, "version"))
        ? Mics.joinAcceptMic11(key, Integer.parseInt(text(in, "join_req_type"), 16),
            Eui64.parse(text(in, "join_eui")), DevNonce.parse(text(in, "dev_nonce")), msg)
        : Mics.joinAcceptMic10(key, msg);
    assertThat(mic).isEqualTo(expectedMic(v));
    byte[] body = concat(Arrays.copyOfRange(msg, 1, msg.length), mic.toBytes());
    byte[] phy = concat(new byte[] {msg[0]}, PayloadCipher.joinAcceptEncrypt(key, body));
    assertThat(phy).isEqualTo(hex(text(ex, "phypayload")));
    assertThat(java.util.Base64.getDecoder().decode(text(ex, "phypayload_base64"))).isEqualTo(phy);
    assertThat(PayloadCipher.joinAcceptDecrypt(key, Arrays.copyOfRange(phy, 1, phy.length)))
        .isEqualTo(body);
  }

  private static void joinAcceptEncrypt(JsonNode v) {
    JsonNode in = v.get("inputs");
    JsonNode ex = v.get("expected");
    AesKey key = key(in, "key");
    byte[] plain = hex(text(in, "plaintext"));
    byte[] cipher = hex(text(ex, "ciphertext"));
    assertThat(PayloadCipher.joinAcceptEncrypt(key, plain)).isEqualTo(cipher);
    assertThat(PayloadCipher.joinAcceptDecrypt(key, cipher)).isEqualTo(plain);
    if (ex.has("mic")) {
      byte[] msg = concat(new byte[] {0x20}, Arrays.copyOf(plain, plain.length - 4));
      assertThat(Mics.joinAcceptMic10(key, msg)).isEqualTo(expectedMic(v));
    }
    if (ex.has("phypayload")) {
      assertThat(concat(new byte[] {0x20}, cipher)).isEqualTo(hex(text(ex, "phypayload")));
    }
  }

  private static void joinAcceptMic10(JsonNode v) {
    JsonNode in = v.get("inputs");
    assertThat(Mics.joinAcceptMic10(key(in, "key"), hex(text(in, "msg")))).isEqualTo(expectedMic(v));
  }

  private static void joinAcceptMic11(JsonNode v) {
    JsonNode in = v.get("inputs");
    Mic mic = Mics.joinAcceptMic11(key(in, "js_int_key"),
        Integer.parseInt(text(in, "join_req_type"), 16), Eui64.parse(text(in, "join_eui")),
        DevNonce.parse(text(in, "dev_nonce")), hex(text(in, "msg")));
    assertThat(mic).isEqualTo(expectedMic(v));
  }

  private static void joinRequestMic(JsonNode v) {
    JsonNode in = v.get("inputs");
    byte[] msg = hex(text(in, "msg"));
    Mic mic = Mics.joinRequestMic(key(in, "key"), msg);
    assertThat(mic).isEqualTo(expectedMic(v));
    if (v.get("expected").has("phypayload")) {
      assertThat(concat(msg, mic.toBytes())).isEqualTo(hex(text(v.get("expected"), "phypayload")));
    }
  }

  private static void rejoinMic(JsonNode v) {
    JsonNode in = v.get("inputs");
    byte[] msg = hex(text(in, "msg"));
    Mic mic = Mics.rejoinMic(key(in, "key"), msg);
    assertThat(mic).isEqualTo(expectedMic(v));
    if (v.get("expected").has("phypayload")) {
      assertThat(concat(msg, mic.toBytes())).isEqualTo(hex(text(v.get("expected"), "phypayload")));
    }
  }

  // ---- helpers shared with the other vector classes ----

  static String text(JsonNode node, String field) {
    JsonNode f = node.get(field);
    assertThat(f).as("field %s", field).isNotNull();
    return f.asText();
  }

  static byte[] hex(String s) {
    return HexBytes.parse("vector", s);
  }

  static AesKey key(JsonNode node, String field) {
    return AesKey.parse(text(node, field));
  }

  static Mic expectedMic(JsonNode v) {
    return Mic.parse(text(v.get("expected"), "mic"));
  }

  /** DevAddr of a data frame's {@code MHDR | FHDR ...} bytes (wire order, LE). */
  static DevAddr devAddrOf(byte[] msg) {
    return DevAddr.readLittleEndian(msg, 1);
  }

  /** The 16-bit FCnt of a data frame's bytes; the vectors' counters are all below 2^16. */
  static long fCnt16Of(byte[] msg) {
    return (msg[6] & 0xFF) | ((msg[7] & 0xFF) << 8);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
