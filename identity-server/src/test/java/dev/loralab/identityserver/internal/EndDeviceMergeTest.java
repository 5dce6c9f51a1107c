package dev.loralab.identityserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.loralab.api.EndDeviceCopies;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.MACParameters;
import dev.loralab.api.v3.MACState;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.PHYVersion;
import dev.loralab.api.v3.MACState.UplinkQuality;
import dev.loralab.api.v3.Session;
import dev.loralab.api.v3.SessionKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link EndDeviceMerge}: whenever it returns a merge, the stored bytes followed by it read back
 * (parsed, then {@link EndDeviceMerge#settle settled}) as exactly the new device; it returns one
 * for an uplink's usual change and none for any other change, field by field from the
 * descriptors (so a field added to the proto and not compared fails here).
 */
class EndDeviceMergeTest {
  static final String KEY = "app1/dev1";
  static final int HISTORY = 20;

  static Timestamp at(long seconds, int nanos) {
    return Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build();
  }

  static MACParameters parameters() {
    MACParameters.Builder p = MACParameters.newBuilder().setMaxEirp(16).setAdrNbTrans(1)
        .setAdrAckLimit(64).setAdrAckDelay(32).setRx1Delay(1).setRx2Frequency(869_525_000L);
    for (int c = 0; c < 8; c++) {
      long f = 867_100_000L + 200_000L * c;
      p.addChannels(MACParameters.Channel.newBuilder().setUplinkFrequency(f)
          .setDownlinkFrequency(f).setMaxDataRateIndex(5).setEnableUplink(true));
    }
    return p.build();
  }

  static UplinkQuality quality(int fCnt) {
    return UplinkQuality.newBuilder().setFCnt(fCnt).setMaxSnr(7.5f).setMaxRssi(-42 - fCnt % 5)
        .setGatewayCount(1 + fCnt % 2).setDataRateIndex(5)
        .setReceivedAt(at(1_790_000_000L + fCnt, 1_000 * (fCnt % 1000) + 1)).build();
  }

  /** A device as the network server stores it after {@code fCnt} uplinks. */
  static EndDevice device(int fCnt) {
    MACState.Builder mac = MACState.newBuilder().setCurrentParameters(parameters())
        .setDesiredParameters(parameters()).setRxWindowsAvailable(true)
        .setLastDevStatusAt(at(1_790_000_000L, 5));
    for (int f = Math.max(0, fCnt - HISTORY + 1); f <= fCnt; f++) {
      mac.addRecentUplinks(quality(f));
    }
    return EndDevice.newBuilder()
        .setIds(EndDeviceIdentifiers.newBuilder().setDeviceId("dev1")
            .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1"))
            .setDevEui("70B3D57ED0000001").setJoinEui("0000000000000000").setDevAddr("26000001"))
        .setCreatedAt(at(1_789_000_000L, 7)).setUpdatedAt(at(1_790_000_000L + fCnt, 9))
        .setLorawanVersion(MACVersion.MAC_V1_0_3)
        .setLorawanPhyVersion(PHYVersion.RP001_V1_0_3_REV_A)
        .setFrequencyPlanId("EU_863_870").setMacState(mac)
        .setSession(Session.newBuilder().setDevAddr("26000001")
            .setKeys(SessionKeys.newBuilder().setFNwkSIntKey(KeyEnvelope.newBuilder()
                    .setKey("000102030405060708090A0B0C0D0E0F"))
                .setAppSKey(KeyEnvelope.newBuilder().setKey("101112131415161718191A1B1C1D1E1F")))
            .setLastFCntUp(fCnt).setStartedAt(at(1_789_000_000L, 3)))
        .setLastSeenAt(at(1_790_000_000L + fCnt, 11))
        .build();
  }

  /** The network server's change of a device by an uplink with frame counter {@code fCnt}. */
  static EndDevice uplink(EndDevice d, int fCnt, int nanos) {
    EndDevice.Builder b = EndDeviceCopies.builderOf(d);
    b.setSession(d.getSession().toBuilder().setLastFCntUp(fCnt));
    MACState.Builder m = d.getMacState().toBuilder().setRxWindowsAvailable(true);
    for (int excess = m.getRecentUplinksCount() + 1 - HISTORY; excess > 0; excess--) {
      m.removeRecentUplinks(0);
    }
    m.addRecentUplinks(quality(fCnt));
    return b.setMacState(m).setLastSeenAt(at(1_790_000_000L + fCnt, nanos))
        .setUpdatedAt(at(1_790_000_000L + fCnt, nanos + 1)).build();
  }

  /** What {@code stored} followed by {@code merge} reads back as. */
  static EndDevice read(ByteString stored) {
    try {
      return EndDeviceStorage.settle(EndDevice.parseFrom(stored));
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Writes {@code next} over {@code stored} as the registry would (whole in its stored form, or
   * merged); checks the read; returns the new bytes.
   */
  static ByteString write(ByteString stored, EndDevice previous, EndDevice next) {
    ByteString merge = EndDeviceMerge.between(KEY, previous, next);
    ByteString now = merge == null ? EndDeviceStorage.toStored(next).toByteString()
        : stored.concat(merge);
    assertThat(read(now)).isEqualTo(next);
    return now;
  }

  @Test
  void uplinksMergeBetweenWholeWritesEveryBlockOfFrameCounters() {
    EndDevice d = device(100);
    ByteString stored = d.toByteString();
    int whole = 0;
    int mergesInARow = 0;
    int mostInARow = 0;
    for (int f = 101; f <= 300; f++) {
      EndDevice next = uplink(d, f, 1_000 + f);
      ByteString merge = EndDeviceMerge.between(KEY, d, next);
      stored = write(stored, d, next);
      if (merge == null) {
        whole++;
        mergesInARow = 0;
      } else {
        assertThat(merge.size()).isLessThan(next.getSerializedSize() / 8);
        mostInARow = Math.max(mostInARow, ++mergesInARow);
      }
      d = next;
    }
    assertThat(whole).isEqualTo(200 / EndDeviceMerge.MERGES_PER_WRITE);
    assertThat(mostInARow).isEqualTo(EndDeviceMerge.MERGES_PER_WRITE - 1);
  }

  @Test
  void aHistoryStillGrowingMergesToo() {
    EndDevice d = device(2); // 3 entries of 20
    ByteString stored = d.toByteString();
    for (int f = 3; f < 40; f++) {
      EndDevice next = uplink(d, f, 5);
      stored = write(stored, d, next);
      d = next;
    }
  }

  /** Frame counters that skip values, jump a block or wrap: never a merge across a block. */
  @Property(tries = 300)
  void frameCounterGapsNeverLeaveMoreMergesThanABlock(
      @ForAll @IntRange(min = 1, max = 20) int step, @ForAll @IntRange(min = 0, max = 64) int n) {
    EndDevice d = device(1_000);
    ByteString stored = d.toByteString();
    int mergesInARow = 0;
    int f = 1_000;
    for (int i = 0; i < n; i++) {
      f += step;
      EndDevice next = uplink(d, f, 1 + i);
      boolean merged = EndDeviceMerge.between(KEY, d, next) != null;
      stored = write(stored, d, next);
      mergesInARow = merged ? mergesInARow + 1 : 0;
      assertThat(mergesInARow).isLessThan(EndDeviceMerge.MERGES_PER_WRITE);
      d = next;
    }
  }

  @Test
  void valuesBackToZeroOrFalseAreWrittenWhole() {
    EndDevice d = device(16);
    EndDevice next = uplink(d, 17, 0); // last_seen_at's nanos back to 0
    assertThat(EndDeviceMerge.between(KEY, d, next)).isNull();
    EndDevice noWindows = next.toBuilder().setLastSeenAt(at(1_790_000_017L, 3))
        .setMacState(next.getMacState().toBuilder().setRxWindowsAvailable(false)).build();
    assertThat(EndDeviceMerge.between(KEY, d, noWindows)).isNull();
    EndDevice counted = d.toBuilder()
        .setMacState(d.getMacState().toBuilder().setAdrAckReqCount(3)).build();
    EndDevice reset = uplink(counted, 17, 5).toBuilder()
        .setMacState(uplink(counted, 17, 5).getMacState().toBuilder().setAdrAckReqCount(0))
        .build();
    assertThat(EndDeviceMerge.between(KEY, counted, reset)).isNull();
    EndDevice more = uplink(counted, 17, 5).toBuilder()
        .setMacState(uplink(counted, 17, 5).getMacState().toBuilder().setAdrAckReqCount(4))
        .build();
    write(counted.toByteString(), counted, more);
    assertThat(EndDeviceMerge.between(KEY, counted, more)).isNotNull();
  }

  @Test
  void aSecondEntryOrAnEditedEntryInTheHistoryIsWrittenWhole() {
    EndDevice d = device(16);
    EndDevice two = uplink(uplink(d, 17, 5), 18, 6);
    assertThat(EndDeviceMerge.between(KEY, d, two)).isNull();
    EndDevice next = uplink(d, 17, 5);
    EndDevice edited = next.toBuilder().setMacState(next.getMacState().toBuilder()
        .setRecentUplinks(3, quality(99))).build();
    assertThat(EndDeviceMerge.between(KEY, d, edited)).isNull();
    EndDevice cleared = next.toBuilder().setMacState(next.getMacState().toBuilder()
        .clearRecentUplinks()).build();
    assertThat(EndDeviceMerge.between(KEY, d, cleared)).isNull();
  }

  // ---- field by field, from the descriptors ----

  /** The fields an uplink's merge may carry; a change of any other field is written whole. */
  static final List<String> MERGED = List.of("ttn.lorawan.v3.EndDevice.updated_at",
      "ttn.lorawan.v3.EndDevice.last_seen_at", "ttn.lorawan.v3.Session.last_f_cnt_up",
      "ttn.lorawan.v3.MACState.rx_windows_available", "ttn.lorawan.v3.MACState.adr_ack_req_count",
      "ttn.lorawan.v3.MACState.recent_uplinks");

  /** Each field of a message, changed on top of an uplink's change: no merge, or a merge that reads back exactly. */
  void eachFieldOf(Message prototype,
      BiFunction<EndDevice, UnaryOperator<Message.Builder>, EndDevice> changeIn) {
    EndDevice d = device(16);
    EndDevice next = uplink(d, 17, 5);
    assertThat(EndDeviceMerge.between(KEY, d, next)).isNotNull();
    for (FieldDescriptor fd : prototype.getDescriptorForType().getFields()) {
      EndDevice changed = changeIn.apply(next, b -> {
        change(b, fd);
        return b;
      });
      assertThat(changed).as(fd.getFullName()).isNotEqualTo(next);
      ByteString merge = EndDeviceMerge.between(KEY, d, changed);
      if (merge != null) {
        assertThat(read(d.toByteString().concat(merge))).as(fd.getFullName()).isEqualTo(changed);
      }
      if (!MERGED.contains(fd.getFullName())) {
        assertThat(merge).as(fd.getFullName()).isNull();
      }
    }
  }

  @Test
  void anyChangeOfAnEndDeviceFieldButTheMergedOnesIsWrittenWhole() {
    eachFieldOf(EndDevice.getDefaultInstance(), (next, f) -> {
      EndDevice.Builder b = next.toBuilder();
      f.apply(b);
      return b.build();
    });
  }

  @Test
  void anyChangeOfASessionFieldButTheFrameCounterIsWrittenWhole() {
    eachFieldOf(Session.getDefaultInstance(), (next, f) -> {
      Session.Builder s = next.getSession().toBuilder();
      f.apply(s);
      return next.toBuilder().setSession(s).build();
    });
  }

  @Test
  void anyChangeOfAMacStateFieldButTheMergedOnesIsWrittenWhole() {
    eachFieldOf(MACState.getDefaultInstance(), (next, f) -> {
      MACState.Builder m = next.getMacState().toBuilder();
      f.apply(m);
      return next.toBuilder().setMacState(m).build();
    });
  }

  /** Changes {@code fd} of {@code b} to another, non-default value. */
  static void change(Message.Builder b, FieldDescriptor fd) {
    if (fd.isRepeated()) {
      b.addRepeatedField(fd, sample(b, fd));
      return;
    }
    Object current = b.getField(fd);
    Object other = switch (fd.getJavaType()) {
      case INT -> (Integer) current + 1_000_003;
      case LONG -> (Long) current + 1_000_003L;
      case FLOAT -> (Float) current + 1.5f;
      case DOUBLE -> (Double) current + 1.5;
      case BOOLEAN -> !(Boolean) current;
      case STRING -> current + "x";
      case BYTE_STRING -> ((ByteString) current).concat(ByteString.copyFromUtf8("x"));
      case ENUM -> otherEnum((EnumValueDescriptor) current);
      case MESSAGE -> {
        Message.Builder sub = ((Message) current).toBuilder();
        changeFirstField(sub);
        yield sub.build();
      }
    };
    b.setField(fd, other);
  }

  /** A non-default value for one element of {@code fd}, a repeated field of {@code b}. */
  private static Object sample(Message.Builder b, FieldDescriptor fd) {
    return switch (fd.getJavaType()) {
      case INT -> 7;
      case LONG -> 7L;
      case FLOAT -> 1.5f;
      case DOUBLE -> 1.5;
      case BOOLEAN -> true;
      case STRING -> "x";
      case BYTE_STRING -> ByteString.copyFromUtf8("x");
      case ENUM -> otherEnum(fd.getEnumType().getValues().get(0));
      case MESSAGE -> {
        Message.Builder element = b.newBuilderForField(fd);
        changeFirstField(element);
        yield element.build();
      }
    };
  }

  private static void changeFirstField(Message.Builder sub) {
    List<FieldDescriptor> fields = new ArrayList<>(sub.getDescriptorForType().getFields());
    if (!fields.isEmpty()) {
      change(sub, fields.get(0));
    }
  }

  private static EnumValueDescriptor otherEnum(EnumValueDescriptor v) {
    List<EnumValueDescriptor> values = v.getType().getValues();
    return values.get((values.indexOf(v) + 1) % values.size());
  }
}
