package dev.loralab.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationUplink;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.FCtrl;
import dev.loralab.api.v3.FHDR;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.MACPayload;
import dev.loralab.api.v3.MACSettings;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.Message;
import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.SessionKeys;
import dev.loralab.api.v3.TxSchedulePriority;
import dev.loralab.api.v3.UplinkMessage;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/** parse(print(x)) == x for representative messages with arbitrary field values. */
class ProtoJsonRoundTripProperties {

  @Property(tries = 200)
  void uplinkMessage(@ForAll byte[] raw, @ForAll @IntRange(min = 0, max = 255) int fPort,
      @ForAll int fCnt, @ForAll float rssi, @ForAll float snr,
      @ForAll @LongRange(min = 0, max = 253402300799L) long seconds,
      @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
      @ForAll @StringLength(max = 30) String cid, @ForAll boolean adr) {
    UplinkMessage m = UplinkMessage.newBuilder()
        .setRawPayload(ByteString.copyFrom(raw))
        .setPayload(Message.newBuilder().setMic(ByteString.copyFrom(new byte[] {1, 2, 3, 4}))
            .setMacPayload(MACPayload.newBuilder().setFPort(fPort)
                .setFrmPayload(ByteString.copyFrom(raw))
                .setFHdr(FHDR.newBuilder().setDevAddr("26011BDA").setFCnt(fCnt & 0xFFFF)
                    .setFCtrl(FCtrl.newBuilder().setAdr(adr)))))
        .addRxMetadata(RxMetadata.newBuilder().setGatewayIds(
                EntityKeys.gateway("gw1").getGatewayIds()).setRssi(rssi).setSnr(snr)
            .setUplinkToken(ByteString.copyFrom(raw)).setTimestamp(fCnt))
        .setReceivedAt(Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos))
        .setConsumedAirtime(Duration.newBuilder().setNanos(nanos))
        .addCorrelationIds(cid)
        .build();
    assertThat(ProtoJson.parse(ProtoJson.print(m), UplinkMessage.newBuilder()).build())
        .isEqualTo(m);
  }

  @Property(tries = 100)
  void applicationUp(@ForAll byte[] payload, @ForAll @StringLength(max = 20) String key,
      @ForAll double number, @ForAll boolean confirmed) {
    Struct decoded = Struct.newBuilder()
        .putFields("k" + key, Value.newBuilder().setStringValue(key).build())
        .putFields("n", Value.newBuilder().setNumberValue(
            Double.isFinite(number) ? number : 0).build())
        .build();
    ApplicationUp up = ApplicationUp.newBuilder()
        .setEndDeviceIds(EntityKeys.device("app1", "dev1").getDeviceIds())
        .setUplinkMessage(ApplicationUplink.newBuilder().setFrmPayload(ByteString.copyFrom(payload))
            .setDecodedPayload(decoded).setConfirmed(confirmed).setFPort(1))
        .build();
    assertThat(ProtoJson.parse(ProtoJson.print(up), ApplicationUp.newBuilder()).build())
        .isEqualTo(up);
  }

  @Property(tries = 50)
  void endDevice(@ForAll @IntRange(min = 0, max = 65535) int devNonce,
      @ForAll @LongRange(min = 0, max = 1L << 40) long rx2Frequency, @ForAll int fCntUp) {
    EndDevice d = EndDevice.newBuilder()
        .setIds(EntityKeys.device("app1", "dev1").getDeviceIds().toBuilder()
            .setDevEui("70B3D57ED0050EAD").setJoinEui("0000000000000000"))
        .setLorawanVersion(MACVersion.MAC_V1_0_3)
        .setMacSettings(MACSettings.newBuilder().setRx2Frequency(rx2Frequency))
        .setSession(Session.newBuilder().setDevAddr("00FF52E3").setLastFCntUp(fCntUp)
            .setKeys(SessionKeys.newBuilder().setAppSKey(KeyEnvelope.newBuilder()
                .setKey("2B7E151628AED2A6ABF7158809CF4F3C")))
            .addQueuedApplicationDownlinks(ApplicationDownlink.newBuilder()
                .setPriority(TxSchedulePriority.NORMAL).setFPort(2)))
        .setLastDevNonce(devNonce).addUsedDevNonces(devNonce)
        .putAttributes("model", "sim")
        .build();
    assertThat(ProtoJson.parse(ProtoJson.print(d), EndDevice.newBuilder()).build()).isEqualTo(d);
  }
}
