package dev.loralab.networkserver.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.lorawan.DevAddr;
import org.junit.jupiter.api.Test;

class LaneKeysTest {

  @Test
  void devAddrStringsAreAsFormattedAlsoWhenSlotsAreShared() {
    // 4096 slots: these DevAddrs share slots and evict each other
    int[] values = {0x26011234, 0x26011234 + (1 << 24), 0x00000000, 0xFFFFFFFF, 0x00001000,
        0x26011234};
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
      // an equal message (another object) gives the same key
      assertEquals(expected, LaneKeys.deviceLane(ids.toBuilder().build()));
    }
  }
}
