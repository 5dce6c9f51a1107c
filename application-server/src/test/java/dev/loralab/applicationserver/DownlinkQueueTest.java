package dev.loralab.applicationserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.loralab.api.ApiException;
import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.ApplicationDownlinks;
import dev.loralab.api.v3.ApplicationInvalidatedDownlinks;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.DownlinkQueueRequest;
import dev.loralab.api.v3.MessagePayloadFormatters;
import dev.loralab.api.v3.PayloadFormatter;
import dev.loralab.api.v3.TxSchedulePriority;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.HexBytes;
import dev.loralab.lorawan.crypto.PayloadCipher;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class DownlinkQueueTest {

  static final String KEY = UplinkTest.KEY;
  static final String DEV_ADDR = UplinkTest.DEV_ADDR;

  static DownlinkQueueRequest request(ApplicationDownlink... downlinks) {
    return DownlinkQueueRequest.newBuilder().setEndDeviceIds(AsTestFixture.ids(DEV_ADDR))
        .addAllDownlinks(List.of(downlinks)).build();
  }

  static ApplicationDownlink plain(int fPort, String hex) {
    return ApplicationDownlink.newBuilder().setFPort(fPort)
        .setFrmPayload(ByteString.copyFrom(HexBytes.parse("frm", hex)))
        .setPriority(TxSchedulePriority.NORMAL).build();
  }

  @Test
  void pushEncryptsWithAppSKeyAndNextAFCntDownAndHandsToTheNetworkServer() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      UplinkTest.session(f);
      f.as.downlinkQueuePush(request(plain(1, "01020304"))).get();
      assertThat(f.ns.pushes).hasSize(1);
      ApplicationDownlink d = f.ns.pushes.get(0).getDownlinks(0);
      // lorawan-stack TestUplinkDownlinkEncryption: key 01..01, DevAddr 01020304, FCnt 1, down.
      assertThat(d.getFCnt()).isEqualTo(1);
      assertThat(HexBytes.format(d.getFrmPayload().toByteArray())).isEqualTo("4E75F440");
      assertThat(d.getSessionKeyId()).isEqualTo(UplinkTest.SID);
      assertThat(d.getFPort()).isEqualTo(1);
      assertThat(d.getPriority()).isEqualTo(TxSchedulePriority.NORMAL);
      assertThat(d.getCorrelationIdsList()).anyMatch(s -> s.startsWith("as:downlink:"));
      assertThat(f.store.session(AsTestFixture.ids()).orElseThrow().lastAFCntDown()).isEqualTo(1);
      assertThat(f.bus.names()).containsExactly("as.down.data.receive", "as.down.data.forward");
      ApplicationDownlink received = (ApplicationDownlink) f.bus.single("as.down.data.receive")
          .data();
      assertThat(HexBytes.format(received.getFrmPayload().toByteArray())).isEqualTo("01020304");

      // The next downlink takes the next counter.
      f.as.downlinkQueuePush(request(plain(2, "CAFE"))).get();
      ApplicationDownlink d2 = f.ns.pushes.get(1).getDownlinks(0);
      assertThat(d2.getFCnt()).isEqualTo(2);
      byte[] dec = PayloadCipher.frmPayload(AesKey.parse(KEY), false, DevAddr.parse(DEV_ADDR), 2,
          d2.getFrmPayload().toByteArray());
      assertThat(HexBytes.format(dec)).isEqualTo("CAFE");
    }
  }

  @Test
  void replaceAndListDecryptTheQueue() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      UplinkTest.session(f);
      f.as.downlinkQueuePush(request(plain(1, "AA"))).get();
      f.as.downlinkQueueReplace(request(plain(3, "BBBB"), plain(4, "CC"))).get();
      assertThat(f.ns.replaces).hasSize(1);
      assertThat(f.ns.replaces.get(0).getDownlinksList()).extracting(ApplicationDownlink::getFCnt)
          .containsExactly(2, 3);
      ApplicationDownlinks list = f.as.downlinkQueueList(AsTestFixture.ids(DEV_ADDR)).get();
      assertThat(list.getDownlinksList()).extracting(d -> HexBytes.format(d.getFrmPayload()
          .toByteArray())).containsExactly("BBBB", "CC");
    }
  }

  @Test
  void decodedPayloadIsEncodedWithTheDownFormatter() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      UplinkTest.session(f);
      f.store.setApplicationFormatters(AsTestFixture.ids().getApplicationIds(),
          MessagePayloadFormatters.newBuilder()
              .setDownFormatter(PayloadFormatter.FORMATTER_CAYENNELPP).build());
      ApplicationDownlink d = ApplicationDownlink.newBuilder().setFPort(5)
          .setDecodedPayload(Struct.newBuilder().putFields("digital_out_1",
              Value.newBuilder().setNumberValue(1).build())).build();
      f.as.downlinkQueuePush(request(d)).get();
      ApplicationDownlink sent = f.ns.pushes.get(0).getDownlinks(0);
      byte[] dec = PayloadCipher.frmPayload(AesKey.parse(KEY), false, DevAddr.parse(DEV_ADDR), 1,
          sent.getFrmPayload().toByteArray());
      // channel 1, digital output (0x01), value 1
      assertThat(HexBytes.format(dec)).isEqualTo("010101");
    }
  }

  @Test
  void invalidFPortIsRejectedAndDropped() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      UplinkTest.session(f);
      for (int port : new int[] {0, 224}) {
        assertThatThrownBy(() -> f.as.downlinkQueuePush(request(plain(port, "01"))).get())
            .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ApiException.class)
            .hasMessageContaining("f_port").hasMessageContaining("1..223");
      }
      assertThat(f.ns.pushes).isEmpty();
      assertThat(f.bus.named("as.down.data.drop")).hasSize(2);
      assertThat(f.store.session(AsTestFixture.ids()).orElseThrow().lastAFCntDown()).isZero();
    }
  }

  @Test
  void emptyOrOverlongCorrelationIdsAreInvalidArguments() {
    try (AsTestFixture f = new AsTestFixture()) {
      UplinkTest.session(f);
      for (String bad : new String[] {"", "x".repeat(101)}) {
        var d = plain(1, "01").toBuilder().addCorrelationIds(bad).build();
        assertThatThrownBy(() -> f.as.downlinkQueuePush(request(d)).get())
            .cause().isInstanceOf(ApiException.class).hasMessageContaining("correlation_ids")
            .satisfies(e -> assertThat(((ApiException) e).code())
                .isEqualTo(Status.Code.INVALID_ARGUMENT));
      }
      assertThat(f.ns.pushes).isEmpty();
    }
  }

  @Test
  void noSessionIsAFailedPrecondition() {
    try (AsTestFixture f = new AsTestFixture()) {
      assertThatThrownBy(() -> f.as.downlinkQueuePush(request(plain(1, "01"))).get())
          .cause().isInstanceOf(ApiException.class).hasMessageContaining("no session");
      assertThat(f.bus.names()).containsExactly("as.down.data.receive", "as.down.data.drop");
    }
  }

  @Test
  void networkServerErrorIsReturnedAndDropped() {
    try (AsTestFixture f = new AsTestFixture()) {
      UplinkTest.session(f);
      f.ns.failWith = ApiException.resourceExhausted("queue full");
      assertThatThrownBy(() -> f.as.downlinkQueuePush(request(plain(1, "01"))).get())
          .cause().isInstanceOf(ApiException.class)
          .satisfies(e -> assertThat(((ApiException) e).code())
              .isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
      assertThat(f.bus.names()).containsExactly("as.down.data.receive", "as.down.data.drop");
    }
  }

  @Test
  void queueInvalidationMovesTheCounterAndReencrypts() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      UplinkTest.session(f);
      f.as.downlinkQueuePush(request(plain(1, "01020304"))).get();
      ApplicationDownlink queued = f.ns.pushes.get(0).getDownlinks(0);
      ApplicationUp inv = ApplicationUp.newBuilder().setEndDeviceIds(AsTestFixture.ids(DEV_ADDR))
          .setDownlinkQueueInvalidated(ApplicationInvalidatedDownlinks.newBuilder()
              .setSessionKeyId(UplinkTest.SID).setLastFCntDown(10).addDownlinks(queued)).build();
      f.as.handleUplink(List.of(inv)).get();
      assertThat(f.ns.pushes).hasSize(2);
      ApplicationDownlink again = f.ns.pushes.get(1).getDownlinks(0);
      assertThat(again.getFCnt()).isEqualTo(11);
      byte[] dec = PayloadCipher.frmPayload(AesKey.parse(KEY), false, DevAddr.parse(DEV_ADDR), 11,
          again.getFrmPayload().toByteArray());
      assertThat(HexBytes.format(dec)).isEqualTo("01020304");
      assertThat(f.bus.named("as.down.data.queue.invalidated.forward")).hasSize(1);
    }
  }

  @Test
  void lifecycleMessagesAreDecryptedDecodedAndForwarded() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      UplinkTest.session(f);
      f.store.setApplicationFormatters(AsTestFixture.ids().getApplicationIds(),
          MessagePayloadFormatters.newBuilder()
              .setDownFormatter(PayloadFormatter.FORMATTER_CAYENNELPP).build());
      f.as.downlinkQueuePush(request(plain(1, "010101"))).get();
      ApplicationDownlink queued = f.ns.pushes.get(0).getDownlinks(0);
      List<ApplicationUp> got = new java.util.concurrent.CopyOnWriteArrayList<>();
      f.as.subscribe(got::add);
      ApplicationUp sent = ApplicationUp.newBuilder().setEndDeviceIds(AsTestFixture.ids(DEV_ADDR))
          .addAllCorrelationIds(queued.getCorrelationIdsList()).setDownlinkSent(queued).build();
      ApplicationUp ack = sent.toBuilder().setDownlinkAck(queued).build();
      f.as.handleUplink(List.of(sent, ack)).get();
      assertThat(f.bus.names()).endsWith("as.down.data.sent.forward", "as.down.data.ack.forward");
      ApplicationUp fwd = (ApplicationUp) f.bus.single("as.down.data.sent.forward").data();
      assertThat(HexBytes.format(fwd.getDownlinkSent().getFrmPayload().toByteArray()))
          .isEqualTo("010101");
      assertThat(fwd.getDownlinkSent().getDecodedPayload().getFieldsOrThrow("digital_out_1")
          .getNumberValue()).isEqualTo(1);
      assertThat(fwd.getCorrelationIdsList()).anyMatch(c -> c.startsWith("as:downlink:"));
      assertThat(got).hasSize(2);
    }
  }

  @Test
  void downlinksInvalidatedByAJoinAreQueuedAgainInTheNewSession() throws Exception {
    try (AsTestFixture f = new AsTestFixture()) {
      UplinkTest.session(f);
      f.as.downlinkQueuePush(request(plain(1, "01020304"))).get();
      ApplicationDownlink queued = f.ns.pushes.get(0).getDownlinks(0);
      ByteString newSid = ByteString.copyFromUtf8("session-2");
      String newKey = "2B7E151628AED2A6ABF7158809CF4F3C";
      f.js.keys.put(newSid, newKey);
      ApplicationUp join = ApplicationUp.newBuilder().setEndDeviceIds(AsTestFixture.ids("00FF52E3"))
          .setJoinAccept(dev.loralab.api.v3.ApplicationJoinAccept.newBuilder()
              .setSessionKeyId(newSid).addInvalidatedDownlinks(queued)).build();
      f.as.handleUplink(List.of(join)).get();
      assertThat(f.ns.pushes).hasSize(2);
      ApplicationDownlink again = f.ns.pushes.get(1).getDownlinks(0);
      assertThat(again.getSessionKeyId()).isEqualTo(newSid);
      assertThat(again.getFCnt()).isEqualTo(1);
      byte[] dec = PayloadCipher.frmPayload(AesKey.parse(newKey), false,
          DevAddr.parse("00FF52E3"), 1, again.getFrmPayload().toByteArray());
      assertThat(HexBytes.format(dec)).isEqualTo("01020304");
      // The forwarded join-accept carries neither key nor invalidated downlinks.
      ApplicationUp fwd = (ApplicationUp) f.bus.single("as.up.join.forward").data();
      assertThat(fwd.getJoinAccept().getInvalidatedDownlinksCount()).isZero();
    }
  }
}
