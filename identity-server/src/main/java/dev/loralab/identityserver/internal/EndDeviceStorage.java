package dev.loralab.identityserver.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.loralab.api.EndDeviceCopies;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.api.v3.MACState;
import dev.loralab.api.v3.MACState.UplinkQuality;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a device: what the registry writes ({@link #toStored}) and how a stored
 * device becomes the one it returns ({@link #settle}), lossless both ways.
 *
 * <p>A device read per uplink from the store (a fleet larger than the device cache) is read,
 * parsed, written again and compacted in full, so its size matters: of ~1 KB, the ADR history
 * (20 entries) was half and the desired MAC parameters, equal to the current ones once the MAC
 * exchanges are done, a sixth. Stored, the history is one {@code recent_uplinks_packed} field
 * (each entry's frame counter and receive time as the delta from the entry before, SNR and RSSI
 * as quarter-dB steps where that is exact: ~10 bytes an entry against ~28) and equal desired
 * parameters are a flag ({@code desired_parameters_as_current}).
 *
 * <p>Uplinks merged into the stored bytes ({@link EndDeviceMerge}) append their entries to
 * {@code recent_uplinks}; a read returns the packed entries followed by those, cut to the newest
 * {@code recent_uplinks_kept}. Devices stored before this form (no packed field) read as they
 * were.
 */
final class EndDeviceStorage {
  /** Quarter-dB steps up to this magnitude are packed as steps; others as the float's bits. */
  private static final int MAX_QUARTER_STEPS = 1 << 20;

  private EndDeviceStorage() {}

  /** {@code device} in its stored form (itself if it has nothing to pack). */
  static EndDevice toStored(EndDevice device) {
    if (!device.hasMacState()) {
      return device;
    }
    MACState m = device.getMacState();
    boolean pack = m.getRecentUplinksCount() > 0;
    boolean sameParameters = m.hasDesiredParameters() && m.hasCurrentParameters()
        && (m.getDesiredParameters() == m.getCurrentParameters()
            || m.getDesiredParameters().equals(m.getCurrentParameters()));
    if (!pack && !sameParameters) {
      return device;
    }
    MACState.Builder b = m.toBuilder();
    if (pack) {
      b.clearRecentUplinks().setRecentUplinksPacked(pack(m.getRecentUplinksList()));
    }
    if (sameParameters) {
      b.clearDesiredParameters().setDesiredParametersAsCurrent(true);
    }
    return EndDeviceCopies.builderOf(device).setMacState(b).build();
  }

  /**
   * The device a stored one is: the ADR history unpacked, followed by the entries merges appended,
   * cut to the newest {@code recent_uplinks_kept}; the desired parameters restored; no storage
   * fields. {@code stored} itself if it has none.
   *
   * @throws UncheckedIOException with an {@link InvalidProtocolBufferException} if the packed
   *     history is malformed
   */
  static EndDevice settle(EndDevice stored) {
    MACState m = stored.getMacState();
    ByteString packed = m.getRecentUplinksPacked();
    int kept = m.getRecentUplinksKept();
    if (packed.isEmpty() && kept == 0 && !m.getDesiredParametersAsCurrent()) {
      return stored;
    }
    MACState.Builder b = m.toBuilder().clearRecentUplinksKept().clearRecentUplinksPacked()
        .clearDesiredParametersAsCurrent();
    if (!packed.isEmpty() || kept > 0) {
      List<UplinkQuality> appended = m.getRecentUplinksList();
      List<UplinkQuality> all;
      if (packed.isEmpty()) {
        all = appended;
      } else {
        all = unpack(packed, appended.size());
        all.addAll(appended);
      }
      if (kept > 0 && all.size() > kept) {
        all = all.subList(all.size() - kept, all.size());
      }
      if (all != appended) {
        b.clearRecentUplinks().addAllRecentUplinks(all);
      }
    }
    if (m.getDesiredParametersAsCurrent()) {
      b.setDesiredParameters(m.getCurrentParameters());
    }
    return EndDeviceCopies.builderOf(stored).setMacState(b).build();
  }

  /**
   * {@code device} without the storage-only fields, which callers cannot set (ignored on input);
   * {@code device} itself if it has none.
   */
  static EndDevice withoutStorageFields(EndDevice device) {
    if (!hasStorageFields(device.getMacState()) && !hasStorageFields(device.getPendingMacState())) {
      return device;
    }
    EndDevice.Builder b = EndDeviceCopies.builderOf(device);
    if (device.hasMacState()) {
      clearStorageFields(b.getMacStateBuilder());
    }
    if (device.hasPendingMacState()) {
      clearStorageFields(b.getPendingMacStateBuilder());
    }
    return b.build();
  }

  private static boolean hasStorageFields(MACState m) {
    return m.getRecentUplinksKept() != 0 || !m.getRecentUplinksPacked().isEmpty()
        || m.getDesiredParametersAsCurrent();
  }

  private static void clearStorageFields(MACState.Builder m) {
    m.clearRecentUplinksKept().clearRecentUplinksPacked().clearDesiredParametersAsCurrent();
  }

  /** The packed form of an ADR history (see the class comment). */
  static ByteString pack(List<UplinkQuality> entries) {
    ByteString.Output bytes = ByteString.newOutput(12 * entries.size() + 8);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes, 256);
    try {
      out.writeUInt32NoTag(entries.size());
      int previousFCnt = 0;
      long previousSeconds = 0;
      for (UplinkQuality u : entries) {
        out.writeUInt32NoTag(u.getFCnt() - previousFCnt); // modulo 2^32
        previousFCnt = u.getFCnt();
        writeDecibels(out, u.getMaxSnr());
        writeDecibels(out, u.getMaxRssi());
        out.writeUInt32NoTag(u.getGatewayCount());
        out.writeUInt32NoTag(u.getDataRateIndex());
        out.writeUInt32NoTag(u.getServerDroppedBefore());
        out.writeBoolNoTag(u.hasReceivedAt());
        if (u.hasReceivedAt()) {
          Timestamp t = u.getReceivedAt();
          out.writeSInt64NoTag(t.getSeconds() - previousSeconds);
          out.writeInt32NoTag(t.getNanos());
          previousSeconds = t.getSeconds();
        }
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // ByteString.Output does not fail
    }
    return bytes.toByteString();
  }

  /**
   * The entries of a packed ADR history, in a list with room for {@code more}.
   *
   * @throws UncheckedIOException with an {@link InvalidProtocolBufferException} if malformed
   */
  static List<UplinkQuality> unpack(ByteString packed, int more) {
    CodedInputStream in = packed.newCodedInput();
    try {
      int count = in.readUInt32();
      if (count < 0 || count > packed.size()) { // each entry takes several bytes
        throw new InvalidProtocolBufferException(
            "recent_uplinks_packed: expected at most " + packed.size() + " entries, found "
                + Integer.toUnsignedString(count));
      }
      List<UplinkQuality> entries = new ArrayList<>(count + more);
      int fCnt = 0;
      long seconds = 0;
      Timestamp previous = null;
      for (int i = 0; i < count; i++) {
        fCnt += in.readUInt32();
        UplinkQuality.Builder u = UplinkQuality.newBuilder().setFCnt(fCnt)
            .setMaxSnr(readDecibels(in)).setMaxRssi(readDecibels(in))
            .setGatewayCount(in.readUInt32()).setDataRateIndex(in.readUInt32())
            .setServerDroppedBefore(in.readUInt32());
        if (in.readBool()) {
          seconds += in.readSInt64();
          int nanos = in.readInt32();
          if (previous == null || previous.getSeconds() != seconds
              || previous.getNanos() != nanos) {
            previous = Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build();
          }
          u.setReceivedAt(previous); // entries of the same second share one (immutable) message
        }
        entries.add(u.build());
      }
      if (!in.isAtEnd()) {
        throw new InvalidProtocolBufferException("recent_uplinks_packed: expected " + count
            + " entries, found more bytes after them");
      }
      return entries;
    } catch (IOException e) { // truncated, a malformed varint, or one of the checks above
      String why = e.getMessage();
      throw new UncheckedIOException(new InvalidProtocolBufferException(
          why != null && why.startsWith(FIELD) ? why : FIELD + ": " + why));
    }
  }

  private static final String FIELD = "recent_uplinks_packed";

  /**
   * A value in dB: quarter-dB steps (even codes) where that is exact, else the float's bits (odd
   * codes), as a zigzag varint.
   */
  private static void writeDecibels(CodedOutputStream out, float v) throws IOException {
    int steps = Math.round(v * 4f);
    if (Math.abs((long) steps) <= MAX_QUARTER_STEPS
        && Float.floatToRawIntBits(steps / 4f) == Float.floatToRawIntBits(v)) {
      out.writeSInt64NoTag((long) steps << 1);
    } else {
      out.writeSInt64NoTag((Integer.toUnsignedLong(Float.floatToRawIntBits(v)) << 1) | 1);
    }
  }

  private static float readDecibels(CodedInputStream in) throws IOException {
    long code = in.readSInt64();
    if ((code & 1) == 0) {
      long steps = code >> 1;
      if (Math.abs(steps) > MAX_QUARTER_STEPS) {
        throw new InvalidProtocolBufferException(
            "recent_uplinks_packed: expected at most " + MAX_QUARTER_STEPS + " quarter-dB steps, found "
                + steps);
      }
      return steps / 4f;
    }
    long bits = code >>> 1;
    if (bits > 0xFFFFFFFFL) {
      throw new InvalidProtocolBufferException(
          "recent_uplinks_packed: expected a 32-bit float, found " + bits);
    }
    return Float.intBitsToFloat((int) bits);
  }
}
