package dev.loralab.applicationserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.util.Timestamps;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationUplink;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.ErrorDetails;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.MessagePayloadFormatters;
import dev.loralab.api.v3.PayloadFormatter;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.applicationserver.formatters.JavaScriptLimits;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.HexBytes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class UplinkTest {

  /** brocaar/lorawan "FRMPayload data": AppSKey 01..01, DevAddr 01020304, FCnt 1, "hello". */
  static final String KEY = "01010101010101010101010101010101";
  static final String DEV_ADDR = "01020304";
  static final ByteString SID = ByteString.copyFromUtf8("session-1");

  static ApplicationUp uplink(int fPort, long fCnt, String encryptedHex) throws Exception {
    return ApplicationUp.newBuilder().setEndDeviceIds(AsTestFixture.ids(DEV_ADDR))
        .addCorrelationIds("gs:uplink:01G76SF01BNW5SKRAND31Z0MGB")
        .setReceivedAt(Timestamps.parse("2022-07-05T09:05:00Z"))
        .setUplinkMessage(ApplicationUplink.newBuilder().setSessionKeyId(SID).setFPort(fPort)
            .setFCnt((int) fCnt).setFrmPayload(ByteString.copyFrom(HexBytes.parse("frm",
                encryptedHex)))
            .setReceivedAt(Timestamps.parse("2022-07-05T09:05:00Z")))
        .build();
  }

  static void session(AsTestFixture f) {
    f.store.putSession(AsTestFixture.ids(DEV_ADDR), new AsSession(SID, AesKey.parse(KEY),
        DevAddr.parse(DEV_ADDR), 0));
  }

  @Test
  void decryptsWithTheAppSKeyAndForwards() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      session(f);
      List<ApplicationUp> got = new CopyOnWriteArrayList<>();
      f.as.subscribe(got::add);
      f.as.handleUplink(List.of(uplink(1, 1, "A694642615"))).get();
      assertThat(f.bus.names()).containsExactly("as.up.data.receive", "as.up.data.forward");
      assertThat(f.bus.single("as.up.data.receive").data()).isNull();
      ApplicationUp fwd = (ApplicationUp) f.bus.single("as.up.data.forward").data();
      assertThat(fwd.getUplinkMessage().getFrmPayload().toStringUtf8()).isEqualTo("hello");
      assertThat(fwd.getUplinkMessage().hasDecodedPayload()).isFalse();
      assertThat(fwd.getCorrelationIdsList()).contains("gs:uplink:01G76SF01BNW5SKRAND31Z0MGB")
          .anyMatch(s -> s.startsWith("as:up:"))
          .anyMatch(s -> s.startsWith("rpc:/ttn.lorawan.v3.NsAs/HandleUplink:"));
      assertThat(got).containsExactly(fwd);
      assertThat(ProtoJson.print(fwd)).doesNotContain("app_s_key");
    }
  }

  @Test
  void thingsStackVectorUp() throws Exception {
    // lorawan-stack TestUplinkDownlinkEncryption: key 01..01, DevAddr 01020304, FCnt 1, up.
    try (AsTestFixture f = new AsTestFixture()) {
      session(f);
      f.as.handleUplink(List.of(uplink(2, 1, "CFF30B4E"))).get();
      ApplicationUp fwd = (ApplicationUp) f.bus.single("as.up.data.forward").data();
      assertThat(HexBytes.format(fwd.getUplinkMessage().getFrmPayload().toByteArray()))
          .isEqualTo("01020304");
    }
  }

  @Test
  void unknownSessionKeyIsFetchedFromTheJoinServer() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      f.js.keys.put(SID, KEY);
      f.as.handleUplink(List.of(uplink(1, 1, "A694642615"))).get();
      ApplicationUp fwd = (ApplicationUp) f.bus.single("as.up.data.forward").data();
      assertThat(fwd.getUplinkMessage().getFrmPayload().toStringUtf8()).isEqualTo("hello");
      assertThat(f.store.session(AsTestFixture.ids())).isPresent();
    }
  }

  @Test
  void noSessionDropsNamingTheReason() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      f.as.handleUplink(List.of(uplink(1, 1, "A694642615"))).get();
      assertThat(f.bus.names()).containsExactly("as.up.data.receive", "as.up.data.drop");
      ErrorDetails err = (ErrorDetails) f.bus.single("as.up.data.drop").data();
      assertThat(err.getMessageFormat()).contains("AppSKey");
    }
  }

  @Test
  void fPortZeroIsDropped() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      session(f);
      f.as.handleUplink(List.of(uplink(0, 1, "A694642615"))).get();
      assertThat(f.bus.names()).containsExactly("as.up.data.receive", "as.up.data.drop");
      assertThat(((ErrorDetails) f.bus.single("as.up.data.drop").data()).getMessageFormat())
          .contains("f_port");
    }
  }

  @Test
  void abpDeviceUsesTheRegistrySessionKey() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      f.store.putEndDevice(EndDevice.newBuilder().setIds(AsTestFixture.ids(DEV_ADDR))
          .setSession(Session.newBuilder().setDevAddr(DEV_ADDR).setKeys(SessionKeys.newBuilder()
              .setAppSKey(KeyEnvelope.newBuilder().setKey(KEY)))).build());
      ApplicationUp up = uplink(1, 1, "A694642615");
      up = up.toBuilder().setUplinkMessage(up.getUplinkMessage().toBuilder().clearSessionKeyId())
          .build();
      f.as.handleUplink(List.of(up)).get();
      ApplicationUp fwd = (ApplicationUp) f.bus.single("as.up.data.forward").data();
      assertThat(fwd.getUplinkMessage().getFrmPayload().toStringUtf8()).isEqualTo("hello");
      assertThat(f.js.requests).isEmpty();
    }
  }

  /**
   * With the AS session stored, an uplink needs only the device's formatters, never the whole
   * device (a large fleet's devices are not kept parsed in memory); an ABP device's first uplink
   * reads it once, for the session keys.
   */
  @Test
  void anUplinkReadsTheDevicesFormattersNotTheWholeDevice() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      f.store.putEndDevice(EndDevice.newBuilder().setIds(AsTestFixture.ids(DEV_ADDR))
          .setSession(Session.newBuilder().setDevAddr(DEV_ADDR).setKeys(SessionKeys.newBuilder()
              .setSessionKeyId(SID).setAppSKey(KeyEnvelope.newBuilder().setKey(KEY))))
          .setFormatters(MessagePayloadFormatters.newBuilder()
              .setUpFormatter(PayloadFormatter.FORMATTER_CAYENNELPP)).build());
      // Plaintext 03 67 01 10 (temperature_3 = 27.2), encrypted with FCnt 1 and then 2.
      for (int fCnt = 1; fCnt <= 2; fCnt++) {
        byte[] enc = dev.loralab.lorawan.crypto.PayloadCipher.frmPayload(AesKey.parse(KEY), true,
            DevAddr.parse(DEV_ADDR), fCnt, HexBytes.parse("p", "03670110"));
        f.as.handleUplink(List.of(uplink(1, fCnt, HexBytes.format(enc)))).get();
      }
      assertThat(f.bus.named("as.up.data.forward")).hasSize(2).allSatisfy(e ->
          assertThat(((ApplicationUp) e.data()).getUplinkMessage().getDecodedPayload()
              .getFieldsOrThrow("temperature_3").getNumberValue()).isEqualTo(27.2));
      assertThat(f.store.endDeviceReads()).as("the ABP session, once").isEqualTo(1);
    }
  }

  @Test
  void cayenneLppApplicationFormatterDecodes() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      session(f);
      f.store.setApplicationFormatters(AsTestFixture.ids().getApplicationIds(),
          MessagePayloadFormatters.newBuilder()
              .setUpFormatter(PayloadFormatter.FORMATTER_CAYENNELPP).build());
      // Plaintext 03 67 01 10 (temperature_3 = 27.2), encrypted with FCnt 1 for the test.
      byte[] enc = dev.loralab.lorawan.crypto.PayloadCipher.frmPayload(AesKey.parse(KEY), true,
          DevAddr.parse(DEV_ADDR), 1, HexBytes.parse("p", "03670110"));
      f.as.handleUplink(List.of(uplink(1, 1, HexBytes.format(enc)))).get();
      ApplicationUp fwd = (ApplicationUp) f.bus.single("as.up.data.forward").data();
      assertThat(fwd.getUplinkMessage().getDecodedPayload().getFieldsOrThrow("temperature_3")
          .getNumberValue()).isEqualTo(27.2);
    }
  }

  @Test
  void javaScriptDecoderResultLandsInDecodedPayload() throws Exception {
    // A generous time limit: the first run of the interpreter is slow on a busy machine.
    ApplicationServerConfig cfg = ApplicationServerConfig.defaults()
        .withJavaScript(JavaScriptLimits.defaults().withTimeLimit(Duration.ofSeconds(20)));
    try (AsTestFixture f = new AsTestFixture(cfg)) {
      session(f);
      String script = """
          function decodeUplink(input) {
            var s = String.fromCharCode.apply(null, input.bytes);
            return {
              data: { text: s, port: input.fPort, year: input.recvTime.getUTCFullYear() },
              warnings: s.length > 3 ? ["long"] : []
            };
          }
          """;
      f.store.putEndDevice(EndDevice.newBuilder().setIds(AsTestFixture.ids(DEV_ADDR))
          .setFormatters(MessagePayloadFormatters.newBuilder()
              .setUpFormatter(PayloadFormatter.FORMATTER_JAVASCRIPT)
              .setUpFormatterParameter(script)).build());
      f.as.handleUplink(List.of(uplink(7, 1, "A694642615"))).get();
      ApplicationUp fwd = (ApplicationUp) f.bus.single("as.up.data.forward").data();
      Struct decoded = fwd.getUplinkMessage().getDecodedPayload();
      assertThat(decoded.getFieldsOrThrow("text").getStringValue()).isEqualTo("hello");
      assertThat(decoded.getFieldsOrThrow("port").getNumberValue()).isEqualTo(7);
      assertThat(decoded.getFieldsOrThrow("year").getNumberValue()).isEqualTo(2022);
      assertThat(fwd.getUplinkMessage().getDecodedPayloadWarningsList()).containsExactly("long");
      assertThat(f.bus.names()).containsExactly("as.up.data.receive",
          "as.up.data.decode.warning", "as.up.data.forward");
    }
  }

  @Test
  void endlessLoopIsStoppedReportedAndTheRawPayloadStillForwards() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      session(f);
      f.store.setApplicationFormatters(AsTestFixture.ids().getApplicationIds(),
          MessagePayloadFormatters.newBuilder()
              .setUpFormatter(PayloadFormatter.FORMATTER_JAVASCRIPT)
              .setUpFormatterParameter("function decodeUplink(input) { while (true) {} }")
              .build());
      f.as.handleUplink(List.of(uplink(1, 1, "A694642615"))).get();
      assertThat(f.bus.names()).containsExactly("as.up.data.receive", "as.up.data.decode.fail",
          "as.up.data.forward");
      ErrorDetails err = (ErrorDetails) f.bus.single("as.up.data.decode.fail").data();
      assertThat(err.getMessageFormat()).contains("formatter exceeded 100 ms");
      ApplicationUp fwd = (ApplicationUp) f.bus.single("as.up.data.forward").data();
      assertThat(fwd.getUplinkMessage().getFrmPayload().toStringUtf8()).isEqualTo("hello");
      assertThat(fwd.getUplinkMessage().hasDecodedPayload()).isFalse();
    }
  }

  @Test
  void throwingDecoderIsReportedWithItsMessage() throws Exception {
    ApplicationServerConfig cfg = ApplicationServerConfig.defaults()
        .withJavaScript(JavaScriptLimits.defaults().withTimeLimit(Duration.ofSeconds(20)));
    try (AsTestFixture f = new AsTestFixture(cfg)) {
      session(f);
      f.store.setApplicationFormatters(AsTestFixture.ids().getApplicationIds(),
          MessagePayloadFormatters.newBuilder()
              .setUpFormatter(PayloadFormatter.FORMATTER_JAVASCRIPT)
              .setUpFormatterParameter("function decodeUplink(input) { throw new Error('boom'); }")
              .build());
      f.as.handleUplink(List.of(uplink(1, 1, "A694642615"))).get();
      ErrorDetails err = (ErrorDetails) f.bus.single("as.up.data.decode.fail").data();
      assertThat(err.getMessageFormat()).contains("boom");
      assertThat(f.bus.named("as.up.data.forward")).hasSize(1);
    }
  }
}
