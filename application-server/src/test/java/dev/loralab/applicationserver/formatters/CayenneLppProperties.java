package dev.loralab.applicationserver.formatters;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CayenneLppProperties {

  /** Type byte and value size of each supported type. */
  private static final int[][] TYPES = {
      {0x00, 1}, {0x01, 1}, {0x02, 2}, {0x03, 2}, {0x65, 2}, {0x66, 1}, {0x67, 2}, {0x68, 1},
      {0x71, 6}, {0x73, 2}, {0x86, 6}, {0x88, 9}};

  @Property
  void arbitraryBytesOnlyRaisePayloadFormatterException(@ForAll byte[] payload) {
    try {
      CayenneLpp.decode(payload);
    } catch (PayloadFormatterException e) {
      assertThat(e.getMessage()).isNotEmpty();
    }
  }

  @Property
  void wellFormedPayloadsRoundTrip(@ForAll("payloads") byte[] payload) {
    assertThat(CayenneLpp.encode(CayenneLpp.decode(payload))).isEqualTo(payload);
  }

  @Provide
  Arbitrary<byte[]> payloads() {
    Arbitrary<byte[]> record = Combinators.combine(Arbitraries.integers().between(0, 255),
        Arbitraries.integers().between(0, TYPES.length - 1),
        Arbitraries.bytes().array(byte[].class).ofSize(9)).as((ch, t, value) -> {
          byte[] r = new byte[2 + TYPES[t][1]];
          r[0] = (byte) (int) ch;
          r[1] = (byte) TYPES[t][0];
          System.arraycopy(value, 0, r, 2, TYPES[t][1]);
          return r;
        });
    // Distinct channels so that no channel/type pair repeats.
    return record.list().ofMaxSize(8).uniqueElements(r -> r[0]).map(CayenneLppProperties::concat);
  }

  private static byte[] concat(List<byte[]> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    records.forEach(out::writeBytes);
    return out.toByteArray();
  }
}
