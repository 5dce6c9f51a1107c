package dev.loralab.networkserver.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.lorawan.DevAddr;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

class LaneKeysTest {

  @Test
  void devAddrStringsAreAsFormattedAlsoWhenSlotsAreShared() {
    // these DevAddrs share slots and evict each other
    int[] values = {0x26011234, 0x26011234 + (1 << 24), 0x00000000, 0xFFFFFFFF, 0x00001000,
        0x26011234, 0x26011234 ^ LaneKeys.SLOTS, 0x26011234 + (LaneKeys.SLOTS << 12)};
    for (int round = 0; round < 2; round++) {
      for (int v : values) {
        DevAddr a = new DevAddr(v);
        assertEquals(a.toString(), LaneKeys.formatted(a));
        assertEquals("addr:" + a, LaneKeys.devAddrLane(a));
        assertEquals("addr:" + a, DataFlow.devAddrKey(a));
      }
    }
  }

  @Test
  void deviceLaneIsTheApplicationAndDeviceId() {
    for (int i = 0; i < 10_000; i++) {
      EndDeviceIdentifiers ids = EndDeviceIdentifiers.newBuilder().setDeviceId("dev-" + i)
          .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app" + i % 7))
          .build();
      String expected = "dev:app" + i % 7 + "/dev-" + i;
      assertEquals(expected, LaneKeys.deviceLane(ids));
      assertEquals(expected, DownlinkFlow.deviceKey(ids));
      // an equal message (another object, as a device read again from the store) gives the
      // same key, remembered by the IDs' text
      assertSame(LaneKeys.deviceLane(ids), LaneKeys.deviceLane(ids.toBuilder().build()));
    }
  }

  @Test
  void idsWhoseKeysShareASlotOrLookAlikeGetTheirOwnKeys() {
    // "a-1"/"bc" and "a-1b"/"c" would concatenate alike without the '/'; "ab"/"c" and "ba"/"c"
    // share a hash
    String[][] pairs = {{"a-1", "bc"}, {"a-1b", "c"}, {"ab", "c"}, {"ba", "c"}, {"a", ""},
        {"", "a"}, {"a-1", "bc"}};
    for (int round = 0; round < 2; round++) {
      for (String[] p : pairs) {
        EndDeviceIdentifiers ids = EndDeviceIdentifiers.newBuilder().setDeviceId(p[1])
            .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId(p[0])).build();
        assertEquals("dev:" + p[0] + "/" + p[1], LaneKeys.deviceLane(ids));
      }
    }
  }

  @Test
  void theTableNeverKeepsTheIdsMessage() {
    EndDeviceIdentifiers ids = EndDeviceIdentifiers.newBuilder().setDeviceId("kept-" + System.nanoTime())
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app-x")).build();
    String key = LaneKeys.deviceLane(ids);
    WeakReference<EndDeviceIdentifiers> ref = new WeakReference<>(ids);
    ids = null;
    for (int i = 0; i < 20 && ref.get() != null; i++) {
      System.gc();
    }
    assertNull(ref.get(), "the lane key table keeps the message it was made from");
    assertEquals(key, LaneKeys.deviceLane(EndDeviceIdentifiers.newBuilder()
        .setDeviceId(key.substring("dev:app-x/".length()))
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app-x")).build()));
  }
}
