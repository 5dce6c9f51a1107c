package dev.loralab.lorawan.mac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.lorawan.LoRaWanException;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

class MacCommandProperties {

  @Provide
  Arbitrary<MacCommand> anyCommand() {
    return MacCommandArbitraries.any();
  }

  @Provide
  Arbitrary<List<MacCommand>> uplinkList() {
    return MacCommandArbitraries.uplink().list().ofMaxSize(12);
  }

  @Provide
  Arbitrary<List<MacCommand>> downlinkList() {
    return MacCommandArbitraries.downlink().list().ofMaxSize(12);
  }

  @Property(tries = 3000)
  void everyCommandRoundTrips(@ForAll("anyCommand") MacCommand c) {
    Statistics.collect(c.name());
    Statistics.coverage(coverage -> {
      for (Class<?> type : MacCommand.class.getPermittedSubclasses()) {
        coverage.check(type.getSimpleName()).count(n -> n > 0);
      }
    });
    byte[] encoded = MacCommandCodec.encode(c);
    assertThat(encoded).hasSize(MacCommandCodec.encodedLength(c));
    assertThat(encoded[0] & 0xFF).isEqualTo(c.cid());
    assertThat(MacCommandCodec.decode(encoded, c.uplink())).containsExactly(c);
  }

  @Property
  void uplinkListsRoundTrip(@ForAll("uplinkList") List<MacCommand> commands) {
    assertThat(MacCommandCodec.decode(MacCommandCodec.encode(commands), true)).isEqualTo(commands);
  }

  @Property
  void downlinkListsRoundTrip(@ForAll("downlinkList") List<MacCommand> commands) {
    assertThat(MacCommandCodec.decode(MacCommandCodec.encode(commands), false)).isEqualTo(commands);
  }

  @Property(tries = 2000)
  void arbitraryBytesOnlyEverThrowTheDomainException(@ForAll @Size(max = 300) byte[] bytes) {
    for (boolean uplink : new boolean[] {true, false}) {
      try {
        List<MacCommand> decoded = MacCommandCodec.decode(bytes, uplink);
        // whatever decodes re-encodes to something that decodes to the same commands
        assertThat(MacCommandCodec.decode(MacCommandCodec.encode(decoded), uplink)).isEqualTo(decoded);
      } catch (LoRaWanException expected) {
        assertThat(expected.getMessage()).startsWith("MACCommand[byte ");
      }
    }
  }
}
