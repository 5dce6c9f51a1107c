package dev.loralab.networkserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.events.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same uplink path whether the deduplication window closes on its timer (the uplink decoded
 * again when it closes) or early on the thread adding the copy (the decoded frame and correlation
 * IDs of {@code handleUplink} reused): same events, same correlation IDs, same forward.
 */
class InlineUplinkTest {

  private static void assertTagged(List<String> ids, String gsUplink) {
    assertThat(ids).isSorted().doesNotHaveDuplicates();
    assertThat(ids).contains(gsUplink);
    assertThat(ids).filteredOn(i -> i.startsWith("ns:uplink:")).hasSize(1);
    assertThat(ids).filteredOn(i -> i.startsWith("rpc:/ttn.lorawan.v3.GsNs/HandleUplink:"))
        .hasSize(1);
    assertThat(ids).hasSize(3);
  }

  @Test
  void uplinksClosedByTimerAndEarlyGiveTheSameEventsAndForwards() throws Exception {
    try (Harness h = new Harness()) {
      TestDevice d = DataPathTest.abp10(h, "26011234");
      DataPathTest.statusKnown(h, d);
      // the first uplink of the DevAddr waits for its window's timer; the second closes early
      // (as many gateways as before) on the adding thread
      DataPathTest.send(h, d.uplink(1, false, 5, new byte[] {1, 2}, null, false, false), "gw1",
          5);
      DataPathTest.send(h, d.uplink(2, false, 5, new byte[] {3, 4}, null, false, false), "gw1",
          5);
      DataPathTest.awaitForwarded(h, 2);

      List<ApplicationUp> ups = h.as.ups.stream().filter(ApplicationUp::hasUplinkMessage).toList();
      assertThat(ups).hasSize(2);
      for (int i = 0; i < 2; i++) {
        ApplicationUp up = ups.get(i);
        assertTagged(up.getCorrelationIdsList(), "gs:uplink:U" + i);
        assertThat(up.getUplinkMessage().getFCnt()).isEqualTo(i + 1);
        assertThat(up.getUplinkMessage().getFPort()).isEqualTo(5);
        assertThat(up.getEndDeviceIds().getDevAddr()).isEqualTo("26011234");
      }
      List<Event> receive = h.bus.events().stream()
          .filter(e -> e.name().equals("ns.up.data.receive")).toList();
      List<Event> forward = h.bus.events().stream()
          .filter(e -> e.name().equals("ns.up.data.forward")).toList();
      assertThat(receive).hasSize(2);
      assertThat(forward).hasSize(2);
      for (int i = 0; i < 2; i++) {
        assertThat(receive.get(i).correlationIds().asList())
            .isEqualTo(ups.get(i).getCorrelationIdsList());
        assertThat(forward.get(i).correlationIds()).isEqualTo(receive.get(i).correlationIds());
        dev.loralab.api.v3.UplinkMessage data =
            (dev.loralab.api.v3.UplinkMessage) receive.get(i).data();
        assertThat(data.getCorrelationIdsList()).isEqualTo(ups.get(i).getCorrelationIdsList());
        assertThat(data.getPayload().getMacPayload().getFullFCnt()).isEqualTo(i + 1);
        assertThat(data.getPayload().getMacPayload().getFHdr().getDevAddr())
            .isEqualTo("26011234");
      }
    }
  }
}
