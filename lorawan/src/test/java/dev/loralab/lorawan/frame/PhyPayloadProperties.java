package dev.loralab.lorawan.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.Mic;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

class PhyPayloadProperties {

  @Provide
  Arbitrary<PhyPayload> frames() {
    return FrameArbitraries.decodable();
  }

  @Provide
  Arbitrary<JoinAccept> joinAccepts() {
    return FrameArbitraries.joinAccept();
  }

  @Property(tries = 2000)
  void decodeInvertsEncodeForEveryMType(@ForAll("frames") PhyPayload frame) {
    Statistics.collect(frame.mType());
    Statistics.coverage(coverage -> {
      for (MType t : MType.values()) {
        coverage.check(t).count(n -> n > 0);
      }
    });
    byte[] encoded = PhyPayloadCodec.encode(frame);
    assertThat(encoded[0] & 0xFF).isEqualTo(frame.mhdr().encode());
    assertThat(PhyPayloadCodec.decode(encoded)).isEqualTo(frame);
  }

  @Property
  void joinAcceptClearFormRoundTrips(@ForAll("joinAccepts") JoinAccept ja) {
    byte[] clear = PhyPayloadCodec.encode(ja);
    assertThat(clear).hasSize(ja.cfList().isPresent() ? 33 : 17);
    assertThat(PhyPayloadCodec.decodeJoinAccept(clear)).isEqualTo(ja);
    // the encoded form decodes to an encrypted join-accept holding the same bytes
    EncryptedJoinAccept eja = (EncryptedJoinAccept) PhyPayloadCodec.decode(clear);
    assertThat(PhyPayloadCodec.encode(eja)).isEqualTo(clear);
  }

  @Property
  void encodeWithoutMicIsEncodeMinusTheMic(@ForAll("frames") PhyPayload frame) {
    if (frame instanceof EncryptedJoinAccept) {
      return;
    }
    byte[] full = PhyPayloadCodec.encode(frame);
    byte[] withoutMic = PhyPayloadCodec.encodeWithoutMic(frame);
    assertThat(withoutMic).hasSize(full.length - 4);
    assertThat(full).startsWith(withoutMic);
    Mic mic = Mic.of(full, full.length - 4);
    assertThat(mic).isNotNull();
  }

  @Property(tries = 3000)
  void arbitraryBytesOnlyEverThrowTheDomainException(@ForAll @Size(max = 300) byte[] bytes) {
    try {
      PhyPayload decoded = PhyPayloadCodec.decode(bytes);
      // a successful decode re-encodes to a frame that decodes to the same value
      assertThat(PhyPayloadCodec.decode(PhyPayloadCodec.encode(decoded))).isEqualTo(decoded);
    } catch (LoRaWanException expected) {
      assertThat(expected.getMessage()).contains(": expected ");
    }
    try {
      PhyPayloadCodec.decodeJoinAccept(bytes);
    } catch (LoRaWanException expected) {
      assertThat(expected.getMessage()).contains(": expected ");
    }
  }

  @Property(tries = 2000)
  void oneBitChangesOfValidFramesOnlyEverThrowTheDomainException(@ForAll("frames") PhyPayload frame,
      @ForAll @IntRange(min = 0, max = 8 * 255) int bit) {
    byte[] b = PhyPayloadCodec.encode(frame);
    int i = bit % (b.length * 8);
    b[i / 8] ^= (byte) (1 << (i % 8));
    try {
      PhyPayloadCodec.decode(b);
    } catch (LoRaWanException expected) {
      // detected structurally
    }
  }

  @Property
  void truncationsOfValidFramesOnlyEverThrowTheDomainException(@ForAll("frames") PhyPayload frame,
      @ForAll @IntRange(min = 0, max = 255) int cut) {
    byte[] b = PhyPayloadCodec.encode(frame);
    byte[] truncated = java.util.Arrays.copyOf(b, cut % (b.length + 1));
    try {
      PhyPayloadCodec.decode(truncated);
    } catch (LoRaWanException expected) {
      // detected structurally
    }
  }
}
