package dev.loralab.identityserver.internal;

import static dev.loralab.identityserver.internal.EndDeviceMergeTest.at;
import static dev.loralab.identityserver.internal.EndDeviceMergeTest.device;
import static dev.loralab.identityserver.internal.EndDeviceMergeTest.parameters;
import static dev.loralab.identityserver.internal.EndDeviceMergeTest.quality;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACState;
import dev.loralab.api.v3.MACState.UplinkQuality;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link EndDeviceStorage}: a device reads back exactly as written, in less space; merges
 * appended to the stored form read as before; malformed stored forms fail as corrupt.
 */
class EndDeviceStorageTest {

  private static EndDevice readBack(EndDevice d) {
    try {
      return EndDeviceStorage.settle(EndDevice.parseFrom(EndDeviceStorage.toStored(d).toByteString()));
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static EndDevice withHistory(List<UplinkQuality> history) {
    EndDevice d = device(30);
    return d.toBuilder().setMacState(d.getMacState().toBuilder().clearRecentUplinks()
        .addAllRecentUplinks(history)).build();
  }

  @Test
  void aDeviceReadsBackAsWrittenFromLittleMoreThanHalfTheBytes() {
    EndDevice d = device(500); // 20 entries, desired parameters equal to the current ones
    EndDevice stored = EndDeviceStorage.toStored(d);
    assertThat(stored.getMacState().getRecentUplinksCount()).isZero();
    assertThat(stored.getMacState().hasDesiredParameters()).isFalse();
    assertThat(stored.getMacState().getDesiredParametersAsCurrent()).isTrue();
    // ~12 bytes an entry against ~30: deltas of frame counter and time, quarter-dB steps (this
    // device's entries have sub-second times; the network server's are whole seconds: 10)
    assertThat(stored.getMacState().getRecentUplinksPacked().size()).isLessThanOrEqualTo(20 * 13);
    List<UplinkQuality> wholeSeconds = new ArrayList<>();
    for (UplinkQuality u : d.getMacState().getRecentUplinksList()) {
      wholeSeconds.add(u.toBuilder().setReceivedAt(at(u.getReceivedAt().getSeconds(), 0)).build());
    }
    assertThat(EndDeviceStorage.pack(wholeSeconds).size()).isLessThanOrEqualTo(10 + 20 * 10); // the first entry absolute
    assertThat(stored.getSerializedSize()).isLessThan(d.getSerializedSize() * 6 / 10); // 644 of 1,176
    EndDevice read = readBack(d);
    assertThat(read).isEqualTo(d);
    assertThat(read.getMacState().getDesiredParameters())
        .isSameAs(read.getMacState().getCurrentParameters());
  }

  @Test
  void differentDesiredParametersAndDevicesWithoutHistoryAreStoredAsThey() {
    EndDevice d = device(10);
    EndDevice other = d.toBuilder().setMacState(d.getMacState().toBuilder()
        .setDesiredParameters(parameters().toBuilder().setAdrNbTrans(3))).build();
    EndDevice stored = EndDeviceStorage.toStored(other);
    assertThat(stored.getMacState().getDesiredParameters().getAdrNbTrans()).isEqualTo(3);
    assertThat(stored.getMacState().getDesiredParametersAsCurrent()).isFalse();
    assertThat(readBack(other)).isEqualTo(other);
    EndDevice onlyCurrent = d.toBuilder().setMacState(d.getMacState().toBuilder()
        .clearDesiredParameters().clearRecentUplinks()).build();
    assertThat(EndDeviceStorage.toStored(onlyCurrent)).isSameAs(onlyCurrent);
    EndDevice noMac = d.toBuilder().clearMacState().build();
    assertThat(EndDeviceStorage.toStored(noMac)).isSameAs(noMac);
    assertThat(EndDeviceStorage.settle(noMac)).isSameAs(noMac);
    assertThat(EndDeviceStorage.settle(d)).isSameAs(d); // stored before this form
  }

  @Test
  void entriesMergesAppendedFollowThePackedOnesCutToTheKeptCount() {
    EndDevice d = device(40); // entries 21..40
    ByteString stored = EndDeviceStorage.toStored(d).toByteString();
    // two merges, each appending one entry and recording that 20 are kept
    for (int f = 41; f <= 42; f++) {
      stored = stored.concat(EndDevice.newBuilder().setMacState(MACState.newBuilder()
          .addRecentUplinks(quality(f)).setRecentUplinksKept(20)).build().toByteString());
    }
    EndDevice read = EndDeviceMergeTest.read(stored);
    List<UplinkQuality> expected = new ArrayList<>();
    for (int f = 23; f <= 42; f++) {
      expected.add(quality(f));
    }
    assertThat(read.getMacState().getRecentUplinksList()).isEqualTo(expected);
    assertThat(read.getMacState().getRecentUplinksKept()).isZero();
    assertThat(read.getMacState().getRecentUplinksPacked()).isEmpty();
    assertThat(read.getMacState().getDesiredParametersAsCurrent()).isFalse();
    assertThat(read.getMacState().getDesiredParameters()).isEqualTo(parameters());
  }

  @Test
  void theKeptCountAloneCutsAPlainHistory() {
    EndDevice d = device(30);
    EndDevice stored = d.toBuilder().setMacState(d.getMacState().toBuilder()
        .setRecentUplinksKept(5)).build();
    EndDevice read = EndDeviceStorage.settle(stored);
    assertThat(read.getMacState().getRecentUplinksKept()).isZero();
    assertThat(read.getMacState().getRecentUplinksList())
        .isEqualTo(d.getMacState().getRecentUplinksList().subList(15, 20));
  }

  @Test
  void storageFieldsAreClearedOnInput() {
    EndDevice d = device(30);
    EndDevice in = d.toBuilder()
        .setMacState(d.getMacState().toBuilder().setRecentUplinksKept(5)
            .setRecentUplinksPacked(ByteString.copyFromUtf8("x")).setDesiredParametersAsCurrent(true))
        .setPendingMacState(MACState.newBuilder().setRecentUplinksKept(2)).build();
    EndDevice out = EndDeviceStorage.withoutStorageFields(in);
    assertThat(out.getMacState()).isEqualTo(d.getMacState());
    assertThat(out.getPendingMacState()).isEqualTo(MACState.getDefaultInstance());
    assertThat(out.hasPendingMacState()).isTrue();
    assertThat(EndDeviceStorage.withoutStorageFields(d)).isSameAs(d);
  }

  @Test
  void malformedPackedHistoriesAreCorrupt() {
    ByteString good = EndDeviceStorage.pack(device(30).getMacState().getRecentUplinksList());
    ByteString[] bad = {
        good.substring(0, good.size() - 1), // truncated
        good.concat(ByteString.copyFrom(new byte[] {0})), // a byte after the last entry
        ByteString.copyFrom(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}),
        ByteString.copyFrom(new byte[] {1, 0, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}),
    };
    for (ByteString b : bad) {
      EndDevice stored = EndDevice.newBuilder()
          .setMacState(MACState.newBuilder().setRecentUplinksPacked(b)).build();
      assertThatThrownBy(() -> EndDeviceStorage.settle(stored))
          .isInstanceOf(UncheckedIOException.class)
          .hasCauseInstanceOf(InvalidProtocolBufferException.class)
          .hasMessageContaining("recent_uplinks_packed");
    }
  }

  @Provide
  Arbitrary<UplinkQuality> entries() {
    Arbitrary<Float> decibels = Arbitraries.oneOf(
        Arbitraries.integers().between(-600, 600).map(q -> q / 4f),
        Arbitraries.floats(), Arbitraries.of(Float.NaN, -0f, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, Float.MAX_VALUE, (float) (1 << 20), -(float) (1 << 29)));
    return Combinators.combine(Arbitraries.integers(), decibels, decibels,
            Arbitraries.integers(), Arbitraries.integers().between(0, 15),
            Arbitraries.integers(), Arbitraries.longs(), Arbitraries.integers())
        .as((f, snr, rssi, gw, dr, dropped, seconds, nanos) -> {
          UplinkQuality.Builder u = UplinkQuality.newBuilder().setFCnt(f).setMaxSnr(snr)
              .setMaxRssi(rssi).setGatewayCount(gw).setDataRateIndex(dr)
              .setServerDroppedBefore(dropped);
          if (nanos % 5 != 0) {
            u.setReceivedAt(at(seconds, nanos));
          }
          return u.build();
        });
  }

  @Property(tries = 300)
  void anyHistoryReadsBackExactly(@ForAll("histories") List<UplinkQuality> history) {
    EndDevice d = withHistory(history);
    EndDevice read = readBack(d);
    assertThat(read).isEqualTo(d);
    for (int i = 0; i < history.size(); i++) {
      assertThat(Float.floatToRawIntBits(read.getMacState().getRecentUplinks(i).getMaxSnr()))
          .isEqualTo(Float.floatToRawIntBits(history.get(i).getMaxSnr()));
    }
  }

  @Provide
  Arbitrary<List<UplinkQuality>> histories() {
    return entries().list().ofMaxSize(24);
  }

  @Property(tries = 500)
  void arbitraryPackedBytesReadOrFailAsCorrupt(@ForAll byte[] bytes) {
    EndDevice stored = EndDevice.newBuilder()
        .setMacState(MACState.newBuilder().setRecentUplinksPacked(ByteString.copyFrom(bytes)))
        .build();
    try {
      EndDeviceStorage.settle(stored);
    } catch (UncheckedIOException e) {
      assertThat(e).hasCauseInstanceOf(InvalidProtocolBufferException.class);
    }
  }
}
