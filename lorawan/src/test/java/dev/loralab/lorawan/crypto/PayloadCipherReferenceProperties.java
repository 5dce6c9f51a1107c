package dev.loralab.lorawan.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.FCnt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * FRMPayload and FOpts encryption against their definition computed the way the crypto layer
 * did before its per-thread AES: each A_i built as bytes ({@link CryptoBlocks#block}) and
 * encrypted by a fresh Bouncy Castle engine.
 */
class PayloadCipherReferenceProperties {

  @Provide
  Arbitrary<AesKey> keys() {
    return Arbitraries.bytes().array(byte[].class).ofSize(16).map(AesKey::of);
  }

  static byte[] reference(AesKey key, int b4, boolean uplink, DevAddr addr, long fCnt,
      byte[] data) {
    BlockCipher engine = AESEngine.newInstance();
    engine.init(true, new KeyParameter(key.toBytes()));
    byte[] out = new byte[data.length];
    byte[] s = new byte[16];
    for (int i = 0; i < data.length; i += 16) {
      byte[] a = CryptoBlocks.block(0x01, 0, 0, 0, b4, uplink, addr, fCnt, i / 16 + 1);
      engine.processBlock(a, 0, s, 0);
      for (int j = 0; j < Math.min(16, data.length - i); j++) {
        out[i + j] = (byte) (data[i + j] ^ s[j]);
      }
    }
    return out;
  }

  @Property
  void frmPayloadEqualsItsDefinition(@ForAll("keys") AesKey key, @ForAll boolean uplink,
      @ForAll int devAddr, @ForAll @LongRange(max = FCnt.MAX) long fCnt,
      @ForAll @Size(max = 250) byte[] payload) {
    DevAddr addr = new DevAddr(devAddr);
    assertThat(PayloadCipher.frmPayload(key, uplink, addr, fCnt, payload))
        .isEqualTo(reference(key, 0, uplink, addr, fCnt, payload));
  }

  @Property
  void fOptsEqualTheirDefinition(@ForAll("keys") AesKey key, @ForAll boolean uplink,
      @ForAll boolean nFCntDown, @ForAll int devAddr, @ForAll @LongRange(max = FCnt.MAX) long fCnt,
      @ForAll @Size(max = 15) byte[] fOpts) {
    DevAddr addr = new DevAddr(devAddr);
    int c = uplink || nFCntDown ? 0x01 : 0x02;
    assertThat(PayloadCipher.fOpts11(key, uplink, addr, fCnt, nFCntDown, fOpts))
        .isEqualTo(reference(key, c, uplink, addr, fCnt, fOpts));
  }
}
