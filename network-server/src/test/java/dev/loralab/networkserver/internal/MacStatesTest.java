package dev.loralab.networkserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.v3.CFList;
import dev.loralab.api.v3.CFListType;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MacStatesTest {

  @Test
  void us915Fsb2CfListEnablesChannels8To15And65() {
    CFList cf = MacStates.cfList(FrequencyPlanStore.builtIn().get("US_902_928_FSB_2")).orElseThrow();
    assertThat(cf.getType()).isEqualTo(CFListType.CHANNEL_MASKS);
    List<Integer> enabled = new ArrayList<>();
    for (int ch = 0; ch < cf.getChMasksCount(); ch++) {
      if (cf.getChMasks(ch)) {
        enabled.add(ch);
      }
    }
    // "Channels 8-15 and 65": eight 125 kHz channels and the 500 kHz LoRa channel at 904.6 MHz
    assertThat(enabled).containsExactly(8, 9, 10, 11, 12, 13, 14, 15, 65);
  }
}
